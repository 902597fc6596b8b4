using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Lists a task in <c>@(_DagStale)</c> from its check target. A plain <c>ItemGroup</c> would not do: MSBuild evaluates
/// the item groups of a target it skips as up to date (output inference), so every task would look stale. It infers
/// nothing for a task output that is not also one of the task's inputs.
/// </summary>
public sealed class MarkDagStale : DagdogTask
{
    [Required] public string TaskName { get; set; } = "";

    [Output] public string Stale { get; private set; } = "";

    protected override bool ExecuteDagdog()
    {
        Stale = TaskName;
        return true;
    }
}
