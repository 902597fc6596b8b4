using Dagdog.Graph;

namespace Dagdog.Families;

/// <summary>A family's instances as they are now, in key order, or the problems that keep them from being known.</summary>
internal sealed record FamilyInstances(IReadOnlyList<Instance> Instances, IReadOnlyList<DagProblem> Problems);

/// <summary>
/// Works out a family's instances when its turn comes (after its parents ran, so a parent's outputs can define them, and a
/// new data file needs no restore): one per matching file, or per item (crossed over several item types), keyed by the
/// wildcards' values. Keys are checked here (DAG036), each problem naming the file or item.
/// </summary>
internal static class Instances
{
    public static FamilyInstances Of(DagNode task, string projectDirectory, IReadOnlyList<FamilyItem> items)
    {
        var family = task.Family ?? throw new ArgumentException($"Task '{task.Name}' is not a family.", nameof(task));
        var problems = new List<DagProblem>();
        var instances = new List<Instance>();
        if (family.Files is { } files)
        {
            foreach (var (path, values) in files.Find(projectDirectory))
            {
                if (KeyProblem(task, family.Wildcards, values, $"the file '{path}'") is { } problem) problems.Add(problem);
                else instances.Add(new Instance(InstanceKeys.Join(values), Values(family.Wildcards, values), Empty, path));
            }
        }
        else
        {
            IEnumerable<IReadOnlyList<FamilyItem>> crossed = [[]];
            foreach (var type in family.ItemTypes)
            {
                var ofType = items.Where(item => string.Equals(item.ItemType, type, StringComparison.OrdinalIgnoreCase)).ToList();
                foreach (var item in ofType)
                {
                    if (InstanceKeys.Problem(item.Identity) is { } why)
                        problems.Add(Problem(task, $"the {item.ItemType} item '{Visible(item.Identity)}' {why}. Rename the item."));
                }
                crossed = crossed.SelectMany(prefix => ofType.Select(item => (IReadOnlyList<FamilyItem>)[.. prefix, item])).ToList();
            }
            if (problems.Count == 0)
            {
                foreach (var combination in crossed)
                {
                    var values = combination.Select(item => item.Identity).ToList();
                    var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var (name, value) in combination.SelectMany(item => item.Metadata)) parameters.TryAdd(name, value);
                    instances.Add(new Instance(InstanceKeys.Join(values), Values(family.Wildcards, values), parameters));
                }
            }
        }
        foreach (var same in instances.GroupBy(i => i.Key, InstanceKeys.Comparer).Where(g => g.Count() > 1))
        {
            var (first, second) = (same.First(), same.Skip(1).First());
            problems.Add(Problem(task, first.Key == second.Key && first.File is null
                ? $"has the instance '{first.Key}' twice: an item is declared twice (the same Include in {string.Join(" and ", family.ItemTypes)}). Remove one of them."
                : $"has the instances '{first.Key}' and '{second.Key}'{Source(first, second)}, whose keys differ only in case: keys compare ignoring case, " +
                  "as task names do, and on many file systems their outputs would be one file. Rename one of them."));
        }
        return problems.Count > 0
            ? new FamilyInstances([], problems)
            : new FamilyInstances(instances.OrderBy(i => i.Key, StringComparer.Ordinal).ToList(), []);
    }

    /// <summary>The problem with one file's wildcard values as a key (DAG036), or null.</summary>
    private static DagProblem? KeyProblem(DagNode task, IReadOnlyList<string> wildcards, IReadOnlyList<string> values, string source)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (InstanceKeys.Problem(values[i]) is { } why)
                return Problem(task, $"gets the key value '{Visible(values[i])}' for {{{wildcards[i]}}} from {source}, which {why}. Rename the file.");
        }
        return null;
    }

    private static string Source(Instance first, Instance second) => first.File is null ? "" : $" (from '{first.File}' and '{second.File}')";

    private static IReadOnlyDictionary<string, string> Values(IReadOnlyList<string> wildcards, IReadOnlyList<string> values) =>
        wildcards.Zip(values).ToDictionary(p => p.First, p => p.Second, StringComparer.OrdinalIgnoreCase);

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static DagProblem Problem(DagNode task, string what) => new(DagCodes.InvalidKey, task.Name, $"Task '{task.Name}' {what}");

    private static string Visible(string text) => string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
