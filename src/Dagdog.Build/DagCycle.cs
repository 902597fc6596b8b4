using System.Diagnostics;
using Dagdog.Board;
using Dagdog.Build.Board;
using Dagdog.Build.Running;
using Dagdog.Cache;
using Dagdog.Cache.Azure;
using Dagdog.Code;
using Dagdog.Families;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Running;
using Dagdog.State;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dagdog.Build;

/// <summary>What the Dag target hands its steps: the project's items and settings, and where its state and assembly are.</summary>
internal sealed record DagProject(ITaskItem[] Tasks, ITaskItem[] ForEachItems, ITaskItem[] Settings, string StateDirectory, string AssemblyPath);

/// <summary>
/// What a watch's run adds to a build's: each task decides by itself (no check target ran; <see cref="TaskRun"/> looks
/// at the timestamps as MSBuild would, then at the contents), the workers kept between runs, the time of the save the
/// run's time counts from (<see cref="Stopwatch"/> ticks), and the register through which a save stops the runs it changed.
/// The board, when the watch serves one (<c>-t:DagBoard</c>), hears the run's events as they happen.
/// </summary>
internal sealed record WatchRun(KeptExecutors Workers, long Since, RunningUnits Running, BoardProcess? Board = null);

/// <summary>
/// The steps of the Dag target, in the one place both callers take them from: its MSBuild tasks (each runs one step,
/// as the targets order them) and a watch's cycle (which runs them in the same order, without MSBuild). Verify the
/// state, fingerprint the code, record what globs match, run the selection (<see cref="DagRun"/>), logging what the
/// core tells (<see cref="RunOutput"/>).
/// </summary>
internal sealed class DagCycle(TaskLoggingHelper log, LiveMessages live, IBuildEngine3 engine, string projectFile, DagProject project)
{
    private StateLayout Layout => new(project.StateDirectory, Path.GetDirectoryName(projectFile)!);

    private DagSettings Settings => Declarations.Settings(project.Settings);

    /// <summary>
    /// Before MSBuild checks any task: a stamp that is not a whole run record, or a code fingerprint that is not whole,
    /// would make MSBuild's timestamp check call a task up to date when Dagdog cannot tell. A damaged stamp is read (and,
    /// if unreadable, removed with warning DAG018), so the task runs again before its downstream in this same build; a
    /// damaged fingerprint is removed with the inspection marker, so this build fingerprints the code again; so is a
    /// marker written for another build of the assembly (Debug and Release). Temporary files of writes a killed build
    /// left are removed.
    /// </summary>
    public bool VerifyState()
    {
        var layout = Layout;
        // A build killed while writing (or on a full disk) may have left temporary files; this build holds the lock.
        StateFiles.RemoveLeftovers(layout.StateDirectory);
        if (!InspectionMarker.IsFor(layout, project.AssemblyPath)) TaskState.DeleteIfExists(layout.InspectedMarker);
        foreach (var task in Declarations.FromItems(project.Tasks).Select(t => t.Name).Where(TaskNames.IsValidName))
        {
            if (!RunRecord.LooksWhole(layout.StampFile(task)) && TaskState.Read(layout, task).Unreadable)
                log.LogProblem(DagOnDisk.Unreadable(layout, task), projectFile);
            if (!StateFiles.LooksWhole(layout.CodeFile(task), CodeFingerprint.TypeLinePrefix, "\n"))
            {
                TaskState.DeleteIfExists(layout.CodeFile(task));
                TaskState.DeleteIfExists(layout.InspectedMarker);
                log.LogWarning(subcategory: null, DagCodes.StateUnreadable, helpKeyword: null, projectFile, 0, 0, 0, 0,
                    $"The code fingerprint of task '{task}' ({layout.CodeFile(task)}) was damaged; it is made again in this build.");
            }
        }
        return true;
    }

