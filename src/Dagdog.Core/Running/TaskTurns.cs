using System.Collections.Concurrent;
using System.Globalization;
using Dagdog.Cache;
using Dagdog.Code;
using Dagdog.Families;
using Dagdog.Graph;
using Dagdog.State;

namespace Dagdog.Running;

/// <summary>How a run goes, for every turn of it.</summary>
/// <param name="AssemblyPath">The user's compiled tasks.</param>
/// <param name="Jobs">How many of the build's jobs run at once (<c>DagJobs</c>).</param>
/// <param name="KeepGoing">After a failure, still run what does not depend on it (<c>DagKeepGoing</c>).</param>
/// <param name="Cache">The shared result cache (<c>DagCache</c>), if any.</param>
/// <param name="Push">Whether successful runs are stored in the cache (<c>DagCachePush</c>).</param>
/// <param name="OutputLines">How many lines of each run's output the build log shows (<c>DagOutputLines</c>).</param>
/// <param name="DecideOnly">A dry run or a listing: each turn decides and says what it would do, and nothing runs.</param>
internal sealed record RunSettings(string AssemblyPath, int Jobs, bool KeepGoing, ResultCache? Cache, bool Push, int OutputLines, bool DecideOnly)
{
    /// <summary>The items of the types families are for each of (<c>ForEachItem</c>).</summary>
    public IReadOnlyList<FamilyItem> Items { get; init; } = [];

    /// <summary>What forgotten instances wrote, kept for when they come back (<see cref="ForgottenResults"/>); when deciding only, only looked up.</summary>
    public ForgottenResults? Forgotten { get; init; }

    /// <summary>Families whose instances may all be forgotten when their files or items are all gone (<c>DagForget</c>).</summary>
    public IReadOnlySet<string> Forget { get; init; } = new HashSet<string>();

    /// <summary>A watch's register of the runs in progress, which a save may stop (<see cref="RunningUnits"/>); null in a build.</summary>
    public RunningUnits? Running { get; init; }
}

/// <summary>
/// One task's turn in a run, the one path from deciding to recording (docs/design.md, "A task's turn"): decide
/// (timestamps, then contents); deciding only, say what would happen; otherwise look the run up in the shared cache and
/// restore it, or run it on the executor; record success or failure (<see cref="TaskRun"/>); push it to the cache. Every
/// turn ends in one <see cref="TurnResult"/>, and no exception leaves it: a file Dagdog cannot use is DAG019, anything
/// else DAG030, both naming the task.
/// </summary>
internal sealed class TaskTurns(DagOnDisk project, RunSettings settings, ITaskExecutor? executor, IRunEvents events, JobSlots slots)
{
    private const string StaysStale = "Its downstream tasks did not run; it will run again next time.";

    // Runs whose worker a leftover of the task took down after their success was recorded, recorded as failed at the end.
    private readonly ConcurrentDictionary<string, (TaskRun Run, string How)> _endedAfterwards = new(TaskNames.Comparer);

    public Task<TurnResult> Take(ScheduledTask scheduled, IReadOnlyList<TurnResult> parents, CancellationToken interrupt)
    {
        var unit = new TurnUnit(scheduled.Node, null);
        return Guarded(unit, () => unit.Task.Family is null ? TakeUnit(unit, scheduled.Reason, parents, interrupt) : new FamilyTurn(this, project, settings, executor, events, slots).Take(scheduled, parents, interrupt));
    }

    // One task, or one instance of a family: decide, then (unless deciding only) keep it up to date, or run it.
    private Task<TurnResult> TakeUnit(TurnUnit unit, string? givenReason, IReadOnlyList<TurnResult> parents, CancellationToken interrupt)
    {
        var run = new TaskRun(project.OnDisk(unit.Task, unit.Instance));
        return Act(unit, givenReason, run, run.Decide(givenReason), parents, interrupt);
    }

    // What a decided turn does. beforeRun, when given, is awaited only when Run() is needed (an instance takes its jobs
    // then); false means it does not run after all.
    internal async Task<TurnResult> Act(TurnUnit unit, string? givenReason, TaskRun run, RunVerdict verdict, IReadOnlyList<TurnResult> parents,
        CancellationToken interrupt, Func<Task<bool>>? beforeRun = null)
    {
        if (settings.DecideOnly) return await Foresee(unit, givenReason, run, verdict, parents).ConfigureAwait(false);
        switch (verdict)
        {
            case RunVerdict.UpToDate:
                return unit.Result(TurnStatus.UpToDate);
            case RunVerdict.Unchanged:
                run.KeepUpToDate();
                return Told(unit.Result(TurnStatus.UpToDate) with { Unchanged = true });
            default:
                if (beforeRun is not null && !await beforeRun().ConfigureAwait(false)) return unit.Result(TurnStatus.NotRun);
                return await Run(unit, givenReason, run, interrupt).ConfigureAwait(false);
        }
    }

