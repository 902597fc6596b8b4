using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Turns the selection properties into what the build runs. Modes that respect state (everything, or a task after
/// its upstream) hand MSBuild the task targets to call, so Inputs/Outputs decide; modes that run regardless of state
/// (Only, Downstream, DagForce) list the tasks to run directly, in order. A dry run prints the plan and runs nothing.
/// </summary>
public sealed class PlanDagRun : DagStateTask
{
    public ITaskItem[] Tasks { get; set; } = [];

    public ITaskItem[] TaskData { get; set; } = [];

    public string Dag { get; set; } = "";

    public string DagFrom { get; set; } = "";

    public string DagMode { get; set; } = "";

    public string DagExclusive { get; set; } = "";

    public string DagForce { get; set; } = "";

    public bool DryRun { get; set; }

    /// <summary>Task targets for MSBuild to call, in order.</summary>
    [Output] public string[] TargetsToCall { get; private set; } = [];

    /// <summary>Tasks to run whatever their state, in order, with Reason, Parents, Inputs and Outputs metadata.</summary>
    [Output] public ITaskItem[] DirectRuns { get; private set; } = [];

    protected override bool ExecuteOnState()
    {
        if (ProjectDag.Load(Tasks, TaskData, StateDirectory, ProjectFile, Log) is not { } project) return false;
        if (project.Select(Dag, DagFrom, DagMode, DagExclusive, DagForce) is not var (selection, selected)) return false;

        if (!DryRun && !selection.RunsRegardlessOfState)
        {
            // The task targets' Inputs/Outputs decide, and RunDagTask checks contents: no need to read any state here.
            // The selected task's own target runs its stale upstream first; without it (exclusive), its parents' targets do.
            var roots = selection.Mode == SelectionMode.All || selected is null ? project.Dag.Tasks
                : selection.Exclusive ? selected.Parents
                : [selected];
            TargetsToCall = roots.Select(t => DagTargetsWriter.TargetName(t.Name)).ToArray();
            return true;
        }

        var plan = Planner.Plan(project.Dag, selection, selected, project.StaleReason);
        if (DryRun)
        {
            Log.LogMessage(MessageImportance.High, plan.Count == 0
                ? "Dag: dry run: nothing would run, every selected task is up to date."
                : $"Dag: dry run: {plan.Count} task(s) would run, in this order:");
            foreach (var run in plan) Log.LogMessage(MessageImportance.High, $"Dag: would run {run.Task.Index}:{run.Task.Name} ({run.Reason})");
            return true;
        }

        DirectRuns = plan.Select(run => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(run.Task.Name, new Dictionary<string, string>
        {
            ["Reason"] = run.Reason,
            ["Parents"] = string.Join(";", run.Task.Parents.Select(p => p.Name)),
            ["Inputs"] = string.Join(";", project.FilesOf(run.Task).Inputs),
            ["Outputs"] = string.Join(";", project.FilesOf(run.Task).Outputs),
        })).ToArray();
        return true;
    }
}