    /// <summary>
    /// After compilation: finds each task's class, checks its Run() method, and writes each task's code fingerprint to
    /// <c>obj/dag/code/&lt;Task&gt;.code</c> only when it changed, so MSBuild's timestamp check re-runs exactly the tasks
    /// whose code changed.
    /// </summary>
    public bool Inspect()
    {
        var declarations = Declarations.FromItems(project.Tasks);
        // Declarations that do not make a DAG were reported already (_DagCheckDeclarations); Run's parameters are then not checked.
        var dag = Dag.Create(declarations).Dag;
        var items = Declarations.FamilyItems(project.ForEachItems);
        AssemblyInspection inspection;
        try
        {
            inspection = TaskCodeInspector.Inspect(project.AssemblyPath, declarations, dag is null ? null : task => RunParameterSources.For(dag[task], items));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            log.LogProblem(new(DagCodes.AssemblyUnreadable, null, $"Could not read the compiled tasks in {project.AssemblyPath}: {e.Message} Rebuild the project."), projectFile);
            return false;
        }
        if (!log.LogProblems(inspection.Problems, projectFile)) return false;

        var layout = Layout;
        foreach (var (name, code) in inspection.Tasks)
        {
            if (StateFiles.WriteIfChanged(layout.CodeFile(name), code.Fingerprint))
                log.LogMessage(MessageImportance.Low, $"Dagdog: code of task {name} ({code.TypeFullName}) changed.");
        }
        InspectionMarker.Write(layout, project.AssemblyPath);
        return true;
    }

    /// <summary>
    /// Before MSBuild checks any task: writes what each task's globs match now, where it changed, so that a file that
    /// joined or left a glob's matches makes MSBuild check the task (see <see cref="FileSets"/>). Reads no data file.
    /// </summary>
    public bool RecordFileSets()
    {
        var layout = Layout;
        // A family is checked in every build, instance by instance: it needs no file set.
        foreach (var task in Declarations.FromItems(project.Tasks).Where(t => TaskNames.IsValidName(t.Name) && t.ForEach is null && t.ForEachItem is null))
        {
            if (FileSets.Record(layout, task.Name, DeclaredFiles.Of(task, layout.ProjectDirectory)))
                log.LogMessage(MessageImportance.Low, $"Dagdog: the files task {task.Name}'s globs match changed.");
        }
        return true;
    }

