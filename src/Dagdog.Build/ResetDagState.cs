using Dagdog.Cache;
using Dagdog.Families;
using Dagdog.Graph;
using Dagdog.Planning;

namespace Dagdog.Build;

/// <summary>
/// dagdog's <c>state.delete()</c>: forgets the runs of every task, or of the one named by DagFrom (a family's with all its
/// instances), or of the instances DagInstance names. Outputs are kept.
/// </summary>
public sealed class ResetDagState : DagStateTask
{
    protected override bool ExecuteDagdog()
    {
        if (LoadProject() is not { } project) return false;
        var settings = Setting;
        var (selection, problem) = Selection.Parse(compact: null, settings.From, mode: null, exclusive: null, force: null, instance: settings.Instance);
        if (!GoesOn(problem)) return false;
        var (selected, resolveProblem) = selection!.ResolveTask(project.Dag);
        if (!GoesOn(resolveProblem)) return false;

        if (selected is not null && selection.Keys is { } keys)
        {
            var instances = project.KeysOf(selected).Where(keys.Matches).ToList();
            if (instances.Count == 0)
            {
                GoesOn(new DagProblem(DagCodes.UnknownInstance, selected.Name, $"Task '{selected.Name}' has no recorded instance '{keys}' to forget. 'dotnet build -t:DagList -p:DagFrom={selected.Name}' lists them."));
                return false;
            }
            foreach (var key in instances) project.Store.Forget(InstanceKeys.Name(selected.Name, key));
            Live.Print($"Dag: forgot the runs of {string.Join(", ", instances.Select(key => InstanceKeys.Name(selected.Name, key)))}; each will run next time, and then its family's downstream.");
            return true;
        }

        var forgotten = selected is null ? project.Dag.Tasks : [selected];
        foreach (var task in forgotten)
        {
            project.Store.Forget(task.Name);
            if (task.Family is null) continue;
            foreach (var folder in project.Layout.InstanceFolders(task.Name).Where(Directory.Exists)) Directory.Delete(folder, recursive: true);
            // What the family's forgotten instances left is forgotten with it.
            new ForgottenResults(project.Layout, 0).ForgetFamily(task.Name);
        }
        Live.Print(selected is null
            ? $"Dag: forgot the runs of all {forgotten.Count} task(s); each will run next time."
            : $"Dag: forgot the runs of {selected.Name}{(selected.Family is null ? "" : " and all its instances")}; it and its downstream will run next time.");
        return true;
    }
}
