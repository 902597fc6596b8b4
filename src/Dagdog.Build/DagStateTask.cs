using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// A Dagdog task that reads or writes task state and declared data files: a file it cannot read, hash or update
/// (locked by another program, no permission) is error DAG019, never a crash with a stack trace.
/// </summary>
public abstract class DagStateTask : Microsoft.Build.Utilities.Task
{
    [Required] public string ProjectFile { get; set; } = "";

    /// <summary>Where task state lives (<c>obj/dag/</c>); see <see cref="StateLayout"/>.</summary>
    [Required] public string StateDirectory { get; set; } = "";

    public sealed override bool Execute()
    {
        try
        {
            return ExecuteOnState();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogProblem(new DagProblem(DagCodes.DataFileUnusable, ProblemTaskName,
                $"Dagdog could not read or update a file{(ProblemTaskName is null ? "" : $" of task '{ProblemTaskName}'")}: {e.Message} " +
                "Close the program that holds it open, or fix its permissions, and build again."), ProjectFile);
            return false;
        }
    }

    protected abstract bool ExecuteOnState();

    /// <summary>The DAG task a file problem is about, if this MSBuild task works on one.</summary>
    protected virtual string? ProblemTaskName => null;
}
