using Dagdog.Build.Running;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Checks the selection properties and says which task checks MSBuild runs before RunDag: for the modes that respect
/// state (everything, or a task after its upstream), the check targets of the selection, so that MSBuild's Inputs/Outputs
/// mark what is stale; the modes that run regardless of state (Only, Downstream, DagForce) need none. A dry run prints
/// the plan and runs nothing.
/// </summary>
public sealed class PlanDagRun : DagStateTask
{
    public ITaskItem[] Tasks { get; set; } = [];

    public string Dag { get; set; } = "";

    public string DagFrom { get; set; } = "";

    public string DagMode { get; set; } = "";

    public string DagExclusive { get; set; } = "";

    public string DagForce { get; set; } = "";

    public bool DryRun { get; set; }

    /// <summary>The shared result cache (<c>DagCache</c>), for a dry run to say which tasks it would restore.</summary>
    public string Cache { get; set; } = "";

    /// <summary>The check targets for MSBuild to run before RunDag.</summary>
    [Output] public string[] CheckTargets { get; private set; } = [];

    protected override bool ExecuteDagdog()
    {
        if (ProjectDag.Load(Tasks, StateDirectory, ProjectFile, Log) is not { } project) return false;
        if (project.Select(Dag, DagFrom, DagMode, DagExclusive, DagForce) is not var (selection, selected)) return false;

        if (!DryRun)
        {
            // A task's check runs its upstream's first; without the task itself (exclusive), its parents' checks do.
            var roots = selection.RunsRegardlessOfState ? []
                : selection.Mode == SelectionMode.All || selected is null ? project.Dag.Tasks
                : selection.Exclusive ? selected.Parents
                : [selected];
            CheckTargets = roots.Select(DagTargetsWriter.CheckTargetName).ToArray();
            return true;
        }

        var plan = Planner.Plan(project.Dag, selection, selected, project.StaleReason);
        Live.Print(plan.Count == 0
            ? "Dag: dry run: nothing would run, every selected task is up to date."
            : $"Dag: dry run: {plan.Count} task(s) would run, in this order:");
        var restorable = ResultStores.Open(Cache, project.Layout.ProjectDirectory, Log, Live, ProjectFile, logCall => logCall()) is { } cache && !selection.RunsRegardlessOfState
            ? ResultStores.Restorable(project, plan.Select(run => run.Task).ToList(), cache)
            : [];
        foreach (var run in plan)
        {
            Live.Print(restorable.Contains(run.Task)
                ? $"Dag: would restore from cache {run.Task.Index}:{run.Task.Name} ({run.Reason})"
                : $"Dag: would run {run.Task.Index}:{run.Task.Name} ({run.Reason})");
        }
        return true;
    }
}
