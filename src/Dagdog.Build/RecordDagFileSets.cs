namespace Dagdog.Build;

/// <summary>
/// Runs before MSBuild checks any task: writes what each task's globs match now, where it changed, so that a file that
/// joined or left a glob's matches makes MSBuild check the task (see <see cref="DagCycle.RecordFileSets"/>).
/// </summary>
public sealed class RecordDagFileSets : DagStateTask
{
    protected override bool ExecuteDagdog() => Cycle().RecordFileSets();
}
