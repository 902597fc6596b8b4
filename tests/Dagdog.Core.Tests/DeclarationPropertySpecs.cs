using CsCheck;
using Dagdog.Graph;
using Dagdog.State;

namespace Dagdog.Tests;

/// <summary>
/// Random declarations, checked against a model written here on its own: the DAG is built exactly when names are
/// identifiers, unique ignoring case, every dependency is declared, nothing depends on itself through others, and no
/// output is declared twice; and then it is in dependency order, with a short, safe state file name per task.
/// </summary>
public class DeclarationPropertySpecs
{
    // Letters of several scripts and cases, digits, '_', and characters no identifier has.
    private static readonly Gen<char> Character = Gen.Frequency(
        (8, Gen.Char['a', 'e']), (8, Gen.Char['A', 'E']), (2, Gen.Char['0', '2']),
        (4, Gen.OneOf('_', 'é', 'É', 'ß', 'λ', 'Λ', 'Ж', 'ж', '任', 'ǅ', 'ǆ', 'Ǆ')),
        (1, Gen.OneOf('-', ' ', '$', '.')));

    private static readonly Gen<string> Name = Gen.Frequency(
            (6, Gen.Int[1, 3]),
            (1, Gen.Int[100, 300]))
        .SelectMany(length => Character.Array[length, length])
        .Select(chars => new string(chars));

    private static readonly Gen<string> OutputPath = Gen.OneOf("out/a.txt", "out/b;c.txt", "out/100%.txt", "out/$x @y.txt", "out/sub/d.txt");

    // A task: a name, dependency dice, inputs, and outputs (each numbered after its task, or now and then not, to be shared).
    private static readonly Gen<(string Name, int[] Parents, string[] Inputs, (string Path, bool Shared)[] Outputs)> Task =
        Gen.Select(Name, Gen.Int[0, 39].Array[0, 3], OutputPath.Array[0, 2], Gen.Select(OutputPath, Gen.Int[0, 9].Select(n => n == 0)).Array[0, 1]);

    private static readonly Gen<TaskDeclaration[]> Declarations = Gen.Select(Task.Array[1, 7], Gen.Int)
        .Select((tasks, caseSeed) => tasks.Select((task, index) => new TaskDeclaration(
            task.Name,
            // Mostly an earlier task, in a random case; now and then any task (which may close a cycle) or an undeclared one.
            task.Parents.Select(dice => dice switch
            {
                < 34 when index > 0 => Recase(tasks[dice % index].Name, caseSeed + dice),
                < 34 => null,
                < 38 => tasks[dice % tasks.Length].Name,
                _ => $"Undeclared{dice}",
            }).OfType<string>().ToList(),
            Inputs: task.Inputs,
            Outputs: task.Outputs.Select(o => o.Shared ? o.Path : $"{o.Path}.{index}").ToList())).ToArray());

    private static string Recase(string name, int seed) =>
        string.Concat(name.Select((c, i) => ((seed >> (i % 7)) & 1) == 1 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)));

    [Fact]
    public void The_DAG_is_built_exactly_when_the_declarations_are_sound_and_then_in_dependency_order() =>
        Declarations.Sample(declarations =>
        {
            var validation = Dag.Create(declarations);

            Assert.Equal(IsSound(declarations), validation.Dag is not null);
            if (validation.Dag is not { } dag)
            {
                Assert.Contains(validation.Problems, p => !p.IsWarning && p.Code.StartsWith("DAG0", StringComparison.Ordinal));
                return;
            }
            Assert.Equal(Enumerable.Range(0, declarations.Length), dag.Tasks.Select(t => t.Index));
            foreach (var task in dag.Tasks)
            {
                Assert.All(task.Parents, parent => Assert.True(parent.Index < task.Index));
                Assert.Equal(task.Declaration.DependsOn.Distinct(StringComparer.OrdinalIgnoreCase).Count(), task.Parents.Count);
            }
            var fileNames = dag.Tasks.Select(t => StateLayout.FileName(t.Name)).ToList();
            Assert.All(fileNames, f => Assert.Matches("^[A-Za-z0-9_-]{1,81}$", f));
            Assert.Equal(fileNames.Count, fileNames.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }, iter: 2000);

    // The model: what a sound set of declarations is, without Dagdog's code.
    private static bool IsSound(TaskDeclaration[] declarations)
    {
        static bool IsIdentifier(string name) => !char.IsDigit(name[0]) && name.All(c => c == '_' || char.IsLetterOrDigit(c));
        var names = declarations.Select(d => d.Name).ToList();
        if (!names.All(IsIdentifier) || names.Distinct(StringComparer.OrdinalIgnoreCase).Count() < names.Count) return false;
        if (declarations.Any(d => d.DependsOn.Any(p => !names.Contains(p, StringComparer.OrdinalIgnoreCase)))) return false;
        var outputs = declarations.SelectMany(d => d.Outputs.Distinct()).ToList();
        if (outputs.Distinct().Count() < outputs.Count) return false;

        // Acyclic: tasks can be removed one by one, each once none of the remaining tasks is among its dependencies.
        var remaining = declarations.ToList();
        while (remaining.Count > 0)
        {
            var free = remaining.FirstOrDefault(d => !d.DependsOn.Any(p => remaining.Any(r => string.Equals(r.Name, p, StringComparison.OrdinalIgnoreCase))));
            if (free is null) return false;
            remaining.Remove(free);
        }
        return true;
    }
}
