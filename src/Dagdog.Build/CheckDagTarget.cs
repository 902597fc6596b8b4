using Dagdog.Graph;

namespace Dagdog.Build;

/// <summary>
/// Ends a task target (<c>Dag_Fit</c>): the <c>Dag</c> target it depends on runs once per build, so it must have run for
/// this task. It did not when another task target or a plain build ran the DAG first in the same build
/// (<c>-t:Dag_Fit;Dag_Plot</c>): a build runs one selection, and DAG034 says so rather than leaving Plot silently not run.
/// </summary>
public sealed class CheckDagTarget : DagdogTask
{
    public string Task { get; set; } = "";

    /// <summary>The task the Dag target ran for in this build; empty when it ran for every task.</summary>
    public string RanFor { get; set; } = "";

    protected override bool ExecuteDagdog() => RanFor == Task || GoesOn(new DagProblem(DagCodes.OneSelection, null,
        $"The DAG already ran in this build ({(RanFor.Length == 0 ? "every task" : $"+{RanFor}")}), so Dag_{Task} would run nothing: a build runs one " +
        $"selection. Build Dag_{Task} on its own (dotnet build -t:Dag_{Task})."));
}
