using System.Diagnostics;
using Dagdog.Build.Running;
using Dagdog.Running;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Runs a selection's tasks: independent tasks at the same time, up to <c>DagJobs</c>, each Run() in a worker process.
/// The task targets' Inputs/Outputs have already said which tasks MSBuild finds stale (<see cref="Stale"/>); each of
/// those, and everything downstream of one that ran, gets its turn through the core's <see cref="TaskRun"/> once its
/// parents are done. A failure stops new starts (or, with DagKeepGoing, only its downstream); Ctrl+C stops all.
/// </summary>
public sealed class RunDag : DagStateTask, ICancelableTask
{
    private readonly CancellationTokenSource _interrupt = new();
    private ResultCache? _cache;
    private bool _push;
    private int _outputLines;

    public ITaskItem[] Tasks { get; set; } = [];

    [Required] public string AssemblyPath { get; set; } = "";

    public string Dag { get; set; } = "";

    public string DagFrom { get; set; } = "";

    public string DagMode { get; set; } = "";

    public string DagExclusive { get; set; } = "";

    public string DagForce { get; set; } = "";

    /// <summary>The tasks whose targets MSBuild ran: stale by its Inputs/Outputs check.</summary>
    public ITaskItem[] Stale { get; set; } = [];

    /// <summary>How many jobs run at once (<c>DagJobs</c>; the SDK passes MSBuild's node count by default).</summary>
    public string Jobs { get; set; } = "";

    public string KeepGoing { get; set; } = "";

    /// <summary>Where a shared result cache lives (<c>DagCache</c>): a folder, or Azure Blob Storage; empty for none.</summary>
    public string Cache { get; set; } = "";

    /// <summary>Whether successful runs are stored in the cache (<c>DagCachePush</c>, true by default).</summary>
    public string CachePush { get; set; } = "";

    /// <summary>How many lines of each task's output the build log shows (<c>DagOutputLines</c>); its log file has them all.</summary>
    public string OutputLines { get; set; } = "";

    public void Cancel() => _interrupt.Cancel();

