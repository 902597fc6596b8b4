using System.Collections.Concurrent;
using System.Globalization;
using Dagdog.Running;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dagdog.Build.Running;

/// <summary>
/// Every line a DAG run prints, and the one thread that prints them. Tasks run in parallel and their workers' output
/// arrives on reader threads; each line is queued whole and logged, in order, by the MSBuild task's own thread, so
/// lines never mix and MSBuild is only called from the thread that called the task. Lines go out through
/// <see cref="LiveMessages"/>, so that the terminal logger prints them too and names the running tasks on its live line.
/// </summary>
internal sealed class RunOutput(TaskLoggingHelper log, LiveMessages live, string projectFile, int mayRun)
{
    // Bounded, so that a task printing faster than MSBuild logs waits (its worker's pipe fills, then its writes block)
    // instead of the build's memory growing with its output.
    private readonly BlockingCollection<Action> _queue = new(boundedCapacity: 1_000);
    private readonly ConcurrentDictionary<string, string> _reasons = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _restored = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _sameOutput = new(StringComparer.Ordinal);
    // How long each task took as its own line said, so that the summary gives the same figure.
    private readonly ConcurrentDictionary<string, double> _seconds = new(StringComparer.Ordinal);
    private int _cacheMissed;
    private int _cachePushed;
    private int _cacheRepaired;
    private int _cacheDamaged;
    private int _cacheNotAsked;
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

    public void NothingToRun(int upToDate) =>
        Dispatch(() => live.Print($"Dag: nothing to run: {upToDate} task(s) up to date"));

    public void Started(string task, string reason)
    {
        _reasons[task] = reason;
        Dispatch(() =>
        {
            _running.Add(task);
            live.Status($"Dag: {Next()} {task} started ({reason})", "running", Running());
        });
    }

    // "[n/N]" for the task starting now: the n-th to start of the N that may run.
    private string Next()
    {
        _started++;
        return Progress();
    }

    private string Progress() => $"[{_started}/{mayRun}]";

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

    public void WorkerStarted(int processId) => Dispatch(() => log.LogMessage(MessageImportance.Low, $"Dag: started worker process {processId}"));

    public void Line(string task, string line) => Dispatch(() => live.Print($"  {task}: {line}"));

    /// <summary>After a task's shown lines: how many more its log file has.</summary>
    public void NotShown(string task, long lines, int shown, string logFile) => Dispatch(() => live.Print(
        $"  {task}: ... and {lines.ToString("N0", CultureInfo.InvariantCulture)} more line(s), in {Path.GetRelativePath(Path.GetDirectoryName(projectFile)!, logFile)} " +
        $"(the build log shows the first {shown.ToString("N0", CultureInfo.InvariantCulture)}: DagOutputLines)"));

    /// <summary>Warning DAG032: processes the task started were still running when its Run() returned, and were stopped.</summary>
    public void LeftProcesses(string task, IReadOnlyList<string> stopped) => Problem(new(DagCodes.LeftProcesses, task,
        $"Task '{task}' left {stopped.Count} process(es) running when its Run() returned; Dagdog stopped them: {string.Join(", ", stopped.Take(5))}" +
        (stopped.Count > 5 ? $" and {stopped.Count - 5} more" : "") + ". Wait for the processes a task starts (Process.WaitForExit) before Run() returns.", IsWarning: true));

    public void Unchanged(string task) => Dispatch(() => live.Print(
        $"Dag: {task} is up to date: newer timestamps, but its code, inputs and upstream outputs are unchanged"));

    public void Finished(string task, RunSuccess success) => Dispatch(() =>
    {
        _seconds[task] = success.Seconds;
        if (success.SameOutput) _sameOutput[task] = true;
        foreach (var output in success.MissingOutputs)
        {
            log.LogWarning(subcategory: null, DagCodes.OutputNotWritten, helpKeyword: null, projectFile, 0, 0, 0, 0,
                $"Task '{task}' finished but did not write its declared output '{output}', so it will run again " +
                "every time. Write the file in Run(), or fix the DagTask's Outputs.");
        }
        Stopped(task, $"Dag: {task} finished in {Seconds(success.Seconds)} s" +
            (success.SameOutput ? "; its outputs are byte-identical to the last run's, so its downstream stays up to date" : ""), "finished");
    });

    /// <summary>In place of Started and Finished, for a task whose outputs came from the cache: its Run() was not called.</summary>
    public void Restored(string task, string reason, RestoreOutcome.Restored restored, RunSuccess success)
    {
        _restored[task] = true;
        _seconds[task] = restored.Took.TotalSeconds;
        _reasons[task] = reason;
        if (success.SameOutput) _sameOutput[task] = true;
        Dispatch(() => live.Print(
            $"Dag: {Next()} {task} restored from cache ({reason}; {Size(restored.Bytes)} in {Seconds(restored.Took.TotalSeconds)} s)" +
            (success.SameOutput ? "; its outputs are byte-identical to the last run's, so its downstream stays up to date" : "")));
    }

