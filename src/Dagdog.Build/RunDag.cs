using System.Diagnostics;
using Dagdog.Build.Running;
using Dagdog.Running;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Runs a selection's tasks (see <see cref="DagRun"/>): reads the build's properties, gives the core a run to do, and
/// logs what it tells (<see cref="RunOutput"/>). The task targets' Inputs/Outputs have already said which tasks MSBuild
/// finds stale (<see cref="Stale"/>); with <see cref="DryRun"/> every task of the selection decides for itself and
/// nothing runs. While the tasks run in worker processes, the MSBuild node is yielded to other projects of the build.
/// </summary>
public sealed class RunDag : DagSelectionTask, ICancelableTask
{
    private readonly CancellationTokenSource _interrupt = new();

    [Required] public string AssemblyPath { get; set; } = "";

    /// <summary>The tasks whose targets MSBuild ran: stale by its Inputs/Outputs check.</summary>
    public ITaskItem[] Stale { get; set; } = [];

    /// <summary>A watch's workers, kept from one of its runs to the next (<see cref="WatchDag"/>); a build's own are ended after its run.</summary>
    internal KeptExecutors? KeptWorkers { get; init; }

    /// <summary>
    /// A watch's run: no check target ran, so each task of the selection decides by itself, as a dry run does
    /// (<see cref="TaskRun"/> looks at the timestamps as MSBuild would, then at the contents).
    /// </summary>
    internal bool EachTaskDecides { get; init; }

    /// <summary>When the run's time starts (<see cref="Stopwatch"/> ticks): a watch's is when the file was saved.</summary>
    internal long? Since { get; init; }

    /// <summary>A watch's register of the runs in progress, through which a save stops the runs it changed.</summary>
    internal RunningUnits? Running { get; init; }

    public void Cancel() => _interrupt.Cancel();