    // No exception leaves a turn: whatever went wrong, the task is named, it is no longer shown as running, and the build fails with an error.
    internal async Task<TurnResult> Guarded(TurnUnit unit, Func<Task<TurnResult>> turn)
    {
        try
        {
            return await turn().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Failure(unit, e);
        }
    }

    internal TurnResult Failure(TurnUnit unit, Exception e) => Told(unit.Result(TurnStatus.Failed) with
    {
        Error = e is IOException or UnauthorizedAccessException
            ? DagProblem.FileUnusable(unit.Name, e)
            : DagProblem.Internal(e, $"Dagdog's turn of task '{unit.Name}'", unit.Task.Name),
    });

    /// <summary>
    /// Records the runs whose worker something the task left behind took down after their outcome was given (DAG021),
    /// once every worker has said how its last run ended, and returns the results with them failed.
    /// </summary>
    public IReadOnlyList<TurnResult> WithLateFailures(IReadOnlyList<TurnResult> results) =>
        results.Select(result =>
        {
            if (result.Instances.Count > 0)
            {
                var instances = WithLateFailures(result.Instances);
                return instances.Any(i => i.Status == TurnStatus.Failed) && result.Status != TurnStatus.Failed
                    ? result with { Status = TurnStatus.Failed, Instances = instances }
                    : result with { Instances = instances };
            }
            if (!_endedAfterwards.TryGetValue(result.Name, out var ended)) return result;
            var seconds = ended.Run.Fail(ended.How);
            var error = Problem(DagCodes.WorkerEnded, result.Name, $"failed after {Seconds(seconds)} s: Run() returned, but then {ended.How.TrimEnd('.')}. {StaysStale}");
            events.Problem(error);
            return result with { Status = TurnStatus.Failed, Error = error };
        }).ToList();

    // Deciding only: what the turn would do. A task that is up to date by itself runs if a parent runs first and
    // produces new output; a stale one whose run the cache holds would be restored, when its key is known now, and so
    // would an instance that came back as it was when it was forgotten.
    private async Task<TurnResult> Foresee(TurnUnit unit, string? givenReason, TaskRun run, RunVerdict verdict, IReadOnlyList<TurnResult> parents)
    {
        var task = unit.Task;
        var parentFirst = parents.FirstOrDefault(parent => parent.MadeOutput)?.Task;
        var reason = verdict == RunVerdict.Run ? run.Reason : parentFirst is null ? null : Reasons.UpstreamRunsFirst(parentFirst.Name);
        if (reason is null) return unit.Result(TurnStatus.UpToDate);
        if (givenReason is not null || parentFirst is not null || !task.Cacheable || CodeOf(task) is not { } code)
            return unit.Result(TurnStatus.WouldRun) with { Reason = reason };
        var key = run.ProspectiveCacheKey(code, run.DeclaredOutputs);
        if (settings.Cache is { } cache && await cache.Has(key).ConfigureAwait(false) == true)
            return unit.Result(TurnStatus.WouldRestore) with { Reason = reason, Cache = CacheUse.Restored };
        if (unit.Instance is not null && run.DeclaredOutputs.Count > 0 && settings.Forgotten?.Has(key) == true)
            return unit.Result(TurnStatus.WouldRestore) with { Reason = reason, Cache = CacheUse.Forgotten };
        return unit.Result(TurnStatus.WouldRun) with { Reason = reason };
    }

