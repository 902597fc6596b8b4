using Dagdog.Running;
using Dagdog.State;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Takes the project's lock before anything is compiled or run, and holds it until the build ends (MSBuild disposes
/// the registered lock then; the OS releases it if the process dies first). A second build of the same project waits,
/// says for whom, and then sees what the first one did.
/// </summary>
public sealed class LockDagProject : DagStateTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    public void Cancel() => _cancel.Cancel();

    protected override bool ExecuteDagdog()
    {
        var layout = new StateLayout(StateDirectory, Path.GetDirectoryName(ProjectFile)!);
        var key = $"Dagdog lock {Path.GetFullPath(layout.LockFile)}";
        if (BuildEngine4.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is not null) return true;

        var held = ProjectLock.Acquire(layout,
            owner => Live.Print($"Dag: waiting for another build of this project to finish ({owner} holds {layout.LockFile})"),
            _cancel.Token);
        if (held is null) return false;
        BuildEngine4.RegisterTaskObject(key, held, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
        return true;
    }
}
