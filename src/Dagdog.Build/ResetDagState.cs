using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>dagdog's <c>state.delete()</c>: forgets the runs of every task, or of the one named by DagFrom. Outputs are kept.</summary>
public sealed class ResetDagState : DagStateTask
{
    public ITaskItem[] Tasks { get; set; } = [];

    public string DagFrom { get; set; } = "";

    protected override bool ExecuteDagdog()
    {
        if (ProjectDag.Load(Tasks, StateDirectory, ProjectFile, Log) is not { } project) return false;
        if (project.Select(null, DagFrom, null, null, null) is not var (_, selected)) return false;

        var forgotten = selected is null ? project.Dag.Tasks : [selected];
        foreach (var task in forgotten) TaskState.Forget(project.Layout, task.Name);
        Live.Print(selected is null
            ? $"Dag: forgot the runs of all {forgotten.Count} task(s); each will run next time."
            : $"Dag: forgot the runs of {selected.Name}; it and its downstream will run next time.");
        return true;
    }
}
