namespace Dagdog;

/// <summary>A problem in the user's DAG, reported as an MSBuild error or warning with its code.</summary>
/// <param name="Code">A stable code such as <c>DAG003</c>; see <see cref="DagCodes"/>.</param>
/// <param name="TaskName">The task the problem is about, when there is one.</param>
/// <param name="Message">What is wrong and how to fix it, in one or two sentences.</param>
/// <param name="IsWarning">True for a problem the build reports and goes on with.</param>
internal sealed record DagProblem(string Code, string? TaskName, string Message, bool IsWarning = false)
{
    public override string ToString() => $"{Code}: {Message}";
}

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
    public const string DryRunOfTaskTarget = "DAG028";
    public const string InspectionMissing = "DAG029";
    public const string InternalError = "DAG030";
    public const string CacheUnusable = "DAG031";
    public const string LeftProcesses = "DAG032";
    public const string InvalidPath = "DAG033";
}
