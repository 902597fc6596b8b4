namespace Dagdog;

/// <summary>A task's declared data files, as MSBuild expanded them (relative to the project unless rooted).</summary>
public sealed record TaskDataFiles(IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs)
{
    public static readonly TaskDataFiles None = new([], []);
}

/// <summary>
/// Why a task is stale, by the same rule MSBuild applies to its generated target: it runs when its stamp or a
/// declared output is missing, or when any input (its code fingerprint, its parents' stamps, its declared inputs)
/// is missing or newer than its oldest output. Null means up to date.
/// </summary>
public static class Staleness
{
    /// <param name="state">Read only when the stamp is missing: a no-op build of a large DAG reads no run records.</param>
    public static string? Reason(string task, IReadOnlyList<string> parents, TaskDataFiles files, StateLayout layout, Func<TaskState> state,
        Func<string, DateTime?> lastWriteUtc)
    {
        if (lastWriteUtc(layout.StampFile(task)) is not { } stampTime)
            return state().LastRun is { Succeeded: false } ? Reasons.LastRunFailed : Reasons.NeverRan;

        var oldestOutput = stampTime;
        foreach (var output in files.Outputs)
        {
            if (lastWriteUtc(layout.DataFile(output)) is not { } time) return Reasons.OutputMissing(output);
            if (time < oldestOutput) oldestOutput = time;
        }

        if (!(lastWriteUtc(layout.CodeFile(task)) is { } codeTime && codeTime <= oldestOutput)) return Reasons.CodeChanged;
        foreach (var parent in parents)
        {
            if (!(lastWriteUtc(layout.StampFile(parent)) is { } time && time <= oldestOutput)) return Reasons.UpstreamRan(parent);
        }
        foreach (var input in files.Inputs)
        {
            if (lastWriteUtc(layout.DataFile(input)) is not { } time) return Reasons.InputMissing(input);
            if (time > oldestOutput) return Reasons.InputChanged(input);
        }
        return null;
    }

    /// <summary>The file system's last write time, or null for a missing file.</summary>
    public static DateTime? FileTime(string path) => File.Exists(path) ? File.GetLastWriteTimeUtc(path) : null;
}

/// <summary>The words Dagdog uses for why a task runs, everywhere: the build log, DagList and the dry run.</summary>
public static class Reasons
{
    public const string NeverRan = "never ran";
    public const string LastRunFailed = "last run failed";
    public const string CodeChanged = "code changed";
    public const string UpToDate = "up to date";
    public const string Forced = "forced";
    public const string OutOfDate = "out of date";

    public static string UpstreamRan(string parent) => $"upstream {parent} re-ran";
    public static string InputChanged(string path) => $"input changed: {path}";
    public static string InputMissing(string path) => $"input missing: {path}";
    public static string OutputMissing(string path) => $"output missing: {path}";
    public static string Selected(SelectionMode mode) => $"selected ({mode})";
}
