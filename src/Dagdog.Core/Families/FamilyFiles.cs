using Dagdog.Graph;

namespace Dagdog.Families;

/// <summary>
/// A task's declared paths with their wildcards worked out: an instance's own wildcards replaced by its values, and a
/// parent family's wildcard (<c>Inputs="out/fit/{species}.json"</c> on the task that aggregates it) expanded over that
/// family's current keys, so a file of an instance that no longer exists is never picked up.
/// </summary>
internal static class FamilyFiles
{
    public static bool HasWildcards(TaskDeclaration declaration) =>
        declaration.Inputs.Any(WildcardPath.HasWildcards) || declaration.Outputs.Any(WildcardPath.HasWildcards);

    /// <param name="keysOf">A parent family's current instance keys, in key order.</param>
    /// <returns>The declaration with plain paths (globs left to <see cref="DeclaredFiles"/>); an instance's file first among its inputs.</returns>
    public static TaskDeclaration Resolve(DagNode task, Instance? instance, Func<DagNode, IReadOnlyList<string>> keysOf)
    {
        var own = instance?.Values ?? new Dictionary<string, string>();
        var inputs = task.Declaration.Inputs.SelectMany(path => Expand(task, WildcardPath.Substitute(path, own), keysOf));
        return task.Declaration with
        {
            Inputs = (instance?.File is { } file ? inputs.Prepend(file) : inputs).Distinct(StringComparer.Ordinal).ToList(),
            Outputs = task.Declaration.Outputs.Select(path => WildcardPath.Substitute(path, own)).ToList(),
        };
    }

    // Each wildcard left belongs to a parent family (the declaration was checked for that): one path per instance of it.
    private static IEnumerable<string> Expand(DagNode task, string path, Func<DagNode, IReadOnlyList<string>> keysOf)
    {
        var names = WildcardPath.NamesIn(path);
        if (names.Count == 0) return [path];
        var parent = task.Parents.First(p => p.Family?.Defines(names[0]) == true);
        return keysOf(parent).SelectMany(key => Expand(task, WildcardPath.Substitute(path, parent.Family!.ValuesOf(key)), keysOf));
    }

    /// <summary>The key of the instance of <paramref name="parent"/> that an instance of a family paired with it needs.</summary>
    public static string PairedKey(DagNode parent, Instance instance) =>
        InstanceKeys.Join(parent.Family!.Wildcards.Select(w => instance.Values[w]));
}
