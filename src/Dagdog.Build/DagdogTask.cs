using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// The one template every Dagdog MSBuild task runs through, so that none ends in MSB4018 and a stack trace: a file it
/// cannot read or write (locked by another program, no permission, a folder where a file should be) is DAG019 with the
/// file named, anything else unexpected is DAG030 naming the task, with the stack trace at detailed verbosity.
/// </summary>
public abstract class DagdogTask : Microsoft.Build.Utilities.Task
{
    private string? _projectFile;
    private LiveMessages? _live;

    /// <summary>The project being built, where errors point (the targets file calling the task when not given).</summary>
    public string ProjectFile
    {
        get => _projectFile ?? BuildEngine?.ProjectFileOfTaskNode ?? "";
        set => _projectFile = value;
    }

    /// <summary>Where the lines a user must see go, so that the terminal logger shows them too.</summary>
    internal LiveMessages Live => _live ??= new(BuildEngine, GetType().Name);

    public sealed override bool Execute()
    {
        try
        {
            return ExecuteDagdog();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogProblem(FileProblem(null, e), ProjectFile);
            return false;
        }
        catch (Exception e)
        {
            Log.LogProblem(InternalProblem(e, $"Dagdog's {GetType().Name}", null), ProjectFile);
            Log.LogMessage(MessageImportance.Low, e.ToString());
            return false;
        }
    }

    protected abstract bool ExecuteDagdog();

    /// <summary>DAG030: something Dagdog did not expect went wrong in <paramref name="where"/>; the stack trace is logged at diagnostic verbosity.</summary>
    internal static DagProblem InternalProblem(Exception e, string where, string? task) => new(DagCodes.InternalError, task,
        $"{where} failed unexpectedly: {e.GetType().FullName}: {e.Message} This is a bug in Dagdog; " +
        "please report it with the output of the same build run with -v:diag (it holds the stack trace).");

    /// <summary>DAG019 for a file Dagdog could not read, hash or update.</summary>
    internal static DagProblem FileProblem(string? task, Exception e) => new(DagCodes.DataFileUnusable, task,
        $"Dagdog could not read or update a file{(task is null ? "" : $" of task '{task}'")}: {e.Message.TrimEnd('.')}. " +
        (e is IOException io && IoErrors.IsDiskFull(io)
            ? "The disk is full: free some space, and build again."
            : "Close the program that holds it open, or fix its permissions (or remove what stands in its place, or make the folder writable), and build again."));
}

/// <summary>A Dagdog task that reads or writes task state under <see cref="StateDirectory"/>.</summary>
public abstract class DagStateTask : DagdogTask
{
    /// <summary>Where task state lives (<c>obj/dag/</c>); see <see cref="StateLayout"/>.</summary>
    [Required] public string StateDirectory { get; set; } = "";
}