    public void CacheMissed() => Interlocked.Increment(ref _cacheMissed);

    /// <summary>A task the cache was not asked about, because the store had failed (said once, by warning DAG031).</summary>
    public void CacheNotAsked() => Interlocked.Increment(ref _cacheNotAsked);

    /// <summary>Counts what a push really did: only entries written are pushed, and replaced ones repaired.</summary>
    public void CachePushed(PushOutcome outcome)
    {
        if (outcome == PushOutcome.Stored) Interlocked.Increment(ref _cachePushed);
        if (outcome == PushOutcome.Repaired) Interlocked.Increment(ref _cacheRepaired);
    }

    /// <summary>Warning DAG031: the task's entry in the store is damaged; the task runs as if there were no cache, and its push replaces the entry.</summary>
    public void CacheDamaged(string task, string store, string why)
    {
        Interlocked.Increment(ref _cacheDamaged);
        Problem(new(DagCodes.CacheUnusable, task,
            $"The cache {store} could not be used for task '{task}': {why.TrimEnd('.')}. The task runs as if there were no cache.", IsWarning: true));
    }

    public void Threw(string task, RunResult result, double seconds) => Dispatch(() =>
    {
        _seconds[task] = seconds;
        log.LogError(subcategory: null, DagCodes.RunThrew, helpKeyword: null, result.File ?? projectFile, result.Line, result.Column, 0, 0,
            $"Task '{task}' failed after {Seconds(seconds)} s: {result.Error} {StaysStale} Run with -v:n to see the stack trace.");
        log.LogMessage(MessageImportance.Normal, $"Dag: {task} stack trace:{Environment.NewLine}{result.StackTrace}");
        Stopped(task, $"Dag: {task} failed after {Seconds(seconds)} s", "failed");
    });

    public void WorkerEnded(string task, string how, bool afterRunReturned, double seconds) => Failed(new(DagCodes.WorkerEnded, task,
        $"Task '{task}' failed after {Seconds(seconds)} s: {(afterRunReturned ? $"Run() returned, but then {how}" : how).TrimEnd('.')}. {StaysStale}"), seconds);

    public void TimedOut(string task, TimeSpan limit, double seconds) => Failed(new(DagCodes.TimedOut, task,
        $"Task '{task}' ran longer than its Timeout of {limit:c} and was stopped after {Seconds(seconds)} s. {StaysStale} " +
        "Make it faster, or raise its Timeout metadata."), seconds);

    public void Interrupted(string task, double seconds) => Failed(new(DagCodes.Interrupted, task,
        $"Task '{task}' was interrupted after {Seconds(seconds)} s (Ctrl+C). It will run again next time."), seconds, "interrupted");

    public void Problem(DagProblem problem) => Dispatch(() => log.LogProblem(problem, projectFile));

    /// <summary>
    /// An error about a task that may have started: it is no longer named as running. The first figure of how long it
    /// ran stands, so a worker that ends after its task finished does not change it.
    /// </summary>
    public void Failed(DagProblem problem, double? seconds = null, string how = "failed", string? stackTrace = null) => Dispatch(() =>
    {
        var task = problem.TaskName!;
        if (seconds is { } took) _seconds.TryAdd(task, took);
        log.LogProblem(problem, projectFile);
        if (stackTrace is not null) log.LogMessage(MessageImportance.Low, stackTrace);
        if (_running.Contains(task)) Stopped(task, $"Dag: {task} {how}" + (seconds is { } s ? $" after {Seconds(s)} s" : ""), how);
    });

    // Beyond this many tasks that ran, the summary names only the slowest half this many; beyond this many up to date,
    // the first this many. Failures are always all named.
    private const int TasksNamed = 20;