    /// <summary>
    /// Runs the selection's tasks: those MSBuild found stale (<paramref name="stale"/>, by the check targets'
    /// Inputs/Outputs), and what downstream of them needs it; with <c>DagDryRun</c> (or in a watch) every task of the
    /// selection decides for itself. While the tasks run in worker processes, the MSBuild node is yielded to other
    /// projects of the build.
    /// </summary>
    /// <param name="target">The task whose target (<c>-t:Dag_Fit</c>) was asked for, which selects <c>+Fit</c>.</param>
    public bool Run(string target, IReadOnlyCollection<string> stale, WatchRun? watch, CancellationToken interrupt)
    {
        var given = Settings;
        var (jobs, jobsProblem) = given.Jobs;
        var (keepGoing, keepGoingProblem) = given.KeepGoing;
        var (push, pushProblem) = given.CachePush;
        var (outputLines, linesProblem) = given.OutputLines;
        var (forgottenLimit, limitProblem) = given.ForgottenLimit;
        var (dryRun, dryRunProblem) = given.DryRun;
        var (keptRuns, keptRunsProblem) = given.KeptRuns;
        var (slurm, slurmProblem) = ExecutorSettings.Read(given.Executor, checkSrun: !dryRun);
        if (!new[] { jobsProblem, keepGoingProblem, pushProblem, linesProblem, dryRunProblem, slurmProblem, limitProblem, keptRunsProblem }.All(GoesOn)) return false;

        var since = watch?.Since ?? Stopwatch.GetTimestamp();
        var startedUtc = DateTime.UtcNow;
        RunOutput? output = null;
        if (Load(problem => output!.Problem(problem)) is not { } onDisk) return false;
        if (Select(onDisk, target) is not var (selection, selected, scope)) return false;
        var (forget, forgetProblem) = given.Forget(onDisk.Dag);
        if (!GoesOn(forgetProblem)) return false;
        var tasks = DagScheduler.Schedule(scope, onDisk.Dag, task => dryRun || watch is not null || stale.Contains(task.Name));

        var mayRun = DagScheduler.MayRun(tasks);
        output = new RunOutput(log, live, projectFile, onDisk.Layout.RunReportFile, mayRun);
        if (mayRun == 0 && !dryRun)
        {
            output.NothingToRun(tasks.Count, watch is null ? null : Stopwatch.GetElapsedTime(since));
            StepSummary(output, tasks.Select(task => new TurnResult(task.Node, TurnStatus.UpToDate)).ToList(), Stopwatch.GetElapsedTime(since));
            return true;
        }

        // Before the first job: srun's refusal of the options is the build's error, said once (DAG041). Ctrl+C reaches
        // that srun too, often a moment before MSBuild cancels the build: that is no refusal.
        if (slurm is not null && !dryRun && SlurmPool.Verify(slurm, onDisk.Layout.ProjectDirectory) is { } refused)
        {
            if (!interrupt.WaitHandle.WaitOne(TimeSpan.FromSeconds(1))) GoesOn(refused);
            return false;
        }
        var (cache, cacheProblem) = ResultStores.Open(given.Cache, onDisk.Layout.ProjectDirectory, AzureBlobStore.OpenIfNamed, output.Problem, output.Note);
        GoesOn(cacheProblem);
        var settings = new RunSettings(project.AssemblyPath, jobs, keepGoing, cache, push, outputLines, DecideOnly: dryRun) {
            Items = Declarations.FamilyItems(project.ForEachItems), Running = watch?.Running, Forget = forget,
            Forgotten = ForgottenResults.For(onDisk.Layout, forgottenLimit * 1024L * 1024, decideOnly: dryRun),
        };
        void Started(int id) => output.Dispatch(() => log.LogMessage(MessageImportance.Low, $"Dag: started worker process {id}"));
        Func<Action<int>, ITaskExecutor> make = slurm is null
            ? started => new WorkerPool(onDisk.Layout.ProjectDirectory, started)
            : started => new SlurmPool(slurm, onDisk.Layout.ProjectDirectory, started);
        // A watch keeps its executor between runs (and ends it); a build takes the local workers its node keeps between
        // builds and gives them back, or makes its own executor (Slurm's) and ends it here.
        var lease = dryRun || watch is not null || slurm is not null ? null : KeptBy(engine)?.Take(Started);
        var workers = dryRun ? null
            : watch is not null ? watch.Workers.For(slurm is null ? "local" : $"slurm {slurm.Partition} {slurm.Account} {string.Join(' ', slurm.ExtraArguments)} {slurm.Idle}", make, Started)
            : lease?.Workers ?? make(Started);
        var ran = false;
        // Everything after the run (its summary, its report) is done while yielded, so that a build cancelled by Ctrl+C,
        // whose node MSBuild then refuses to give back, still says and records how it ended.
        engine.Yield();
        try
        {
            var results = output.Pump(DagRun.Run(onDisk, tasks, settings, watch?.Board is { } board ? new BoardEvents(output, board) : output, workers, interrupt));
            ran = true;
            if (dryRun)
            {
                output.Plan(results);
                return !log.HasLoggedErrors;
            }
            // A watch's run, in which every task decided itself up to date, says so as a build's own check would have.
            if (watch is not null && results.SelectMany(r => r.Units).All(r => r.Status == TurnStatus.UpToDate)) output.NothingToRun(results.Count, Stopwatch.GetElapsedTime(since));
            // A watch's run that a save stopped was interrupted too: what did not start waits for the next cycle.
            else output.Summary(results, Stopwatch.GetElapsedTime(since),
                interrupt.IsCancellationRequested || results.SelectMany(r => r.Units).Any(r => r.Reason == Reasons.Restarted));
            RunReport.Write(onDisk, selection.Describe(selected), startedUtc, jobs, results, keptRuns);
            if (settings.Forgotten?.Evict() is > 0 and var evicted)
                live.Print($"Dag: forgotten results: removed the {evicted} oldest, over the DagForgottenLimit of {forgottenLimit} MB (their instances run again if they come back)");
            StepSummary(output, results, Stopwatch.GetElapsedTime(since));
            return results.All(r => r.Succeeded) && !log.HasLoggedErrors;
        }
        finally
        {
            // Not after Ctrl+C: a user who stopped the build expects its processes gone.
            if (lease is not null) lease.GiveBack(keep: ran && !interrupt.IsCancellationRequested);
            else if (watch is null) workers?.Dispose();
            // Not after Ctrl+C, which ends the watch: the workers started would be ended at once.
            else if (workers is not null && !interrupt.IsCancellationRequested) watch.Workers.Refill();
            Reacquire();
        }
    }

