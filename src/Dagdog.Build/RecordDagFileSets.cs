using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Runs before MSBuild checks any task: writes what each task's globs match now, where it changed, so that a file
/// that joined or left a glob's matches makes MSBuild check the task (see <see cref="FileSets"/>). Reads no data file.
/// </summary>
public sealed class RecordDagFileSets : DagStateTask
{
    protected override bool ExecuteDagdog()
    {
        var layout = new StateLayout(StateDirectory, Path.GetDirectoryName(ProjectFile)!);
        // A family is checked in every build, instance by instance: it needs no file set.
        foreach (var task in Declarations.FromItems(Tasks).Where(t => TaskNames.IsValidName(t.Name) && t.ForEach is null && t.ForEachItem is null))
        {
            if (FileSets.Record(layout, task.Name, DeclaredFiles.Of(task, layout.ProjectDirectory)))
                Log.LogMessage(MessageImportance.Low, $"Dagdog: the files task {task.Name}'s globs match changed.");
        }
        return true;
    }
}
