using Dagdog.Graph;
using Dagdog.State;

namespace Dagdog.Running;

/// <summary>
/// How each status of a turn (<see cref="TurnStatus"/>) is said, everywhere it is said: the run's summary and counts,
/// the GitHub step summary, the run report's JSON, <c>DagList</c> and the DAG's picture. The one table of them, so
/// that no status is spelled twice and none travels as text to be compared again.
/// </summary>
internal static class StatusWords
{
    /// <param name="Word">What people read: <c>up to date</c>.</param>
    /// <param name="Json">Its name in the run report (README, "Run report"): <c>up-to-date</c>.</param>
    /// <param name="CountedAs">The word it is counted under in a run's counts (<c>2 ran, 1 up to date</c>): restored counts as ran.</param>
    /// <param name="Started">Whether the task started (so it has a start and a duration).</param>
    private sealed record Words(TurnStatus Status, string Word, string Json, string CountedAs, bool Started);

    // In the order the counts are said.
    private static readonly Words[] Table =
    [
        new(TurnStatus.Ran, "ran", "ran", "ran", Started: true),
        new(TurnStatus.Restored, "restored", "restored", "ran", Started: true),
        new(TurnStatus.UpToDate, "up to date", "up-to-date", "up to date", Started: false),
        new(TurnStatus.Failed, "failed", "failed", "failed", Started: true),
        new(TurnStatus.Interrupted, "interrupted", "interrupted", "interrupted", Started: true),
        new(TurnStatus.NotRun, "not run", "not-run", "not run", Started: false),
        new(TurnStatus.WouldRun, "would run", "would-run", "would run", Started: false),
        new(TurnStatus.WouldRestore, "would restore", "would-restore", "would restore", Started: false),
    ];

    private static Words Of(TurnStatus status) => Table.First(words => words.Status == status);

    public static string Word(TurnStatus status) => Of(status).Word;

    public static string Json(TurnStatus status) => Of(status).Json;

    /// <summary>Whether a task of this status started: it has a start and a duration to show.</summary>
    public static bool Started(TurnStatus status) => Of(status).Started;

    /// <summary>Where a restored task's outputs came from: <c>restored from cache</c>, <c>restored from its forgotten results</c>.</summary>
    public static string Restored(TurnResult result) =>
        $"restored from {(result.Cache == CacheUse.Forgotten ? "its forgotten results" : "cache")}";

    /// <summary>What a task would be restored from, deciding only: <c>would restore from cache</c>.</summary>
    public static string WouldRestore(TurnResult result) =>
        result.Cache == CacheUse.Forgotten ? Reasons.WouldRestoreForgotten : Reasons.WouldRestore;

    /// <summary>A run's counts, in the table's order, leaving out the statuses no task had: <c>2 ran, 3 up to date, 1 failed</c>.</summary>
    public static string Counts(IEnumerable<TurnStatus> statuses)
    {
        var counted = statuses.GroupBy(status => Of(status).CountedAs).ToDictionary(group => group.Key, group => group.Count());
        return string.Join(", ", Table.Select(words => words.CountedAs).Distinct()
            .Where(counted.ContainsKey).Select(word => $"{counted[word]} {word}"));
    }

    /// <summary>
    /// What a task's node in the picture says (<c>DagGraph</c>, deciding only): never ran, failed last time, or whether
    /// a plain build would run it now.
    /// </summary>
    public static PictureStatus Picture(TurnResult decided, RunRecord? lastRun) =>
        lastRun is null ? PictureStatus.NeverRan
        : !lastRun.Succeeded ? PictureStatus.FailedLastTime
        : decided.Status == TurnStatus.UpToDate ? PictureStatus.UpToDate
        : PictureStatus.WillRun;
}
