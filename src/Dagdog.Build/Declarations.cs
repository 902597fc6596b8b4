using Dagdog.Families;
using Dagdog.Graph;
using Dagdog.Planning;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>Reads <c>DagTask</c> items into the core's declarations, and the other items Dagdog's targets hand its tasks.</summary>
internal static class Declarations
{
    /// <summary>Reads <c>@(_DagSetting)</c>: one item per property, named after it, its value in <c>Value</c> (see <see cref="DagSettings"/>).</summary>
    public static DagSettings Settings(ITaskItem[] items) => DagSettings.Of(items.Select(item => (item.ItemSpec, item.GetMetadata("Value"))));

    public static IReadOnlyList<TaskDeclaration> FromItems(ITaskItem[] items) =>
        items.Select(item => new TaskDeclaration(
                item.ItemSpec.Trim(),
                MSBuildEscaping.List(item, "DependsOn"),
                NullIfEmpty(item.GetMetadata("Type")),
                MSBuildEscaping.List(item, "Inputs"),
                MSBuildEscaping.List(item, "Outputs"),
                NullIfEmpty(item.GetMetadata("Jobs")),
                NullIfEmpty(item.GetMetadata("Timeout")),
                NullIfEmpty(item.GetMetadata("Cache")),
                NullIfEmpty(item.GetMetadata("ForEach")),
                NullIfEmpty(item.GetMetadata("ForEachItem")),
                NullIfEmpty(item.GetMetadata("Memory"))))
            .ToList();

    /// <summary>
    /// Reads the items families are for each of: <c>@(_DagForEachItem)</c>, which the generated targets fill from each
    /// item type a <c>ForEachItem</c> names, with the type in <c>DagItemType</c>. Only an item's own metadata is kept.
    /// </summary>
    public static IReadOnlyList<FamilyItem> FamilyItems(ITaskItem[] items) =>
        items.Select(item => new FamilyItem(item.GetMetadata(ItemTypeMetadata), item.ItemSpec,
                item.CloneCustomMetadata().Keys.Cast<string>()
                    .Where(name => !string.Equals(name, ItemTypeMetadata, StringComparison.OrdinalIgnoreCase))
                    .ToDictionary(name => name, item.GetMetadata, StringComparer.OrdinalIgnoreCase)))
            .ToList();

    /// <summary>The metadata of <c>_DagForEachItem</c> items that says which item type each came from.</summary>
    public const string ItemTypeMetadata = "DagItemType";

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
