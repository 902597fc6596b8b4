
namespace Dagdog.Graph;

/// <summary>A problem in the user's DAG, reported as an MSBuild error or warning with its code.</summary>
/// <param name="Code">A stable code such as <c>DAG003</c>; see <see cref="DagCodes"/>.</param>
/// <param name="TaskName">The task the problem is about, when there is one.</param>
/// <param name="Message">What is wrong and how to fix it, in one or two sentences.</param>
/// <param name="IsWarning">True for a problem the build reports and goes on with.</param>
internal sealed record DagProblem(string Code, string? TaskName, string Message, bool IsWarning = false)
{
    /// <summary>Where in the user's code the problem is (the line that threw); without it, the task's DagTask item.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>More detail: a stack trace, logged at normal verbosity (-v:n) after the problem.</summary>
    public string? Detail { get; init; }

    public override string ToString() => $"{Code}: {Message}";

    /// <summary>DAG019 for a file Dagdog could not read, hash or update, with the fix its cause calls for.</summary>
    public static DagProblem FileUnusable(string? task, Exception e) => new(DagCodes.DataFileUnusable, task,
        $"Dagdog could not read or update a file{(task is null ? "" : $" of task '{task}'")}: {e.Message.TrimEnd('.')}. " +
        (e switch
        {
            IOException io when IoErrors.IsDiskFull(io) => "The disk is full: free some space, and build again.",
            FileNotFoundException { FileName: { } path } when IoErrors.DanglingLink(path) is { } target =>
                $"'{path}' is a symbolic link to '{target}', which does not exist: fix the link or remove it, and build again.",
            PathTooLongException or IOException when IoErrors.IsNameTooLong(e) =>
                "A name in that path is longer than the file system allows (255 bytes for one name on most): shorten it, and build again.",
            _ => "Close the program that holds it open, or fix its permissions (or remove what stands in its place, or make the folder writable), and build again.",
        }));

    /// <summary>DAG030: something Dagdog did not expect went wrong in <paramref name="where"/> (a bug in Dagdog).</summary>
    public static DagProblem Internal(Exception e, string where, string? task) => new(DagCodes.InternalError, task,
        $"{where} failed unexpectedly: {e.GetType().FullName}: {e.Message} This is a bug in Dagdog; " +
        "please report it with the output of the same build run with -v:n (it shows the stack trace).")
    {
        Detail = e.ToString(),
    };
}

/// <summary>A place in a source file.</summary>
internal sealed record SourceLocation(string File, int Line, int Column);

/// <summary>Every diagnostic code Dagdog reports. Codes are never reused for another meaning.</summary>
internal static class DagCodes
{
    public const string InvalidName = "DAG001";
    public const string DuplicateTask = "DAG002";
    public const string UnknownDependency = "DAG003";
    public const string Cycle = "DAG004";
    public const string TargetsNotGenerated = "DAG005";
    public const string TargetsStale = "DAG006";
    public const string NoClass = "DAG007";
    public const string SeveralClasses = "DAG008";
    public const string NoRunMethod = "DAG009";
    public const string RunThrew = "DAG010";
    public const string OutputNotWritten = "DAG011";
    public const string AssemblyUnreadable = "DAG012";
    public const string UnknownSelectedTask = "DAG013";
    public const string IndexOutOfRange = "DAG014";
    public const string UnknownMode = "DAG015";
    public const string MalformedSelector = "DAG016";
    public const string InvalidSelection = "DAG017";
    public const string StateUnreadable = "DAG018";
    public const string DataFileUnusable = "DAG019";
    public const string InvalidRunLimit = "DAG020";
    public const string WorkerEnded = "DAG021";
    public const string TimedOut = "DAG022";
    public const string Interrupted = "DAG023";
    public const string SharedOutput = "DAG024";
    public const string OutputIsInput = "DAG025";
    public const string MissingDependency = "DAG026";
    public const string InvalidOption = "DAG027";
    // DAG028 (a dry run of a task target) is no longer reported: a task target now runs the one Dag path, dry runs included.
    public const string InspectionMissing = "DAG029";
    public const string InternalError = "DAG030";
    public const string CacheUnusable = "DAG031";
    public const string LeftProcesses = "DAG032";
    public const string InvalidPath = "DAG033";
    public const string OneSelection = "DAG034";
    public const string InvalidFamily = "DAG035";
    public const string InvalidKey = "DAG036";
    public const string RunParameter = "DAG037";
    public const string UnknownInstance = "DAG038";
    public const string EmptyFamily = "DAG039";
    public const string KeptOutput = "DAG040";
    public const string SlurmMissing = "DAG041";
    public const string WatchFailed = "DAG042";
    public const string FamilyVanished = "DAG043";
    public const string BoardUnavailable = "DAG044";
    public const string BoardReachable = "DAG045";
}
