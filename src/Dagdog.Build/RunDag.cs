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

    /// <summary>How many jobs run at once (<c>DagJobs</c>).</summary>
    public string Jobs { get; set; } = "";

    public string KeepGoing { get; set; } = "";

    /// <summary>Where a shared result cache lives (<c>DagCache</c>): a folder, or Azure Blob Storage; empty for none.</summary>
    public string Cache { get; set; } = "";

    /// <summary>Whether successful runs are stored in the cache (<c>DagCachePush</c>).</summary>
    public string CachePush { get; set; } = "";

    /// <summary>How many lines of each task's output the build log shows (<c>DagOutputLines</c>); its log file has them all.</summary>
    public string OutputLines { get; set; } = "";

    /// <summary>Print what would run, in order and why, and run nothing (<c>DagDryRun</c>).</summary>
    public string DryRun { get; set; } = "";

    /// <summary>Where tasks run (<c>DagExecutor</c>): <c>local</c> worker processes, or <c>slurm</c> job steps.</summary>
    public string Executor { get; set; } = "";

    /// <summary>The Slurm partition (<c>DagSlurmPartition</c>), account (<c>DagSlurmAccount</c>), extra <c>srun</c> options (<c>DagSlurmArgs</c>) and idle time (<c>DagSlurmIdle</c>).</summary>
    public string SlurmPartition { get; set; } = "";

    public string SlurmAccount { get; set; } = "";

    public string SlurmArgs { get; set; } = "";

    public string SlurmIdle { get; set; } = "";

    public void Cancel() => _interrupt.Cancel();

    protected override bool ExecuteDagdog()
    {
        var (jobs, jobsProblem) = Options.Count("DagJobs", Jobs, least: 1, DagCodes.InvalidRunLimit);
        var (keepGoing, keepGoingProblem) = Options.Flag("DagKeepGoing", KeepGoing);
        var (push, pushProblem) = Options.Flag("DagCachePush", CachePush);
        var (outputLines, linesProblem) = Options.Count("DagOutputLines", OutputLines, least: 0);
        var (dryRun, dryRunProblem) = Options.Flag("DagDryRun", DryRun);
        var (slurm, slurmProblem) = Executors.Read(Executor, SlurmPartition, SlurmAccount, SlurmArgs, SlurmIdle, checkSrun: !dryRun);
        if (!new[] { jobsProblem, keepGoingProblem, pushProblem, linesProblem, dryRunProblem, slurmProblem }.All(Check)) return false;

        var clock = Stopwatch.StartNew();
        var startedUtc = DateTime.UtcNow;
        RunOutput? output = null;
        if (LoadProject(problem => output!.Problem(problem)) is not { } project) return false;
        if (Select(project) is not var (selection, selected, scope)) return false;
        var stale = Stale.Select(item => item.ItemSpec).ToHashSet(StringComparer.Ordinal);
        var tasks = scope.Schedule(project.Dag, task => dryRun || stale.Contains(task.Name));
        var mayRun = DagScheduler.MayRun(tasks);
        output = new RunOutput(Log, Live, ProjectFile, mayRun);
        if (mayRun == 0 && !dryRun)
        {
            output.NothingToRun(tasks.Count);
            StepSummary(output, tasks.Select(task => new TurnResult(task.Node, TurnStatus.UpToDate)).ToList(), clock.Elapsed);
            return true;
        }

        var (cache, cacheProblem) = ResultStores.Open(Cache, project.Layout.ProjectDirectory, output.Problem, output.Note);
        Check(cacheProblem);
        var settings = new RunSettings(AssemblyPath, jobs, keepGoing, cache, push, outputLines, DecideOnly: dryRun) { Items = Declarations.FamilyItems(ForEachItems) };
        void Started(int id) => output.Dispatch(() => Log.LogMessage(MessageImportance.Low, $"Dag: started worker process {id}"));
        Func<ITaskExecutor> workers = slurm is null
            ? () => new WorkerPool(project.Layout.ProjectDirectory, Started)
            : () => new SlurmPool(slurm, project.Layout.ProjectDirectory, Started);
        BuildEngine3.Yield();
        IReadOnlyList<TurnResult> results;
        try
        {
            results = output.Pump(DagRun.Run(project, tasks, settings, output, workers, _interrupt.Token));
        }
        finally
        {
            BuildEngine3.Reacquire();
        }

        if (dryRun)
        {
            output.Plan(results);
            return !Log.HasLoggedErrors;
        }
        output.Summary(results, clock.Elapsed, _interrupt.IsCancellationRequested);
        RunReport.Write(project.Layout, selection.Describe(selected), startedUtc, jobs, results);
        StepSummary(output, results, clock.Elapsed);
        return results.All(r => r.Succeeded) && !Log.HasLoggedErrors;
    }

    // GitHub Actions shows this file on the run's page; a build anywhere else has no such variable.
    private static void StepSummary(RunOutput output, IReadOnlyList<TurnResult> results, TimeSpan elapsed)
    {
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } path) output.StepSummary(path, results, elapsed);
    }
}