    /// <summary>
    /// The workers this build's node keeps between builds for its environment (<see cref="NodeWorkers"/>), registered with
    /// MSBuild for the node's lifetime: MSBuild ends them with the node. Null when the engine keeps nothing between builds.
    /// </summary>
    private static NodeWorkers? KeptBy(IBuildEngine3 engine)
    {
        if (engine is not IBuildEngine4 node) return null;
        var key = NodeWorkers.KeyFor(Environment.GetEnvironmentVariables());
        if (node.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.AppDomain) is NodeWorkers kept) return kept;
        // Two builds may register at once: the first one's is kept, and both use it.
        node.RegisterTaskObject(key, new NodeWorkers(), RegisteredTaskObjectLifetime.AppDomain, allowEarlyCollection: false);
        return node.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.AppDomain) as NodeWorkers;
    }

    /// <summary>
    /// The DAG from the DagTask items, with its state on disk; null after logging the declarations' errors. An unreadable
    /// run record is forgotten, and warning DAG018 goes to <paramref name="warn"/> (the log itself by default).
    /// </summary>
    public DagOnDisk? Load(Action<DagProblem>? warn = null)
    {
        var validation = Dag.Create(Declarations.FromItems(project.Tasks));
        if (!log.LogProblems(validation.Problems, projectFile)) return null;
        var layout = Layout;
        warn ??= problem => log.LogProblem(problem, projectFile);
        return new DagOnDisk(validation.Dag!, layout, task => warn(DagOnDisk.Unreadable(layout, task)));
    }

    /// <summary>The selection and what it covers; null after logging why it cannot be read or met.</summary>
    /// <param name="target">The task whose target (<c>-t:Dag_Fit</c>) was asked for, which selects <c>+Fit</c>.</param>
    public (Selection Selection, DagNode? Task, SelectionScope Scope)? Select(DagOnDisk onDisk, string target)
    {
        var (selection, problem) = Settings.Selection(target);
        if (!GoesOn(problem)) return null;
        var (task, resolveProblem) = selection!.ResolveTask(onDisk.Dag);
        if (!GoesOn(resolveProblem)) return null;
        return (selection, task, SelectionScope.Of(onDisk.Dag, selection, task));
    }

    /// <summary>What a plain build would do to each task now, decided as a real run decides (<see cref="DagRun"/>), in DAG order.</summary>
    public IReadOnlyList<TurnResult> Foresee(DagOnDisk onDisk)
    {
        var output = new RunOutput(log, live, projectFile, onDisk.Layout.RunReportFile, mayRun: 0);
        // The shared result cache (DagCache): a stale task it holds shows as "would restore from cache".
        var (cache, problem) = ResultStores.Open(Settings.Cache, onDisk.Layout.ProjectDirectory, AzureBlobStore.OpenIfNamed, output.Problem, output.Note);
        GoesOn(problem);
        var tasks = DagScheduler.Schedule(SelectionScope.Of(onDisk.Dag, Selection.Everything, null), onDisk.Dag, _ => true);
        var settings = new RunSettings(AssemblyPath: "", Jobs: 1, KeepGoing: true, cache, Push: false, OutputLines: 0, DecideOnly: true)
        {
            Items = Declarations.FamilyItems(project.ForEachItems), Forgotten = ForgottenResults.For(onDisk.Layout, 0, decideOnly: true),
        };
        return output.Pump(DagRun.Run(onDisk, tasks, settings, output, workers: null, CancellationToken.None));
    }

    /// <summary>The board's document of the project now (<see cref="BoardDocuments"/>); null after logging why the DAG cannot be read.</summary>
    /// <param name="cycle">What the board's header says of the last cycle or build.</param>
    public BoardDocument? Board(string? cycle)
    {
        if (Load() is not { } onDisk) return null;
        return BoardDocuments.Of(onDisk, Path.GetFileNameWithoutExtension(projectFile), Foresee(onDisk), Declarations.FamilyItems(project.ForEachItems), cycle);
    }

    private bool GoesOn(DagProblem? problem) => log.GoesOn(problem, projectFile);

    // Once Ctrl+C cancelled the build, MSBuild answers a task that takes its node back with its BuildAbortedException, on
    // purpose: the build is ending, and this task has already said how. (A type of MSBuild's engine, which a task assembly
    // does not reference.)
    private void Reacquire()
    {
        try
        {
            engine.Reacquire();
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
