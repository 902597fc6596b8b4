using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>Reads <c>DagTask</c> items into the core's declarations.</summary>
internal static class Declarations
{
    public static IReadOnlyList<TaskDeclaration> FromItems(ITaskItem[] items) =>
        items.Select(item => new TaskDeclaration(
                item.ItemSpec.Trim(),
                MSBuildEscaping.List(item, "DependsOn"),
                NullIfEmpty(item.GetMetadata("Type")),
                MSBuildEscaping.List(item, "Inputs"),
                MSBuildEscaping.List(item, "Outputs"),
                NullIfEmpty(item.GetMetadata("Jobs")),
                NullIfEmpty(item.GetMetadata("Timeout")),
                NullIfEmpty(item.GetMetadata("Cache"))))
            .ToList();

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
