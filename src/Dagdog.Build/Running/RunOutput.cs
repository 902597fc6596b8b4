using System.Collections.Concurrent;
using System.Globalization;
using Dagdog.Cache;
using Dagdog.Graph;
using Dagdog.Running;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dagdog.Build.Running;

/// <summary>
/// Every line a DAG run prints, rendered from what the run tells (<see cref="IRunEvents"/>) and from its results, and
/// the one thread that prints them. Turns run in parallel and their workers' output arrives on reader threads; each
/// line is queued whole and logged, in order, by the MSBuild task's own thread, so lines never mix and MSBuild is only
/// called from the thread that called the task. Lines go out through <see cref="LiveMessages"/>, so that the terminal
/// logger prints them too and names the running tasks on its live line. What a run did is in its results; the only
/// state kept here is how far the printed lines have got.
/// </summary>
/// <param name="reportFile">The run report (<see cref="RunReport"/>), where the summary sends a user for what it leaves out.</param>
internal sealed class RunOutput(TaskLoggingHelper log, LiveMessages live, string projectFile, string reportFile, int mayRun) : IRunEvents
{
    // As the user would type it from the project's folder.
    private readonly string _report = Path.GetRelativePath(Path.GetDirectoryName(projectFile)!, reportFile);

    // How many tasks may run: a family counts for the instances it runs once they are decided (Expanded).
    private int _mayRun = mayRun;

    // Bounded, so that a task printing faster than MSBuild logs waits (its worker's pipe fills, then its writes block)
    // instead of the build's memory growing with its output.
    private readonly BlockingCollection<Action> _queue = new(boundedCapacity: 1_000);

    // Touched only by the thread that logs, so that "[n/N]" counts up in the order the lines are printed: how many tasks
    // started so far (of the mayRun that may), and the tasks running now in the order they started (the terminal logger's live line).
    private int _started;
    private readonly List<string> _running = [];

    /// <summary>Queues a log call; <see cref="Pump"/> makes it.</summary>
    public void Dispatch(Action logCall) => _queue.Add(logCall);

    /// <summary>Makes the queued log calls on this thread until <paramref name="work"/> is done and the queue is empty.</summary>
    public T Pump<T>(Task<T> work)
    {
        work.ContinueWith(_ => _queue.CompleteAdding(), TaskScheduler.Default);
        foreach (var logCall in _queue.GetConsumingEnumerable()) logCall();
        return work.GetAwaiter().GetResult();
    }

    /// <summary>The line of a run in which every task was up to date; a watch's says how long it took from the save.</summary>
    public void NothingToRun(int upToDate, TimeSpan? elapsed = null) =>
        live.Print($"Dag: nothing to run: {upToDate} task(s) up to date" + (elapsed is { } time ? $" ({Seconds(time.TotalSeconds)} s)" : ""));

    public void Expanded(DagNode family, int toRun) => Dispatch(() => _mayRun += toRun - 1);

    public void Started(string name, string reason) => Dispatch(() =>
    {
        _running.Add(name);
        live.Status($"Dag: {Next()} {name} started ({reason})", "running", Running());
    });

    public void Waiting(string name, string why) => Dispatch(() => live.Print($"Dag: {name} queued ({why})"));

    public void Output(string name, string line) => Dispatch(() => live.Print($"  {name}: {line}"));

    public void NotShown(string name, long lines, int shown, string logFile) => Dispatch(() => live.Print(
        $"  {name}: ... and {lines.ToString("N0", CultureInfo.InvariantCulture)} more line(s), in {Path.GetRelativePath(Path.GetDirectoryName(projectFile)!, logFile)} " +
        $"(the build log shows the first {shown.ToString("N0", CultureInfo.InvariantCulture)}: DagOutputLines)"));

    public void Problem(DagProblem problem) => Dispatch(() => log.LogProblem(problem, projectFile));

    public void Note(string line) => Dispatch(() => live.Print(line));

    public void Finished(TurnResult result) => Dispatch(() =>
    {
        var task = result.Name;
        switch (result.Status)
        {
            case TurnStatus.UpToDate:
                live.Print($"Dag: {task} is up to date: newer timestamps, but its code, inputs and upstream outputs are unchanged");
                return;
            case TurnStatus.Restored:
                live.Print($"Dag: {Next()} {task} {StatusWords.Restored(result)} " +
                           $"({result.Reason}; {Size(result.RestoredBytes)} in {Seconds(result.Seconds)} s)" + SameOutput(result));
                return;
            case TurnStatus.Ran:
                foreach (var output in result.MissingOutputs)
                {
                    log.LogWarning(subcategory: null, DagCodes.OutputNotWritten, helpKeyword: null, projectFile, 0, 0, 0, 0,
                        $"Task '{task}' finished but did not write its declared output '{output}', so it will run again " +
                        "every time. Write the file in Run(), or fix the DagTask's Outputs.");
                }
                Stopped(task, $"Dag: {task} finished in {Seconds(result.Seconds)} s" + SameOutput(result), "finished");
                return;
            default:
                if (result.Error is { } error) log.LogProblem(error, projectFile);
                var how = StatusWords.Word(result.Status);
                if (_running.Contains(task)) Stopped(task, $"Dag: {task} {how}" + (result.Seconds > 0 ? $" after {Seconds(result.Seconds)} s" : ""), how);
                return;
        }
    });