    private async Task<TurnResult> Run(TurnUnit unit, string? givenReason, TaskRun run, CancellationToken interrupt)
    {
        var task = unit.Task;
        var codeFile = project.Layout.CodeFile(task.Name);
        if (CodeOf(task) is not { } code || CodeFingerprint.TypeOf(code) is not { } typeName)
        {
            return Told(unit.Result(TurnStatus.Failed) with
            {
                Error = new(DagCodes.InspectionMissing, task.Name,
                    $"The inspection of task '{task.Name}' is missing ({codeFile}). Rebuild the project (dotnet build --no-incremental)."),
            });
        }

        run.Begin();
        var cache = task.Cacheable ? settings.Cache : null;
        var key = cache is null ? null : run.CacheKey(code, run.DeclaredOutputs);
        var cacheUse = CacheUse.None;
        // A selection that runs the task whatever its state (DagForce, Only, Downstream) asks for Run() itself: nothing is restored.
        if (cache is not null && givenReason is null)
        {
            switch (await cache.Restore(key!, run.DeclaredOutputs, project.Layout).ConfigureAwait(false))
            {
                case RestoreOutcome.Restored restored:
                    return Restored(unit, run, code, restored, run.Reason, CacheUse.Restored);
                case RestoreOutcome.Damaged damaged:
                    events.Problem(new(DagCodes.CacheUnusable, task.Name,
                        $"The cache {cache.StoreName} could not be used for task '{unit.Name}': {damaged.Why.TrimEnd('.')}. The task runs as if there were no cache.", IsWarning: true));
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

        // An instance that comes back as it was when it was forgotten (a file renamed back, a branch switched back) is
        // restored from what it wrote then, instead of run.
        if (givenReason is null && unit.Instance is not null && task.Cacheable && settings.Forgotten is { } forgotten && run.DeclaredOutputs.Count > 0)
        {
            var forgottenKey = run.CacheKey(code, run.DeclaredOutputs);
            if (await forgotten.Restore(forgottenKey, run.DeclaredOutputs, project.Layout).ConfigureAwait(false) is (RestoreOutcome.Restored back, var kept))
                return Restored(unit, run, code, back, $"{run.Reason}; restored as it was when forgotten {ForgottenResults.Ago(kept ?? DateTime.UtcNow)}", CacheUse.Forgotten);
        }

        var stop = interrupt;
        if (settings.Running is { } running)
        {
            var inputs = run.Inputs.Select(input => Path.GetFullPath(project.Layout.DataFile(input))).ToList();
            if (running.Enter(unit.Name, task.Name, inputs, events, interrupt) is not { } token)
            {
                // A watch's save already changed what this run would read: it starts in the next cycle instead.
                running.Leave(unit.Name);
                return Told(unit.Result(TurnStatus.NotRun) with { Reason = Reasons.SavedBeforeStart });
            }
            stop = token;
        }

        events.Started(unit.Name, run.Reason!);
        var logFile = project.Layout.LogFile(unit.Name);
        Execution execution;
        var restarted = false;
        using (var log = new TaskOutput(logFile, settings.OutputLines, line => events.Output(unit.Name, line)))
        {
            try
            {
                execution = await executor!.Run(Request(unit, typeName, run), new RunNeeds(task.Timeout, task.Jobs, task.MemoryMegabytes), log.Write,
                    why => events.Waiting(unit.Name, why), how => _endedAfterwards[unit.Name] = (run, how), stop).ConfigureAwait(false);
            }
            finally
            {
                restarted = settings.Running?.Leave(unit.Name) == true;
            }
            if (log.LinesNotShown > 0) events.NotShown(unit.Name, log.LinesNotShown, settings.OutputLines, logFile);
        }
        // A watch stopped it for a save that changed it: nothing is recorded, and the next cycle runs it with what was saved.
        if (restarted && execution is Execution.Interrupted or Execution.Died) return Told(unit.Result(TurnStatus.Interrupted) with { Reason = Reasons.Restarted, Seconds = run.Seconds });
        if (execution is Execution.Finished { Result.Stopped: { Count: > 0 } stopped }) events.Problem(LeftProcesses(unit.Name, stopped));

        var result = Told(Record(unit, run, code, execution) with { Cache = cacheUse, Worker = execution.Worker });
        if (result.Status == TurnStatus.Ran && cache is not null && settings.Push && result.MissingOutputs.Count == 0)
            result = result with { Pushed = await cache.Push(key!, unit.Name, run.Outputs, project.Layout).ConfigureAwait(false) };
        return result;
    }

    // Outputs restored (from the shared cache, or from what a forgotten instance wrote) are recorded as a run's would be.
    private TurnResult Restored(TurnUnit unit, TaskRun run, string code, RestoreOutcome.Restored restored, string? reason, CacheUse from)
    {
        var success = run.Succeed(code, project.FilesOf(unit.Task, unit.Instance));
        return Told(unit.Result(TurnStatus.Restored) with
        {
            Reason = reason, StartedUtc = success.StartedUtc, Seconds = restored.Took.TotalSeconds, SameOutput = success.SameOutput,
            OutputVersion = success.OutputVersion, Cache = from, RestoredBytes = restored.Bytes,
        });
    }

    // What the worker needs to call Run(): for an instance its values and item metadata, for a task after a family that
    // family's keys (not a paired family's: an instance has its pair's values as its own, and 10,000 instances each
    // sent 10,000 keys would be quadratic); and the outputs the turn already resolved, for the worker to hash.
    private RunRequest Request(TurnUnit unit, string typeName, TaskRun run)
    {
        var arguments = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in unit.Instance?.Values ?? new Dictionary<string, string>()) arguments[name] = value;
        foreach (var (name, value) in unit.Instance?.Parameters ?? new Dictionary<string, string>()) arguments.TryAdd(name, value);
        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var parent in InstanceUpstream.Of(unit.Task).Where(p => unit.Instance is null ? p.Parent.Family is not null : p.GivesLists).Select(p => p.Parent))
        {
            var keys = project.KeysOf(parent);
            foreach (var wildcard in parent.Family!.Wildcards)
                lists.TryAdd(wildcard, keys.Select(key => parent.Family.ValuesOf(key)[wildcard]).ToList());
        }
        var outputs = unit.Task.Declaration.Outputs.Any(DeclaredFiles.IsGlob) ? null : run.DeclaredOutputs;
        return new RunRequest(settings.AssemblyPath, typeName, project.Layout.ProjectDirectory,
            arguments.Count > 0 ? arguments : null, lists.Count > 0 ? lists : null, outputs);
    }

