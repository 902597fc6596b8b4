using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Says which task checks MSBuild runs before RunDag: for the selections that respect state (everything, or a task after
/// its upstream), the check targets of the selection's roots, so that MSBuild's Inputs/Outputs mark what is stale.
/// The selections that run regardless of state (Only, Downstream, DagForce) need none, and neither does a dry run,
/// whose every task decides for itself.
/// </summary>
public sealed class PlanDagRun : DagSelectionTask
{
    /// <summary>The check targets for MSBuild to run before RunDag.</summary>
    [Output] public string[] CheckTargets { get; private set; } = [];

    protected override bool ExecuteDagdog()
    {
        var (dryRun, problem) = Setting.DryRun;
        if (!GoesOn(problem)) return false;
        if (LoadProject() is not { } project) return false;
        if (Select(project) is not var (_, _, scope)) return false;
        if (!dryRun) CheckTargets = scope.CheckRoots.Select(DagTargetsWriter.CheckTargetName).ToArray();
        return true;
    }
}