    protected override bool ExecuteDagdog()
    {
        if (!int.TryParse(Jobs.Trim(), out var jobs) || jobs < 1)
        {
            Log.LogProblem(new(DagCodes.InvalidRunLimit, null, $"DagJobs must be a whole number of 1 or more, not '{Jobs}'."), ProjectFile);
            return false;
        }
        if (!bool.TryParse(KeepGoing.Trim() is { Length: > 0 } keepGoingText ? keepGoingText : "false", out var keepGoing))
        {
            Log.LogProblem(new(DagCodes.InvalidOption, null, $"DagKeepGoing must be true or false, not '{KeepGoing}'."), ProjectFile);
            return false;
        }
        if (!bool.TryParse(CachePush.Trim() is { Length: > 0 } pushText ? pushText : "true", out var push))
        {
            Log.LogProblem(new(DagCodes.InvalidOption, null, $"DagCachePush must be true or false, not '{CachePush}'."), ProjectFile);
            return false;
        }
        if (!int.TryParse(OutputLines.Trim() is { Length: > 0 } linesText ? linesText : "1000", out var outputLines) || outputLines < 0)
        {
            Log.LogProblem(new(DagCodes.InvalidOption, null, $"DagOutputLines must be a whole number of 0 or more, not '{OutputLines}'."), ProjectFile);
            return false;
        }
        if (ProjectDag.Load(Tasks, StateDirectory, ProjectFile, Log) is not { } project) return false;
        if (project.Select(Dag, DagFrom, DagMode, DagExclusive, DagForce) is not var (selection, selected)) return false;
        _push = push;
        _outputLines = outputLines;

        var stale = Stale.Select(item => item.ItemSpec).ToHashSet(StringComparer.Ordinal);
        var givenReason = selection.Force ? Reasons.Forced : selection.RunsRegardlessOfState ? Reasons.Selected(selection.Mode) : null;
        var scope = Planner.Scope(project.Dag, selection, selected);
        var tasks = project.Dag.Tasks.Where(scope.Contains)
            .Select(task => new ScheduledTask(task, Check: givenReason is not null || stale.Contains(task.Name), givenReason, task.Jobs))
            .ToList();
        var mayRun = DagScheduler.MayRun(tasks);
        var output = new RunOutput(Log, Live, ProjectFile, mayRun);
        _cache = ResultStores.Open(Cache, project.Layout.ProjectDirectory, Log, Live, ProjectFile, output.Dispatch);
        var clock = Stopwatch.StartNew();
        IReadOnlyList<TaskResult> results;
        if (mayRun == 0)
        {
            output.NothingToRun(tasks.Count);
            output.Pump(Task.FromResult(true));
            results = tasks.Select(task => new TaskResult(task.Node, RunStatus.UpToDate, TimeSpan.Zero)).ToList();
        }
        else
        {
            project.Dispatch = output.Dispatch;
            results = output.Pump(RunAll(project, tasks, jobs, keepGoing, mayRun, output));
            project.Dispatch = logCall => logCall();
            output.Summary(results, clock.Elapsed, _interrupt.IsCancellationRequested);
        }
        // GitHub Actions shows this file on the run's page; a build anywhere else has no such variable.
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } stepSummary) output.StepSummary(stepSummary, results, clock.Elapsed);
        return results.All(r => r.Status is RunStatus.Ran or RunStatus.UpToDate) && !Log.HasLoggedErrors;
    }

    private async Task<IReadOnlyList<TaskResult>> RunAll(ProjectDag project, List<ScheduledTask> tasks, int jobs, bool keepGoing, int mayRun, RunOutput output)
    {
        using var workers = new WorkerPool(project.Layout.ProjectDirectory, output.WorkerStarted);
        workers.Warm(Math.Min(jobs, mayRun));
        return await new DagScheduler(jobs, keepGoing)
            .Run(tasks, (task, interrupt) => Turn(project, task, workers, output, interrupt), _interrupt.Token)
            .ConfigureAwait(false);
    }

    private static (TurnOutcome Turn, RunSuccess? Success) Record(TaskRun run, string task, string code, TaskDataFiles afterRun, WorkerOutcome outcome, RunOutput output)
    {
        switch (outcome)
        {
            case WorkerOutcome.Finished { Result.Error: null }:
                var success = run.Succeed(code, afterRun);
                output.Finished(task, success);
                return (TurnOutcome.Ran, success);
            case WorkerOutcome.Finished { Result: var threw }:
                output.Threw(task, threw, run.Fail(threw.Error!));
                return (TurnOutcome.Failed, null);
            case WorkerOutcome.Died died:
                output.WorkerEnded(task, died.How, died.AfterRunReturned, run.Fail(died.How));
                return (TurnOutcome.Failed, null);
            case WorkerOutcome.TimedOut timedOut:
                output.TimedOut(task, timedOut.Limit, run.Fail($"timed out after {timedOut.Limit:c}"));
                return (TurnOutcome.Failed, null);
            default:
                output.Interrupted(task, run.Fail("interrupted"));
                return (TurnOutcome.Interrupted, null);
        }
    }

    private async Task<TurnOutcome> Turn(ProjectDag project, ScheduledTask scheduled, WorkerPool workers, RunOutput output, CancellationToken interrupt)
    {
        var task = scheduled.Node;
        try
        {
            var run = new TaskRun(project.OnDisk(task));
            switch (run.Decide(scheduled.Reason))
            {
                case RunVerdict.UpToDate:
                    return TurnOutcome.UpToDate;
                case RunVerdict.Unchanged:
                    run.KeepUpToDate();
                    output.Unchanged(task.Name);
                    return TurnOutcome.UpToDate;
            }

            var codeFile = project.Layout.CodeFile(task.Name);
            var code = File.Exists(codeFile) ? File.ReadAllText(codeFile) : null;
            if ((code is null ? null : CodeFingerprint.TypeOf(code)) is not { } typeName)
            {
                output.Problem(new(DagCodes.InspectionMissing, task.Name,
                    $"The inspection of task '{task.Name}' is missing ({codeFile}). Rebuild the project (dotnet build --no-incremental)."));
                return TurnOutcome.Failed;
            }

            run.Begin();
            var cacheKey = _cache is not null && task.Cacheable ? run.CacheKey(code!, task.Declaration.Outputs) : null;
            // A selection that runs the task whatever its state (DagForce, Only, Downstream) asks for Run() itself: nothing is restored.
            if (cacheKey is not null && scheduled.Reason is null)
            {
                switch (await _cache!.Restore(cacheKey, task.Declaration.Outputs, project.Layout).ConfigureAwait(false))
                {
                    case RestoreOutcome.Restored restored:
                        output.Restored(task.Name, run.Reason!, restored, run.Succeed(code!, project.FilesOf(task)));
                        return TurnOutcome.Ran;
                    case RestoreOutcome.Damaged damaged:
                        output.CacheDamaged(task.Name, _cache.StoreName, damaged.Why);
                        break;
                    case RestoreOutcome.Missed:
                        output.CacheMissed();
                        break;
                    case RestoreOutcome.Unavailable:
                        output.CacheNotAsked();
                        break;
                }
            }
            output.Started(task.Name, run.Reason!);
            var worker = await workers.Rent().ConfigureAwait(false);
            WorkerOutcome outcome;
            var logFile = project.Layout.LogFile(task.Name);
            using (var log = new TaskOutput(logFile, _outputLines, line => output.Line(task.Name, line)))
            {
                outcome = await worker.Run(new RunRequest(AssemblyPath, typeName, project.Layout.ProjectDirectory), log.Write, task.Timeout, interrupt).ConfigureAwait(false);
                if (log.LinesNotShown > 0) output.NotShown(task.Name, log.LinesNotShown, _outputLines, logFile);
            }
            if (outcome is WorkerOutcome.Finished { Result.Stopped: { Count: > 0 } stopped }) output.LeftProcesses(task.Name, stopped);

            var (turn, success) = Record(run, task.Name, code!, project.FilesOf(task), outcome, output);
            // A leftover of the task (a finalizer, a work item it queued) may still take its worker down after its outcome was given.
            workers.Return(worker, how => output.WorkerEnded(task.Name, how, afterRunReturned: true, run.Fail(how)));
            if (cacheKey is not null && _push && success is { MissingOutputs.Count: 0 })
                output.CachePushed(await _cache!.Push(cacheKey, task.Name, success.Outputs, project.Layout).ConfigureAwait(false));
            return turn;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.Failed(FileProblem(task.Name, e));
            return TurnOutcome.Failed;
        }
        catch (Exception e)
        {
            // Whatever went wrong, the task is named, it is no longer shown as running, and the build fails with an error.
            output.Failed(InternalProblem(e, $"Dagdog's run of task '{task.Name}'", task.Name), stackTrace: e.ToString());
            return TurnOutcome.Failed;
        }
        finally
        {
            project.Reread(task);
        }
    }
}
