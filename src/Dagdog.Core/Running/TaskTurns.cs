using System.Collections.Concurrent;
using System.Globalization;

namespace Dagdog.Running;

/// <summary>How a run goes, for every turn of it.</summary>
/// <param name="AssemblyPath">The user's compiled tasks.</param>
/// <param name="Jobs">How many of the build's jobs run at once (<c>DagJobs</c>).</param>
/// <param name="KeepGoing">After a failure, still run what does not depend on it (<c>DagKeepGoing</c>).</param>
/// <param name="Cache">The shared result cache (<c>DagCache</c>), if any.</param>
/// <param name="Push">Whether successful runs are stored in the cache (<c>DagCachePush</c>).</param>
/// <param name="OutputLines">How many lines of each run's output the build log shows (<c>DagOutputLines</c>).</param>
/// <param name="DecideOnly">A dry run or a listing: each turn decides and says what it would do, and nothing runs.</param>
internal sealed record RunSettings(string AssemblyPath, int Jobs, bool KeepGoing, ResultCache? Cache, bool Push, int OutputLines, bool DecideOnly);

/// <summary>
/// One task's turn in a run, the one path from deciding to recording (docs/design.md, "A task's turn"): decide
/// (timestamps, then contents); deciding only, say what would happen; otherwise look the run up in the shared cache and
/// restore it, or run it on the executor; record success or failure (<see cref="TaskRun"/>); push it to the cache. Every
/// turn ends in one <see cref="TurnResult"/>, and no exception leaves it: a file Dagdog cannot use is DAG019, anything
/// else DAG030, both naming the task.
/// </summary>
internal sealed class TaskTurns(DagOnDisk project, RunSettings settings, ITaskExecutor? executor, IRunEvents events)
{
    private const string StaysStale = "Its downstream tasks did not run; it will run again next time.";

    // Runs whose worker a leftover of the task took down after their success was recorded, recorded as failed at the end.
    private readonly ConcurrentDictionary<DagNode, (TaskRun Run, string How)> _endedAfterwards = new();