    /// <summary>
    /// The end of every run, all a user needs to see of it when nothing else was shown: counts, then each task that ran
    /// with its duration and why it ran (the slowest ones only, in a large run), each that failed or did not run and
    /// why, and the ones that were up to date.
    /// </summary>
    public void Summary(IReadOnlyList<TaskResult> results, TimeSpan elapsed, bool interrupted)
    {
        live.Print($"Dag: {Counts(results)} in {Seconds(elapsed.TotalSeconds)} s");
        var ran = results.Where(r => r.Status == RunStatus.Ran).ToList();
        var named = ran.Count <= TasksNamed ? ran.ToHashSet() : ran.OrderByDescending(Took).Take(TasksNamed / 2).ToHashSet();
        foreach (var result in results.Where(r => r.Status is not (RunStatus.UpToDate or RunStatus.Ran) || named.Contains(r)))
        {
            var reason = _reasons.GetValueOrDefault(result.Node.Name, "") + (_sameOutput.ContainsKey(result.Node.Name) ? "; same outputs as before" : "");
            var why = reason.Length > 0 ? $" ({reason})" : "";
            var what = result.Status switch
            {
                RunStatus.Ran when _restored.ContainsKey(result.Node.Name) => $"restored from cache in {Seconds(Took(result))} s{why}",
                RunStatus.Ran => $"ran in {Seconds(Took(result))} s{why}",
                RunStatus.Failed => $"failed after {Seconds(Took(result))} s{why}",
                RunStatus.Interrupted => $"interrupted after {Seconds(Took(result))} s{why}",
                RunStatus.UpstreamFailed => $"not run: upstream {result.Cause} failed",
                _ when result.Cause is not null => $"not started: upstream {result.Cause} did not run",
                _ => interrupted ? "not started: the build was interrupted"
                    : "not started: the build stops after a failure (-p:DagKeepGoing=true runs what does not depend on it)",
            };
            live.Print($"Dag:   {result.Node.Name}: {what}");
        }
        if (named.Count < ran.Count) live.Print($"Dag:   ... and {ran.Count - named.Count} more that ran, each faster than these");
        var upToDate = results.Where(r => r.Status == RunStatus.UpToDate).Select(r => r.Node.Name).ToList();
        if (upToDate.Count > 0)
        {
            live.Print($"Dag:   up to date: {string.Join(", ", upToDate.Take(TasksNamed))}" +
                (upToDate.Count > TasksNamed ? $" and {upToDate.Count - TasksNamed} more" : ""));
        }
        if (_restored.Count + _cacheMissed + _cachePushed + _cacheRepaired + _cacheDamaged + _cacheNotAsked > 0)
        {
            live.Print($"Dag: cache: {_restored.Count} restored, {_cacheMissed} missed, {_cachePushed} pushed" +
                (_cacheDamaged > 0 ? $", {_cacheDamaged} damaged (warning DAG031)" : "") +
                (_cacheRepaired > 0 ? $", {_cacheRepaired} repaired" : "") +
                (_cacheNotAsked > 0 ? $", {_cacheNotAsked} not looked up after the cache failed (warning DAG031)" : ""));
        }
    }

    /// <summary>
    /// The run as a Markdown table, appended to the file that GitHub Actions shows as the job's summary (the path in
    /// <c>GITHUB_STEP_SUMMARY</c>): each task of the selection, what became of it, how long it ran and why.
    /// </summary>
    public void StepSummary(string path, IReadOnlyList<TaskResult> results, TimeSpan elapsed)
    {
        var text = new System.Text.StringBuilder()
            .Append($"### Dagdog: {Path.GetFileName(projectFile)}\n\n{Counts(results)} in {Seconds(elapsed.TotalSeconds)} s\n\n")
            .Append("| task | result | duration | reason |\n|---|---|---|---|\n");
        foreach (var result in results)
        {
            var (what, why) = result.Status switch
            {
                RunStatus.Ran when _restored.ContainsKey(result.Node.Name) => ("restored from cache", _reasons.GetValueOrDefault(result.Node.Name, "")),
                RunStatus.Ran => ("ran", _reasons.GetValueOrDefault(result.Node.Name, "")),
                RunStatus.UpToDate => ("skipped", "up to date"),
                RunStatus.Failed => ("failed", _reasons.GetValueOrDefault(result.Node.Name, "")),
                RunStatus.Interrupted => ("interrupted", "Ctrl+C"),
                RunStatus.UpstreamFailed => ("not run", $"upstream {result.Cause?.Name} failed"),
                _ => ("not run", "the build stopped"),
            };
            var duration = result.Status is RunStatus.Ran or RunStatus.Failed or RunStatus.Interrupted ? $"{Seconds(Took(result))} s" : "";
            text.Append($"| {result.Node.Index}: {result.Node.Name} | {what} | {duration} | {why.Replace("|", "\\|")} |\n");
        }
        File.AppendAllText(path, text.Append('\n').ToString());
    }

    private double Took(TaskResult result) => _seconds.TryGetValue(result.Node.Name, out var seconds) ? seconds : result.Duration.TotalSeconds;

    private static string Counts(IReadOnlyList<TaskResult> results)
    {
        int Count(params RunStatus[] statuses) => results.Count(r => Array.IndexOf(statuses, r.Status) >= 0);
        return string.Join(", ", new[]
        {
            (Count(RunStatus.Ran), "ran"),
            (Count(RunStatus.UpToDate), "up to date"),
            (Count(RunStatus.Failed), "failed"),
            (Count(RunStatus.Interrupted), "interrupted"),
            (Count(RunStatus.UpstreamFailed, RunStatus.NotStarted), "not run"),
        }.Where(c => c.Item1 > 0).Select(c => $"{c.Item1} {c.Item2}"));
    }

    private const string StaysStale = "Its downstream tasks did not run; it will run again next time.";

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MB"),
    };

    private static string Seconds(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture);
}
