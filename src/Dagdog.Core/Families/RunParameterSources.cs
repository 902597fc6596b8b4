using Dagdog.Graph;

namespace Dagdog.Families;

/// <summary>
/// What a task's Run() parameters can take by name (ignoring case), so that a parameter nothing gives is an error when
/// the project is built, not when it runs: a family's own wildcards and its items' metadata (one value each), and the
/// wildcards of the families it depends on (a list of their values).
/// </summary>
internal sealed record RunParameterSources(IReadOnlySet<string> Values, IReadOnlySet<string> Lists)
{
    public static RunParameterSources For(DagNode task, IReadOnlyList<FamilyItem> items)
    {
        var values = new HashSet<string>(task.Family?.Wildcards ?? [], StringComparer.OrdinalIgnoreCase);
        foreach (var item in items.Where(item => task.Family?.ItemTypes.Contains(item.ItemType, StringComparer.OrdinalIgnoreCase) == true))
            values.UnionWith(item.Metadata.Keys);
        var lists = InstanceUpstream.Of(task).Where(parent => parent.GivesLists)
            .SelectMany(parent => parent.Parent.Family!.Wildcards).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new RunParameterSources(values, lists);
    }

    /// <summary>What is wrong with a parameter of the given name and type (as the inspector spells types), or null.</summary>
    public string? Problem(string name, string type)
    {
        if (type == "System.Threading.CancellationToken") return null;
        if (type == "System.String[]" || type.StartsWith("System.Collections.Generic.", StringComparison.Ordinal) && type.EndsWith("<System.String>", StringComparison.Ordinal))
        {
            return Lists.Contains(name) ? null
                : $"has Run's list parameter '{name}', but no family it depends on has the wildcard {{{name}}} whose values it would get" +
                  (Lists.Count > 0 ? $" (they have {string.Join(", ", Lists.Order().Select(l => $"{{{l}}}"))})" : "") + ". Rename the parameter";
        }
        if (Values.Contains(name)) return null;
        return Values.Count == 0
            ? $"has Run's parameter '{name}', but it is not a family: nothing gives Run a value. Remove the parameter, or make the task a family (ForEach, ForEachItem)"
            : $"has Run's parameter '{name}', but no wildcard or item metadata is named '{name}' (there are: {string.Join(", ", Values.Order())}). Rename the parameter";
    }
}