    // How Run() ended, recorded: a success with the stamp written last, anything else as a failure that leaves the task stale.
    private TurnResult Record(TurnUnit unit, TaskRun run, string code, Execution execution)
    {
        var task = unit.Task;
        switch (execution)
        {
            case Execution.Finished { Result.Error: null } finished:
                var success = run.Succeed(code, project.FilesOf(task, unit.Instance), finished.Result.Outputs);
                return unit.Result(TurnStatus.Ran) with
                {
                    Reason = run.Reason, StartedUtc = success.StartedUtc, Seconds = success.Seconds, SameOutput = success.SameOutput,
                    MissingOutputs = success.MissingOutputs, OutputVersion = success.OutputVersion,
                };
            case Execution.Finished { Result: var threw }:
                return Failed(run, threw.Error!, seconds => Problem(threw.ParameterProblem ? DagCodes.RunParameter : DagCodes.RunThrew, unit.Name,
                    $"failed after {Seconds(seconds)} s: {threw.Error} {StaysStale} Run with -v:n to see the stack trace.") with
                {
                    Location = threw.File is null ? null : new SourceLocation(threw.File, threw.Line, threw.Column),
                    Detail = $"Dag: {unit.Name} stack trace:{Environment.NewLine}{threw.StackTrace}",
                });
            case Execution.Died died:
                return Failed(run, died.How, seconds => Problem(DagCodes.WorkerEnded, unit.Name,
                    $"failed after {Seconds(seconds)} s: {(died.AfterRunReturned ? $"Run() returned, but then {died.How}" : died.How).TrimEnd('.')}. {StaysStale}"));
            case Execution.Interrupted { Started: false }:
                // Ctrl+C while its Slurm job was queued: Run() never started, so there is no run to record; it stays stale.
                return unit.Result(TurnStatus.NotRun) with { Reason = RunReport.InterruptedBeforeStart };
            case Execution.TimedOut timedOut:
                return Failed(run, $"timed out after {timedOut.Limit:c}", seconds => Problem(DagCodes.TimedOut, unit.Name,
                    $"ran longer than its Timeout of {timedOut.Limit:c} and was stopped after {Seconds(seconds)} s. {StaysStale} Make it faster, or raise its Timeout metadata."));
            default:
                return Failed(run, "interrupted", seconds => Problem(DagCodes.Interrupted, unit.Name,
                    $"was interrupted after {Seconds(seconds)} s (Ctrl+C). It will run again next time.")) with { Status = TurnStatus.Interrupted };
        }

        TurnResult Failed(TaskRun failed, string error, Func<double, DagProblem> problem)
        {
            var seconds = failed.Fail(error);
            return unit.Result(TurnStatus.Failed) with { Reason = failed.Reason, StartedUtc = failed.StartedUtc, Seconds = seconds, Error = problem(seconds) };
        }
    }

    internal TurnResult Told(TurnResult result)
    {
        events.Finished(result);
        return result;
    }

    // The task's code fingerprint, whose first line names its class; null when the inspection is missing.
    private string? CodeOf(DagNode task) => File.Exists(project.Layout.CodeFile(task.Name)) ? File.ReadAllText(project.Layout.CodeFile(task.Name)) : null;

    // Named after the task or instance; the build log locates it at the task's DagTask item.
    private static DagProblem Problem(string code, string name, string what) => new(code, InstanceKeys.Split(name)?.Task ?? name, $"Task '{name}' {what}");

    private static DagProblem LeftProcesses(string name, IReadOnlyList<string> stopped) => new(DagCodes.LeftProcesses, InstanceKeys.Split(name)?.Task ?? name,
        $"Task '{name}' left {stopped.Count} process(es) running when its Run() returned; Dagdog stopped them: {string.Join(", ", stopped.Take(5))}" +
        (stopped.Count > 5 ? $" and {stopped.Count - 5} more" : "") + ". Wait for the processes a task starts (Process.WaitForExit) before Run() returns.", IsWarning: true);

    public static string Seconds(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>A task, or one instance of a family: what a turn decides, runs and records.</summary>
internal sealed record TurnUnit(DagNode Task, Instance? Instance)
{
    public string Name => Instance?.NameIn(Task.Name) ?? Task.Name;

    public TurnResult Result(TurnStatus status) => new(Task, status) { Key = Instance?.Key };
}