    public async Task<TurnResult> Take(ScheduledTask scheduled, IReadOnlyList<TurnResult> parents, CancellationToken interrupt)
    {
        var task = scheduled.Node;
        TaskRun? run = null;
        try
        {
            run = new TaskRun(project.OnDisk(task));
            var verdict = run.Decide(scheduled.Reason);
            if (settings.DecideOnly) return await Foresee(scheduled, run, verdict, parents).ConfigureAwait(false);
            switch (verdict)
            {
                case RunVerdict.UpToDate:
                    return new TurnResult(task, TurnStatus.UpToDate);
                case RunVerdict.Unchanged:
                    run.KeepUpToDate();
                    return Told(new TurnResult(task, TurnStatus.UpToDate) { Unchanged = true });
                default:
                    return await Run(scheduled, run, interrupt).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Told(new TurnResult(task, TurnStatus.Failed) { Error = DagProblem.FileUnusable(task.Name, e) });
        }
        catch (Exception e)
        {
            // Whatever went wrong, the task is named, it is no longer shown as running, and the build fails with an error.
            return Told(new TurnResult(task, TurnStatus.Failed) { Error = DagProblem.Internal(e, $"Dagdog's turn of task '{task.Name}'", task.Name) });
        }
        finally
        {
            project.Recorded(task, run?.Recorded);
        }
    }

    /// <summary>
    /// Records the runs whose worker something the task left behind took down after their outcome was given (DAG021),
    /// once every worker has said how its last run ended, and returns the results with them failed.
    /// </summary>
    public IReadOnlyList<TurnResult> WithLateFailures(IReadOnlyList<TurnResult> results) =>
        results.Select(result =>
        {
            if (!_endedAfterwards.TryGetValue(result.Task, out var ended)) return result;
            var seconds = ended.Run.Fail(ended.How);
            var error = Problem(DagCodes.WorkerEnded, result.Task, $"failed after {Seconds(seconds)} s: Run() returned, but then {ended.How.TrimEnd('.')}. {StaysStale}");
            events.Problem(error);
            return result with { Status = TurnStatus.Failed, Error = error };
        }).ToList();

    // Deciding only: what the turn would do. A task that is up to date by itself runs if a parent runs first and
    // produces new output; a stale one whose run the cache holds would be restored, when its key is known now.
    private async Task<TurnResult> Foresee(ScheduledTask scheduled, TaskRun run, RunVerdict verdict, IReadOnlyList<TurnResult> parents)
    {
        var task = scheduled.Node;
        var parentFirst = parents.FirstOrDefault(parent => parent.MadeOutput)?.Task;
        var reason = verdict == RunVerdict.Run ? run.Reason : parentFirst is null ? null : Reasons.UpstreamRunsFirst(parentFirst.Name);
        if (reason is null) return new TurnResult(task, TurnStatus.UpToDate);
        var restorable = scheduled.Reason is null && parentFirst is null && settings.Cache is { } cache && task.Cacheable
                         && CodeOf(task) is { } code
                         && await cache.Has(run.ProspectiveCacheKey(code, task.Declaration.Outputs)).ConfigureAwait(false) == true;
        return new TurnResult(task, restorable ? TurnStatus.WouldRestore : TurnStatus.WouldRun) { Reason = reason };
    }

    private async Task<TurnResult> Run(ScheduledTask scheduled, TaskRun run, CancellationToken interrupt)
    {
        var task = scheduled.Node;
        var codeFile = project.Layout.CodeFile(task.Name);
        if (CodeOf(task) is not { } code || CodeFingerprint.TypeOf(code) is not { } typeName)
        {
            return Told(new TurnResult(task, TurnStatus.Failed)
            {
                Error = new(DagCodes.InspectionMissing, task.Name,
                    $"The inspection of task '{task.Name}' is missing ({codeFile}). Rebuild the project (dotnet build --no-incremental)."),
            });
        }

        run.Begin();
        var cache = task.Cacheable ? settings.Cache : null;
        var key = cache is null ? null : run.CacheKey(code, task.Declaration.Outputs);
        var cacheUse = CacheUse.None;
        // A selection that runs the task whatever its state (DagForce, Only, Downstream) asks for Run() itself: nothing is restored.
        if (cache is not null && scheduled.Reason is null)
        {
            switch (await cache.Restore(key!, task.Declaration.Outputs, project.Layout).ConfigureAwait(false))
            {
                case RestoreOutcome.Restored restored:
                    var success = run.Succeed(code, project.FilesOf(task));
                    return Told(new TurnResult(task, TurnStatus.Restored)
                    {
                        Reason = run.Reason, StartedUtc = success.StartedUtc, Seconds = restored.Took.TotalSeconds, SameOutput = success.SameOutput,
                        OutputVersion = success.OutputVersion, Cache = CacheUse.Restored, RestoredBytes = restored.Bytes,
                    });
                case RestoreOutcome.Damaged damaged:
                    events.Problem(new(DagCodes.CacheUnusable, task.Name,
                        $"The cache {cache.StoreName} could not be used for task '{task.Name}': {damaged.Why.TrimEnd('.')}. The task runs as if there were no cache.", IsWarning: true));
                    cacheUse = CacheUse.Damaged;
                    break;
                case RestoreOutcome.Missed:
                    cacheUse = CacheUse.Missed;
                    break;
                default:
                    cacheUse = CacheUse.NotAsked;
                    break;
            }
        }

        events.Started(task, run.Reason!);
        var logFile = project.Layout.LogFile(task.Name);
        Execution execution;
        using (var log = new TaskOutput(logFile, settings.OutputLines, line => events.Output(task, line)))
        {
            execution = await executor!.Run(new RunRequest(settings.AssemblyPath, typeName, project.Layout.ProjectDirectory), log.Write, task.Timeout,
                how => _endedAfterwards[task] = (run, how), interrupt).ConfigureAwait(false);
            if (log.LinesNotShown > 0) events.NotShown(task, log.LinesNotShown, settings.OutputLines, logFile);
        }
        if (execution is Execution.Finished { Result.Stopped: { Count: > 0 } stopped }) events.Problem(LeftProcesses(task, stopped));

        var result = Told(Record(task, run, code, execution) with { Cache = cacheUse, Worker = execution.Worker });
        if (result.Status == TurnStatus.Ran && cache is not null && settings.Push && result.MissingOutputs.Count == 0)
            result = result with { Pushed = await cache.Push(key!, task.Name, run.Outputs, project.Layout).ConfigureAwait(false) };
        return result;
    }

    // How Run() ended, recorded: a success with the stamp written last, anything else as a failure that leaves the task stale.
    private TurnResult Record(DagNode task, TaskRun run, string code, Execution execution)
    {
        switch (execution)
        {
            case Execution.Finished { Result.Error: null }:
                var success = run.Succeed(code, project.FilesOf(task));
                return new TurnResult(task, TurnStatus.Ran)
                {
                    Reason = run.Reason, StartedUtc = success.StartedUtc, Seconds = success.Seconds, SameOutput = success.SameOutput,
                    MissingOutputs = success.MissingOutputs, OutputVersion = success.OutputVersion,
                };
            case Execution.Finished { Result: var threw }:
                return Failed(run, threw.Error!, seconds => Problem(DagCodes.RunThrew, task,
                    $"failed after {Seconds(seconds)} s: {threw.Error} {StaysStale} Run with -v:n to see the stack trace.") with
                {
                    Location = threw.File is null ? null : new SourceLocation(threw.File, threw.Line, threw.Column),
                    Detail = $"Dag: {task.Name} stack trace:{Environment.NewLine}{threw.StackTrace}",
                });
            case Execution.Died died:
                return Failed(run, died.How, seconds => Problem(DagCodes.WorkerEnded, task,
                    $"failed after {Seconds(seconds)} s: {(died.AfterRunReturned ? $"Run() returned, but then {died.How}" : died.How).TrimEnd('.')}. {StaysStale}"));
            case Execution.TimedOut timedOut:
                return Failed(run, $"timed out after {timedOut.Limit:c}", seconds => Problem(DagCodes.TimedOut, task,
                    $"ran longer than its Timeout of {timedOut.Limit:c} and was stopped after {Seconds(seconds)} s. {StaysStale} Make it faster, or raise its Timeout metadata."));
            default:
                return Failed(run, "interrupted", seconds => Problem(DagCodes.Interrupted, task,
                    $"was interrupted after {Seconds(seconds)} s (Ctrl+C). It will run again next time.")) with { Status = TurnStatus.Interrupted };
        }

        TurnResult Failed(TaskRun failed, string error, Func<double, DagProblem> problem)
        {
            var seconds = failed.Fail(error);
            return new TurnResult(task, TurnStatus.Failed) { Reason = failed.Reason, StartedUtc = failed.StartedUtc, Seconds = seconds, Error = problem(seconds) };
        }
    }

    private TurnResult Told(TurnResult result)
    {
        events.Finished(result);
        return result;
    }

    // The task's code fingerprint, whose first line names its class; null when the inspection is missing.
    private string? CodeOf(DagNode task) => File.Exists(project.Layout.CodeFile(task.Name)) ? File.ReadAllText(project.Layout.CodeFile(task.Name)) : null;

    private static DagProblem Problem(string code, DagNode task, string what) => new(code, task.Name, $"Task '{task.Name}' {what}");

    private static DagProblem LeftProcesses(DagNode task, IReadOnlyList<string> stopped) => new(DagCodes.LeftProcesses, task.Name,
        $"Task '{task.Name}' left {stopped.Count} process(es) running when its Run() returned; Dagdog stopped them: {string.Join(", ", stopped.Take(5))}" +
        (stopped.Count > 5 ? $" and {stopped.Count - 5} more" : "") + ". Wait for the processes a task starts (Process.WaitForExit) before Run() returns.", IsWarning: true);

    public static string Seconds(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture);
}
