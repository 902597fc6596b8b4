using System.Text.RegularExpressions;
using Dagdog.Graph;

namespace Dagdog.Families;

/// <summary>
/// Reads and checks what makes a task a family (<c>ForEach</c>, <c>ForEachItem</c>) and the wildcards in its paths,
/// when the DAG is created: every problem is found before anything runs, each naming the task (DAG035).
/// </summary>
internal static partial class FamilyDeclarations
{
    /// <summary>The task's family, or null for a task run once; problems are added to <paramref name="problems"/>.</summary>
    public static TaskFamily? Read(TaskDeclaration declaration, List<DagProblem> problems)
    {
        var (forEach, forEachItem) = (declaration.ForEach?.Trim(), declaration.ForEachItem);
        var itemTypes = TaskDeclaration.SplitList(forEachItem);
        if (string.IsNullOrEmpty(forEach) && itemTypes.Count == 0) return null;
        if (!string.IsNullOrEmpty(forEach) && itemTypes.Count > 0)
        {
            problems.Add(Problem(declaration, "has both ForEach and ForEachItem. A family's instances come from files or from items: keep one (an item's metadata can name a file)."));
            return null;
        }
        if (!string.IsNullOrEmpty(forEach))
        {
            var (path, why) = WildcardPath.Parse(forEach);
            if (path is null)
            {
                problems.Add(Problem(declaration, $"has ForEach=\"{forEach}\", which cannot be read: {why}. Write a path such as data/{{species}}.csv."));
                return null;
            }
            return new TaskFamily(path.Names, path, []);
        }
        if (itemTypes.FirstOrDefault(type => !ItemTypeName().IsMatch(type)) is { } bad)
        {
            problems.Add(Problem(declaration, $"has ForEachItem=\"{forEachItem}\", where '{bad}' is not an MSBuild item type name (letters, digits, '_', '-', '.', not starting with a digit)."));
            return null;
        }
        if (itemTypes.GroupBy(t => t, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add(Problem(declaration, $"has ForEachItem=\"{forEachItem}\", which names '{twice.Key}' twice. Cross an item type with another, not with itself."));
            return null;
        }
        return new TaskFamily(itemTypes, null, itemTypes);
    }

    /// <summary>
    /// Checks the wildcards in a task's paths once its parents are known: an output must hold every wildcard of its
    /// family (or two instances would write one file), and a wildcard in a path must be the family's own or, in Inputs,
    /// a parent family's (expanded over its current instances).
    /// </summary>
    public static IEnumerable<DagProblem> PathProblems(DagNode task)
    {
        var declaration = task.Declaration;
        foreach (var path in declaration.Outputs.Where(WildcardPath.HasWildcards).Concat(declaration.Inputs.Where(WildcardPath.HasWildcards)))
        {
            if (WildcardPath.Parse(path) is (null, var why)) yield return Problem(declaration, $"has the path '{path}', which cannot be read: {why}.");
        }
        foreach (var output in declaration.Outputs)
        {
            var names = WildcardPath.NamesIn(output);
            if (task.Family is null && names.Count > 0)
            {
                yield return Problem(declaration, $"is not a family, but its output '{output}' has the wildcard {{{names[0]}}}. Add ForEach or ForEachItem to make it one, or write the path out.");
                continue;
            }
            if (task.Family?.Wildcards.FirstOrDefault(w => !names.Contains(w, StringComparer.OrdinalIgnoreCase)) is { } missing)
            {
                yield return Problem(declaration, $"declares the output '{output}' without the wildcard {{{missing}}}: every instance would write that one file. " +
                                                  $"Put {{{missing}}} in the path, such as out/{{{missing}}}.json.");
            }
        }
        foreach (var input in declaration.Inputs)
        {
            foreach (var name in WildcardPath.NamesIn(input))
            {
                if (task.Family?.Defines(name) == true || task.Parents.Any(p => p.Family?.Defines(name) == true)) continue;
                var defined = task.Family is null ? "it is not a family" : $"its wildcards are {string.Join(", ", task.Family.Wildcards.Select(w => $"{{{w}}}"))}";
                yield return Problem(declaration, $"has the input '{input}' with the wildcard {{{name}}}, but {defined} and no task it depends on is a family with that wildcard. " +
                                                  "Use a wildcard of ForEach or ForEachItem, or depend on the family that defines it.");
            }
        }
    }

    /// <summary>Parent families paired with this family instance by instance: every wildcard of theirs is one of its own.</summary>
    public static IReadOnlyList<DagNode> PairedParents(DagNode task) =>
        task.Family is not { } family ? [] : task.Parents.Where(p => p.Family is { } parent && parent.Wildcards.All(family.Defines)).ToList();

    /// <summary>
    /// True when <paramref name="parent"/> declares outputs the family's <c>ForEach</c> may match: a dynamic family, whose
    /// instances are known only once that parent has run.
    /// </summary>
    public static bool Writes(DagNode parent, TaskFamily family) =>
        family.Files is { } pattern && parent.Declaration.Outputs.Any(output => pattern.Match(Sample(output)) is not null);

    // A file an output path may stand for: each glob or wildcard part becomes one ordinary name.
    private static string Sample(string output) =>
        WildcardPath.AsGlob(output).Replace('\\', '/').Replace("**", "x").Replace('*', 'x').Replace('?', 'x');

    private static DagProblem Problem(TaskDeclaration declaration, string what) =>
        new(DagCodes.InvalidFamily, declaration.Name, $"Task '{declaration.Name}' {what}");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex ItemTypeName();
}
