using System.Text;
using System.Text.RegularExpressions;
using CsCheck;

namespace Dagdog.Testing;

/// <summary>
/// Random declarations, the property DeclarationPropertySpecs builds with Dagdog's real targets:
/// task names of any identifier class, case and length (1 to 300), random DependsOn in any case, paths with spaces,
/// ';', '%', '$', '@', '..' and globs. Each is either refused with DAG0xx errors only, running nothing, or runs every
/// task once in an order its dependencies allow and is then up to date.
/// </summary>
public static partial class RandomDeclarations
{
    /// <summary>Builds <paramref name="iterations"/> random declarations, each in a new project, and checks the property.</summary>
    public static void HoldFor<TProject>(Func<TProject> newProject, int iterations) where TProject : ProjectFolder<TProject> =>
        Dags.Sample(declarations => Holds(newProject(), declarations), iter: iterations, threads: 1);

    public sealed record TaskSpec(string Name, IReadOnlyList<string> DependsOn, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

    /// <summary>What the generator made, and what must be refused: a case-duplicate name, a cycle, an unknown task or a shared output.</summary>
    public sealed record Declarations(IReadOnlyList<TaskSpec> Tasks, bool Invalid)
    {
        public override string ToString() => string.Join("\n", Tasks.Select(t =>
            $"{t.Name} <- [{string.Join(", ", t.DependsOn)}] in [{string.Join(", ", t.Inputs)}] out [{string.Join(", ", t.Outputs)}]")) + $"\ninvalid: {Invalid}";
    }

    private static readonly Gen<char> Letter = Gen.OneOf(Gen.Char['A', 'Z'], Gen.Char['a', 'z'], Gen.OneOf('_', 'é', 'Ü', 'ß', 'λ', 'Ω', 'Ж', '任', '务', 'ǅ'));

    private static readonly Gen<string> Name = Gen.Frequency(
            (5, Gen.Int[1, 10]),
            (1, Gen.Int[100, 300]))
        .SelectMany(length => Gen.Select(Letter, Gen.OneOf(Letter, Gen.Char['0', '9']).Array[length - 1, length - 1]))
        .Select((first, rest) => first + new string(rest));

    // Parts of file names that MSBuild gives a meaning to, or that a path treats specially.
    private static readonly Gen<string> OddPart = Gen.OneOf("a;b", "100%", "$x", "@y", "with space", "plain", "$(Dag)", "@(DagTask)");

    private static readonly Gen<Declarations> Dags = Gen.Int[1, 6].SelectMany(count => Gen.Select(
            Name.Array[count, count],
            Gen.Int[0, 99].Array[count * 8, count * 8],
            OddPart.Array[count * 2, count * 2]))
        .Select((names, dice, parts) => Make(names, dice, parts));

    private enum Fault { None, CaseDuplicate, Cycle, UnknownTask, SharedOutput }

    // Most declarations are valid; the rest carry one fault that must be refused.
    private static Declarations Make(string[] names, int[] dice, string[] parts)
    {
        var count = names.Length;
        int Roll(int task, int slot) => dice[task * 8 + slot];
        var fault = Roll(0, 0) switch { < 60 => Fault.None, < 70 => Fault.CaseDuplicate, < 80 => Fault.Cycle, < 90 => Fault.UnknownTask, _ => Fault.SharedOutput };
        var faulty = Roll(0, 1) % count;
        if (fault is Fault.CaseDuplicate or Fault.SharedOutput)
        {
            if (count == 1) fault = Fault.Cycle;
            else faulty = Math.Max(faulty, 1);
        }
        if (fault == Fault.CaseDuplicate) names[faulty] = Recase(names[Roll(0, 2) % faulty], Roll(0, 3));
        // Two random names may differ only in case by chance: that is a fault too.
        var invalid = fault != Fault.None || names.Distinct(StringComparer.OrdinalIgnoreCase).Count() < count;

        var tasks = new List<TaskSpec>();
        for (var i = 0; i < count; i++)
        {
            var dependsOn = new List<string>();
            var inputs = new List<string> { Roll(i, 3) < 30 ? $"data/g{i}/*.csv" : $"data/{parts[i * 2]}{i}.csv" };
            for (var parent = 0; parent < i; parent++)
            {
                if ((Roll(i, 4) + parent * 37) % 100 >= 50) continue;
                dependsOn.Add(Recase(names[parent], Roll(i, 5) + parent));
                if (tasks[parent].Outputs.Count > 0 && Roll(i, 6) < 50) inputs.Add(tasks[parent].Outputs[0]);
            }
            var part = parts[i * 2 + 1];
            IReadOnlyList<string> outputs = Roll(i, 7) switch
            {
                < 15 => [],
                < 40 => [$"out/../out2/{part}/t{i}.txt"],
                _ => [$"out/{part} {i}.txt"],
            };
            if (i == faulty)
            {
                switch (fault)
                {
                    case Fault.UnknownTask:
                        dependsOn.Add("Nobody" + i);
                        break;
                    case Fault.SharedOutput:
                        outputs = [$"out/shared {parts[0]}.txt"];
                        tasks[Roll(i, 2) % i] = tasks[Roll(i, 2) % i] with { Outputs = outputs };
                        break;
                }
            }
            tasks.Add(new TaskSpec(names[i], dependsOn, inputs, outputs));
        }
        if (fault == Fault.Cycle)
        {
            // The faulty task on itself, or on the last task, which then depends on it.
            var last = count - 1;
            tasks[faulty] = tasks[faulty] with { DependsOn = [.. tasks[faulty].DependsOn, names[last]] };
            if (faulty != last) tasks[last] = tasks[last] with { DependsOn = [.. tasks[last].DependsOn, names[faulty]] };
        }
        return new Declarations(tasks, invalid);
    }

    private static string Recase(string name, int seed) =>
        string.Concat(name.Select((c, i) => ((seed >> (i % 5)) & 1) == 1 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)));