    private static string SameOutput(TurnResult result) =>
        result.SameOutput ? "; its outputs are byte-identical to the last run's, so its downstream stays up to date" : "";

    // "[n/N]" for the task starting now: the n-th to start of the N that may run.
    private string Next()
    {
        _started++;
        return Progress();
    }

    private string Progress() => $"[{_started}/{_mayRun}]";

    // What the terminal logger's live line names: "Fit, Plot [3/5]", the first few of many running tasks.
    private string Running()
    {
        const int named = 3;
        return string.Join(", ", _running.Take(named)) + (_running.Count > named ? $" +{_running.Count - named}" : "") + $" {Progress()}";
    }

    // A task's last line: the live line then names the tasks still running, or this one and how it ended.
    private void Stopped(string task, string line, string how)
    {
        _running.Remove(task);
        live.Status(line, _running.Count > 0 ? "running" : how, _running.Count > 0 ? Running() : $"{task} {Progress()}");
    }

    /// <summary>A dry run: what would run, in the order it would start, and why.</summary>
    public void Plan(IReadOnlyList<TurnResult> results)
    {
        var plan = results.Where(r => r.Status is TurnStatus.WouldRun or TurnStatus.WouldRestore).ToList();
        var count = plan.SelectMany(r => r.Units).Count(r => r.Status is TurnStatus.WouldRun or TurnStatus.WouldRestore);
        live.Print(plan.Count == 0
            ? "Dag: dry run: nothing would run, every selected task is up to date."
            : $"Dag: dry run: {count} task(s) would run, in this order:");
        foreach (var result in plan.SelectMany(r => r.Units).Where(r => r.Status is TurnStatus.WouldRun or TurnStatus.WouldRestore))
        {
            live.Print($"Dag: {(result.Status != TurnStatus.WouldRestore ? StatusWords.Word(result.Status) : StatusWords.WouldRestore(result))} {result.Task.Index}:{result.Name} ({result.Reason})");
        }
    }

    // Beyond this many tasks that ran, the summary names only the slowest half this many; beyond this many up to date,
    // the first this many. Failures are always all named.
    private const int TasksNamed = 20;

    /// <summary>
    /// The end of every run, all a user needs to see of it when nothing else was shown: counts, then each task that ran
    /// with its duration and why it ran (the slowest ones only, in a large run), each that failed or did not run and
    /// why, the ones that were up to date, and what the shared cache did.
    /// </summary>
    public void Summary(IReadOnlyList<TurnResult> results, TimeSpan elapsed, bool interrupted)
    {
        var statusOf = results.ToDictionary(r => r.Task, r => r.Status);
        results = results.SelectMany(r => r.Units).ToList();
        live.Print($"Dag: {Counts(results)} in {Seconds(elapsed.TotalSeconds)} s");
        var ran = results.Where(r => r.Status is TurnStatus.Ran or TurnStatus.Restored).ToList();
        var named = ran.Count <= TasksNamed ? ran.ToHashSet() : ran.OrderByDescending(r => r.Seconds).Take(TasksNamed / 2).ToHashSet();
        var notRan = results.Where(r => r.Status is not (TurnStatus.UpToDate or TurnStatus.Ran or TurnStatus.Restored)).ToList();
        // At thousands of instances, the failures named are the first ones; the rest are counted.
        var notNamed = Math.Max(0, notRan.Count - 5 * TasksNamed);
        named.UnionWith(notRan.Take(5 * TasksNamed));
        foreach (var result in results.Where(named.Contains))
        {
            var reason = result.Reason + (result.SameOutput ? "; same outputs as before" : "");
            var why = reason.Length > 0 ? $" ({reason})" : "";
            var what = result.Status switch
            {
                TurnStatus.Restored => $"{StatusWords.Restored(result)} in {Seconds(result.Seconds)} s{why}",
                TurnStatus.Ran => $"{StatusWords.Word(result.Status)} in {Seconds(result.Seconds)} s{why}",
                TurnStatus.Failed => $"{StatusWords.Word(result.Status)}{(result.Seconds > 0 ? $" after {Seconds(result.Seconds)} s" : "")}{why}",
                TurnStatus.Interrupted => $"{StatusWords.Word(result.Status)} after {Seconds(result.Seconds)} s{why}",
                _ when result.Cause is not null || result.Reason is not null => $"{StatusWords.Word(result.Status)}: {RunReport.WhyNotRun(result, statusOf)}",
                _ => interrupted ? "not started: the build was interrupted"
                    : "not started: the build stops after a failure (-p:DagKeepGoing=true runs what does not depend on it)",
            };
            live.Print($"Dag:   {result.Name}: {what}");
        }
        if (ran.Count(named.Contains) < ran.Count) live.Print($"Dag:   ... and {ran.Count - ran.Count(named.Contains)} more that ran, each faster than these");
        if (notNamed > 0) live.Print($"Dag:   ... and {notNamed} more that failed or did not run ({_report} lists them all)");
        var upToDate = results.Where(r => r.Status == TurnStatus.UpToDate).Select(r => r.Name).ToList();
        if (upToDate.Count > 0)
        {
            live.Print($"Dag:   {StatusWords.Word(TurnStatus.UpToDate)}: {string.Join(", ", upToDate.Take(TasksNamed))}" +
                (upToDate.Count > TasksNamed ? $" and {upToDate.Count - TasksNamed} more" : ""));
        }
        if (CacheCounts(results) is { } cache) live.Print($"Dag: cache: {cache}");
    }

