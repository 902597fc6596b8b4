using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>dagdog's <c>state.delete()</c>: forgets the runs of every task, or of the one named by DagFrom. Outputs are kept.</summary>
public sealed class ResetDagState : DagStateTask
{
    public string DagFrom { get; set; } = "";

    protected override bool ExecuteDagdog()
    {
        if (LoadProject() is not { } project) return false;
        var (selection, problem) = Selection.Parse(compact: null, DagFrom, mode: null, exclusive: null, force: null);
        if (!Check(problem)) return false;
        var (selected, resolveProblem) = selection!.ResolveTask(project.Dag);
        if (!Check(resolveProblem)) return false;

        var forgotten = selected is null ? project.Dag.Tasks : [selected];
        foreach (var task in forgotten) TaskState.Forget(project.Layout, task.Name);
        Live.Print(selected is null
            ? $"Dag: forgot the runs of all {forgotten.Count} task(s); each will run next time."
            : $"Dag: forgot the runs of {selected.Name}; it and its downstream will run next time.");
        return true;
    }
}