    private static string Escape(string path) => new StringBuilder(path)
        .Replace("%", "%25").Replace(";", "%3B").Replace("$", "%24").Replace("@", "%40").Replace("(", "%28").Replace(")", "%29").ToString();

    private static void Holds<TProject>(TProject project, Declarations declarations) where TProject : ProjectFolder<TProject>
    {
        var tasks = declarations.Tasks;
        project.Declare(string.Join("\n", tasks.Select(t =>
            $"""<DagTask Include="{t.Name}" DependsOn="{string.Join(";", t.DependsOn)}" Inputs="{string.Join(";", t.Inputs.Select(Escape))}" Outputs="{string.Join(";", t.Outputs.Select(Escape))}" />""")));
        // One file for every class: a 300-letter name is too long for a file name of its own. "@" lets a keyword name a class.
        project.WriteFile("Tasks.cs", "namespace Analysis;\n" + string.Concat(tasks.Select(t => $$"""
            public class @{{t.Name}}
            {
                public void Run()
                {
                    {{ProjectFolder<TProject>.RecordRun(t.Name)}}
                    foreach (var output in new string[] { {{string.Join(", ", t.Outputs.Select(o => $"\"{o}\""))}} })
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
                        File.WriteAllText(output, "{{t.Name}}");
                    }
                }
            }

            """)));
        foreach (var input in tasks.SelectMany(t => t.Inputs).Where(i => i.StartsWith("data/", StringComparison.Ordinal)))
        {
            if (input.EndsWith("*.csv", StringComparison.Ordinal))
            {
                project.WriteFile(input.Replace("*", "1"), "1\n");
                project.WriteFile(input.Replace("*", "2"), "2\n");
            }
            else project.WriteFile(input, "x\n");
        }

        var build = project.Build();
        var codes = ErrorCode().Matches(build.Output).Select(m => m.Groups["code"].Value).Distinct().ToList();
        if (declarations.Invalid || build.ExitCode != 0)
        {
            Assert.True(declarations.Invalid && build.ExitCode != 0 && codes.Count > 0 && codes.All(c => c.StartsWith("DAG0", StringComparison.Ordinal)),
                $"Expected DAG0xx errors only for:\n{declarations}\n\n{build}");
            Assert.Empty(build.Ran);
            return;
        }

        Assert.True(codes.Count == 0 && !build.Output.Contains("warning DAG", StringComparison.Ordinal), $"Expected a clean build of:\n{declarations}\n\n{build}");
        Assert.Equal(tasks.Select(t => t.Name).Order(StringComparer.Ordinal), build.Ran.Order(StringComparer.Ordinal));
        var position = build.Ran.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.OrdinalIgnoreCase);
        foreach (var task in tasks)
        {
            foreach (var parent in task.DependsOn) Assert.True(position[parent] < position[task.Name], $"{parent} must run before {task.Name}:\n{declarations}");
        }
        var again = project.Build();
        Assert.True(again.ExitCode == 0 && again.Ran.Count == 0, $"Expected nothing to run the second time:\n{declarations}\n\n{again}");
    }

    [GeneratedRegex(@"error (?<code>[A-Z]+[0-9]+)")]
    private static partial Regex ErrorCode();
}