    protected override bool ExecuteDagdog()
    {
        var given = Setting;
        var (jobs, jobsProblem) = given.Jobs;
        var (keepGoing, keepGoingProblem) = given.KeepGoing;
        var (push, pushProblem) = given.CachePush;
        var (outputLines, linesProblem) = given.OutputLines;
        var (forgottenLimit, limitProblem) = given.ForgottenLimit;
        var (dryRun, dryRunProblem) = given.DryRun;
        var (slurm, slurmProblem) = given.Executor(checkSrun: !dryRun);
        if (!new[] { jobsProblem, keepGoingProblem, pushProblem, linesProblem, dryRunProblem, slurmProblem, limitProblem }.All(Check)) return false;

        var since = Since ?? Stopwatch.GetTimestamp();
        var startedUtc = DateTime.UtcNow;
        RunOutput? output = null;
        if (LoadProject(problem => output!.Problem(problem)) is not { } project) return false;
        if (Select(project) is not var (selection, selected, scope)) return false;
        var (forget, forgetProblem) = given.Forget(project.Dag);
        if (!Check(forgetProblem)) return false;
        var stale = Stale.Select(item => item.ItemSpec).ToHashSet(StringComparer.Ordinal);
        var tasks = scope.Schedule(project.Dag, task => dryRun || EachTaskDecides || stale.Contains(task.Name));
        var mayRun = DagScheduler.MayRun(tasks);
        output = new RunOutput(Log, Live, ProjectFile, project.Layout.RunReportFile, mayRun);
        if (mayRun == 0 && !dryRun)
        {
            output.NothingToRun(tasks.Count, Since is null ? null : Stopwatch.GetElapsedTime(since));
            StepSummary(output, tasks.Select(task => new TurnResult(task.Node, TurnStatus.UpToDate)).ToList(), Stopwatch.GetElapsedTime(since));
            return true;
        }

        // Before the first job: srun's refusal of the options is the build's error, said once (DAG041). Ctrl+C reaches
        // that srun too, often a moment before MSBuild cancels the build: that is no refusal.
        if (slurm is not null && !dryRun && SlurmPool.Verify(slurm, project.Layout.ProjectDirectory) is { } refused)
        {
            if (!_interrupt.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1))) Check(refused);
            return false;
        }
        var (cache, cacheProblem) = ResultStores.Open(given.Cache, project.Layout.ProjectDirectory, AzureBlobStore.OpenIfNamed, output.Problem, output.Note);
        Check(cacheProblem);
        var settings = new RunSettings(AssemblyPath, jobs, keepGoing, cache, push, outputLines, DecideOnly: dryRun) {
            Items = Declarations.FamilyItems(ForEachItems), Running = Running, Forget = forget,
            Forgotten = ForgottenResults.For(project.Layout, forgottenLimit * 1024L * 1024, decideOnly: dryRun),
        };
        void Started(int id) => output.Dispatch(() => Log.LogMessage(MessageImportance.Low, $"Dag: started worker process {id}"));
        Func<Action<int>, ITaskExecutor> make = slurm is null
            ? started => new WorkerPool(project.Layout.ProjectDirectory, started)
            : started => new SlurmPool(slurm, project.Layout.ProjectDirectory, started);
        // A watch keeps its executor between runs (and ends it); a build makes its own, and ends it here.
        var workers = dryRun ? null
            : KeptWorkers is { } kept ? kept.For(slurm is null ? "local" : $"slurm {slurm.Partition} {slurm.Account} {string.Join(' ', slurm.ExtraArguments)} {slurm.Idle}", make, Started)
            : make(Started);
        // Everything after the run (its summary, its report) is done while yielded, so that a build cancelled by Ctrl+C,
        // whose node MSBuild then refuses to give back, still says and records how it ended.
        BuildEngine3.Yield();
        try
        {
            var results = output.Pump(DagRun.Run(project, tasks, settings, output, workers, _interrupt.Token));
            if (dryRun)
            {
                output.Plan(results);
                return !Log.HasLoggedErrors;
            }
            // A watch's run, in which every task decided itself up to date, says so as a build's own check would have.
            if (EachTaskDecides && results.SelectMany(r => r.Units).All(r => r.Status == TurnStatus.UpToDate)) output.NothingToRun(results.Count, Stopwatch.GetElapsedTime(since));
            // A watch's run that a save stopped was interrupted too: what did not start waits for the next cycle.
            else output.Summary(results, Stopwatch.GetElapsedTime(since),
                _interrupt.IsCancellationRequested || results.SelectMany(r => r.Units).Any(r => r.Reason == Reasons.Restarted));
            RunReport.Write(project.Layout, selection.Describe(selected), startedUtc, jobs, results);
            if (settings.Forgotten?.Evict() is > 0 and var evicted)
                Live.Print($"Dag: forgotten results: removed the {evicted} oldest, over the DagForgottenLimit of {forgottenLimit} MB (their instances run again if they come back)");
            StepSummary(output, results, Stopwatch.GetElapsedTime(since));
            return results.All(r => r.Succeeded) && !Log.HasLoggedErrors;
        }
        finally
        {
            if (KeptWorkers is null) workers?.Dispose();
            else if (workers is not null) KeptWorkers.Refill();
            Reacquire();
        }
    }

    // Once Ctrl+C cancelled the build, MSBuild answers a task that takes its node back with its BuildAbortedException, on
    // purpose: the build is ending, and this task has already said how. (A type of MSBuild's engine, which a task assembly
    // does not reference.)
    private void Reacquire()
    {
        try
        {
            BuildEngine3.Reacquire();
        }
        catch (Exception e) when (e.GetType().FullName == "Microsoft.Build.Exceptions.BuildAbortedException")
        {
        }
    }

    // GitHub Actions shows this file on the run's page; a build anywhere else has no such variable.
    private static void StepSummary(RunOutput output, IReadOnlyList<TurnResult> results, TimeSpan elapsed)
    {
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } path) output.StepSummary(path, results, elapsed);
    }
}