    // What the shared cache did in the run, counted from the turns; null when it was not used.
    private static string? CacheCounts(IReadOnlyList<TurnResult> results)
    {
        int Count(Func<TurnResult, bool> which) => results.Count(which);
        var (restored, missed, damaged, notAsked) = (Count(r => r.Cache == CacheUse.Restored), Count(r => r.Cache == CacheUse.Missed),
            Count(r => r.Cache == CacheUse.Damaged), Count(r => r.Cache == CacheUse.NotAsked));
        var (pushed, repaired) = (Count(r => r.Pushed == PushOutcome.Stored), Count(r => r.Pushed == PushOutcome.Repaired));
        if (restored + missed + damaged + notAsked + pushed + repaired == 0) return null;
        return $"{restored} restored, {missed} missed, {pushed} pushed" +
               (damaged > 0 ? $", {damaged} damaged (warning DAG031)" : "") +
               (repaired > 0 ? $", {repaired} repaired" : "") +
               (notAsked > 0 ? $", {notAsked} not looked up after the cache failed (warning DAG031)" : "");
    }

    /// <summary>
    /// The run as a Markdown table, appended to the file that GitHub Actions shows as the job's summary (the path in
    /// <c>GITHUB_STEP_SUMMARY</c>): each task of the selection, what became of it, how long it ran and why.
    /// </summary>
    public void StepSummary(string path, IReadOnlyList<TurnResult> results, TimeSpan elapsed)
    {
        var text = new System.Text.StringBuilder()
            .Append($"### Dagdog: {Path.GetFileName(projectFile)}\n\n{Counts(results.SelectMany(r => r.Units).ToList())} in {Seconds(elapsed.TotalSeconds)} s\n\n")
            .Append("| task | result | duration | reason |\n|---|---|---|---|\n");
        var statusOf = results.ToDictionary(r => r.Task, r => r.Status);
        // GitHub shows at most 1 MiB of a step's summary: a large family's rows are cut.
        const int rows = 1_000;
        var units = results.SelectMany(r => r.Units).ToList();
        foreach (var result in units.Take(rows))
        {
            var what = result.Status == TurnStatus.Restored ? StatusWords.Restored(result) : StatusWords.Word(result.Status);
            var why = result.Status switch
            {
                TurnStatus.Interrupted => "Ctrl+C",
                TurnStatus.NotRun => RunReport.WhyNotRun(result, statusOf),
                _ => result.Reason ?? "",
            };
            var duration = StatusWords.Started(result.Status) ? $"{Seconds(result.Seconds)} s" : "";
            text.Append($"| {result.Task.Index}: {result.Name} | {what} | {duration} | {why.Replace("|", "\\|")} |\n");
        }
        if (units.Count > rows) text.Append($"\n... and {units.Count - rows} more, in {_report}\n");
        File.AppendAllText(path, text.Append('\n').ToString());
    }

    private static string Counts(IReadOnlyList<TurnResult> results) => StatusWords.Counts(results.Select(r => r.Status));

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MB"),
    };

    private static string Seconds(double seconds) => TaskTurns.Seconds(seconds);
}
