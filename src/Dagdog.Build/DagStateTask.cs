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
            Log.LogProblem(FileProblem(null, e), ProjectFile);
            return false;
        }
    }

    protected abstract bool ExecuteOnState();

    /// <summary>DAG019 for a file Dagdog could not read, hash or update.</summary>
    internal static DagProblem FileProblem(string? task, Exception e) => new(DagCodes.DataFileUnusable, task,
        $"Dagdog could not read or update a file{(task is null ? "" : $" of task '{task}'")}: {e.Message} " +
        "Close the program that holds it open, or fix its permissions, and build again.");

}
