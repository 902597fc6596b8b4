using System.Diagnostics;
using System.Globalization;
using Dagdog.Board;
using Dagdog.Build.Board;
using Dagdog.Build.Watching;
using Dagdog.Code;
using Dagdog.Graph;
using Dagdog.Running;
using Dagdog.Watching;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// <c>-t:DagWatch</c>: runs the selection as a build would, then on every save runs it again, redoing only what the
/// save needs (<see cref="ChangeKind"/>): a data file, decide and run; a C# file, compile through the compiler server,
/// fingerprint, then run; the project file, an import, or a source file that came or went, evaluate and build it in a
/// child <c>dotnet msbuild</c> (<see cref="ProjectEvaluation"/>), then run. Each cycle takes the Dag target's steps
/// (<see cref="DagCycle"/>), in its order, with what the last evaluation said; the workers stay between cycles. Errors end a cycle, not
/// the watch (<see cref="CycleEngine"/>). Ctrl+C interrupts a running task and ends the watch; it succeeds when its last
/// cycle did. docs/design.md, "Watching", says why it is built so.
/// </summary>
public sealed class WatchDag : DagdogTask, ICancelableTask
{
    // Editors save in several steps within a few milliseconds; a burst ends after this long without a change.
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(40);

    private readonly CancellationTokenSource _stop = new();

    /// <summary>The build's node count (<c>-m</c>), which DagJobs defaults to.</summary>
    public string Nodes { get; set; } = "";

    /// <summary>Serve the board too (<c>-t:DagBoard</c>): the watch starts it, feeds it each cycle's events and document, and ends it.</summary>
    public bool Board { get; set; }

    /// <summary>The build's settings (<c>@(_DagSetting)</c>), for the board's: its port, address and whether it opens a browser.</summary>
    public ITaskItem[] Settings { get; set; } = [];

    private BoardProcess? _board;

    // The document made after the last run, while the watch waits for the next save (see ShowLater); whether one was sent.
    private Task _showing = Task.CompletedTask;
    private volatile bool _documented;

    public void Cancel() => _stop.Cancel();

    protected override bool ExecuteDagdog()
    {
        var globals = BuildEngine6.GetGlobalProperties();
        var nodes = int.TryParse(Nodes, out var count) && count > 0 ? count : 1;
        var bursts = new SaveBursts(Quiet);
        var overflowed = false;
        using var folders = new FolderWatch(bursts.Saw, () => Volatile.Write(ref overflowed, true));
        using var workers = new KeptExecutors();
        var session = new WatchSession(ProjectFile, globals, nodes, folders, workers);
        using var ctrlC = new InterruptKey(Cancel);
        if (Board && !StartBoard(session)) return false;
        using var board = _board;

        var (needs, trigger, since) = (ChangeKind.Project, "watch started", Stopwatch.GetTimestamp());
        bool succeeded;
        try
        {
            while (true)
            {
                Live.Print($"Dag: {trigger}");
                Shown();
                (succeeded, needs) = Cycle(session, bursts, needs, since);
                if (_stop.IsCancellationRequested) break;
                Live.Print("Dag: watching for changes (Ctrl+C to stop)");
                if (NextChange(bursts, session, () => Interlocked.Exchange(ref overflowed, false)) is not var (kind, what, first)) break;
                (needs, trigger, since) = ((ChangeKind)Math.Max((int)needs, (int)kind), what, first);
            }
        }
        finally
        {
            // The board ends with the watch, once nothing sends to it.
            Shown();
        }
        Live.Print("Dag: watch ended");
        if (!succeeded)
        {
            Log.LogError(subcategory: null, DagCodes.WatchFailed, helpKeyword: null, ProjectFile, 0, 0, 0, 0,
                "The watch ended after a cycle that failed, or while a task ran (see above); what it left stale runs in the next build.");
        }
        return succeeded;
    }

    // The board, on the address the settings give; its line says where, with the token.
    private bool StartBoard(WatchSession session)
    {
        var settings = Declarations.Settings(Settings);
        var (port, portProblem) = settings.BoardPort;
        var (open, openProblem) = settings.BoardOpen;
        var (host, hostProblem) = settings.BoardHost;
        if (!new[] { portProblem, openProblem, hostProblem }.All(GoesOn)) return false;
        if (!System.Net.IPAddress.IsLoopback(host!))
            Log.LogWarning(subcategory: null, DagCodes.BoardReachable, helpKeyword: null, ProjectFile, 0, 0, 0, 0,
                $"DagBoardHost is {host}: the board can be reached from other machines (with its token, over plain HTTP). Leave DagBoardHost unset to keep it on this machine.");
        try
        {
            _board = BoardProcess.Serve(host!.ToString(), port, session.ProjectDirectory);
        }
        catch (BoardException e)
        {
            return GoesOn(new DagProblem(DagCodes.BoardUnavailable, null, $"{e.Message} Choose another port with -p:DagBoardPort=N."));
        }
        Live.Print($"Dag: board at {_board.Address}");
        if (open && BoardBrowser.MayOpen(Environment.GetEnvironmentVariable)) BoardBrowser.Open(_board.Address);
        return true;
    }

    // The next burst of saves that matters, what it makes the cycle redo and how the trigger line names it; null on Ctrl+C.
    private (ChangeKind Kind, string What, long Since)? NextChange(SaveBursts bursts, WatchSession session, Func<bool> overflowed)
    {
        while (true)
        {
            Burst burst;
            try
            {
                burst = bursts.Next(_stop.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            if (overflowed()) return (ChangeKind.Project, "too many changes at once to follow", burst.FirstSeen.Values.Min());
            var changed = Changes(burst, session);
            if (changed.Count == 0) continue;
            return (changed.Max(change => change.Kind), Describe(changed, session, "changed"), changed[0].Seen);
        }
    }

    // The files of a burst that matter, in the order they were saved, with what each makes a cycle redo.
    private static List<(string Path, long Seen, ChangeKind Kind)> Changes(Burst burst, WatchSession session) =>
        burst.FirstSeen.Select(seen => (Path: seen.Key, Seen: seen.Value, Kind: session.Files?.Classify(seen.Key) ?? ChangeKind.Project))
            .Where(change => change.Kind != ChangeKind.None).OrderBy(change => change.Seen).ToList();

    // How a trigger line names the files: "Fit.cs changed", "Fit.cs and 2 more changed".
    private static string Describe(IReadOnlyList<(string Path, long Seen, ChangeKind Kind)> changed, WatchSession session, string how)
    {
        var names = changed.Select(change => Path.GetRelativePath(session.ProjectDirectory, change.Path)).Distinct().ToList();
        return names.Count == 1 ? $"{names[0]} {how}" : $"{names[0]} and {names.Count - 1} more {how}";
    }

    // While a cycle's tasks run: a save that changes a task's inputs, or its code (compiled and fingerprinted now, in
    // obj/ only), stops its run, or keeps it from starting in this cycle; the others finish. What was taken here is
    // given back for the next cycle, whatever happens.
    // A change seen before the run started (a DagDependsOn target's copy during the child build) is what the run reads.
    private static async Task StopChangedRuns(SaveBursts bursts, WatchSession session, RunningUnits running, List<Burst> taken, long runStarted,
        CancellationToken runEnded)
    {
        while (!runEnded.IsCancellationRequested)
        {
            try
            {
                var burst = await bursts.Next(runEnded).ConfigureAwait(false);
                taken.Add(burst);
                var changed = Changes(burst, session).Where(change => change.Seen >= runStarted).ToList();
                if (changed.Count == 0) continue;
                var what = Describe(changed, session, "saved");
                var data = changed.Where(change => change.Kind == ChangeKind.Data).Select(change => change.Path).ToList();
                var code = changed.Any(change => change.Kind == ChangeKind.Code) ? CodeChanged(session, runEnded) : [];
                if (running.Restart(what, data, code).Count == 0) running.Say($"Dag: {what}: the next cycle takes it, after the running tasks");
            }
            catch (OperationCanceledException)
            {
                // The run ended (or Ctrl+C): the next cycle takes what came since.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or BadImageFormatException)
            {
                // The saved code could not be compiled or read now: nothing is stopped, and the next cycle compiles it and says why.
            }
        }
    }

    // The tasks whose code the save changes: their fingerprints in the assembly compiled now against the ones recorded.
    // A compile that fails changes nothing yet: the next cycle shows its errors.
    private static IReadOnlyList<string> CodeChanged(WatchSession session, CancellationToken stop)
    {
        if (!session.Compile(stop).Succeeded || session.Evaluation?.Item("IntermediateAssembly") is not [var assembly]) return [];
        var inspection = TaskCodeInspector.Inspect(Path.GetFullPath(assembly.ItemSpec, session.ProjectDirectory), Declarations.FromItems(session.Evaluation.Item("DagTask")));
        return inspection.Tasks.Where(task => session.Layout.CodeFile(task.Key) is var codeFile && (!File.Exists(codeFile) || File.ReadAllText(codeFile) != task.Value.Fingerprint))
            .Select(task => task.Key).ToList();
    }

    // One cycle: what the change needs redone, then the Dag target's tasks. Returns whether it succeeded, and what the next
    // cycle must redo at least (a step that failed is redone).
    private (bool Succeeded, ChangeKind Needs) Cycle(WatchSession session, SaveBursts bursts, ChangeKind needs, long since)
    {
        var engine = new CycleEngine(BuildEngine4, Live);
        var compiled = false;
        var steps = new CycleSteps(since);
        try
        {
            if (needs == ChangeKind.Project || session.Evaluation is null || session.Evaluation.HasUserTargets || !session.BuildIsIntact())
            {
                var evaluation = Evaluate(session);
                Print(evaluation.Messages);
                session.Evaluated(evaluation);
                steps.Done("evaluate and build");
                if (!evaluation.Succeeded) return Failed($"the project did not build ({Count(evaluation.Messages.Count(m => m.IsError), "error")})", ChangeKind.Project);
                compiled = true;
            }
            else if (needs == ChangeKind.Code)
            {
                var compilation = session.Compile(_stop.Token);
                steps.Done("compile");
                Print(compilation.Messages);
                if (!compilation.Succeeded)
                {
                    var errors = compilation.Messages.Count(m => m.IsError);
                    if (errors == 0) Live.Print(compilation.Output.Trim());
                    return Failed($"the project did not compile ({Count(errors, "error")})", ChangeKind.Code);
                }
                session.CopyOutputs();
                compiled = true;
            }
            return (RunTasks(session, bursts, engine, compiled, since, steps), ChangeKind.None);
        }
        catch (OperationCanceledException)
        {
            return (false, needs);
        }
        catch (Exception e)
        {
            // A file that cannot be copied, a watch the system refuses, a missing compiler: this cycle fails, and the next evaluates again.
            var problem = e is IOException or UnauthorizedAccessException ? DagProblem.FileUnusable(null, e) : DagProblem.Internal(e, "Dagdog's watch cycle", null);
            Live.Print(new BuildMessage(ProjectFile, 0, 0, true, problem.Code, problem.Message).ToString());
            return Failed("the cycle did not finish", ChangeKind.Project);
        }
        finally
        {
            Log.LogMessage(MessageImportance.Normal, $"Dag: the cycle took {steps}");
        }
    }

    // A child build of the project. One whose restore and build read two versions of the project file (saved in between)
    // finds the task targets stale (DAG005, DAG006): the next evaluation generates them anew, as a user's 'dotnet restore' would.
    private ProjectEvaluation Evaluate(WatchSession session)
    {
        for (var attempt = 1; ; attempt++)
        {
            var evaluation = ProjectEvaluation.Run(ProjectFile, session.Globals, session.Nodes, session.Layout.NeverWrittenFile, _stop.Token).GetAwaiter().GetResult();
            if (attempt == 3 || !evaluation.Messages.Any(m => m.Code is DagCodes.TargetsNotGenerated or DagCodes.TargetsStale)) return evaluation;
        }
    }

    /// <summary>How long each step of a cycle took, from the save: what "-v:n" shows and bench/watch-bench.py reads.</summary>
    private sealed class CycleSteps(long since)
    {
        private readonly List<string> _steps = [$"detect {Seconds(Stopwatch.GetElapsedTime(since))}"];
        private long _last = Stopwatch.GetTimestamp();

        public void Done(string step)
        {
            _steps.Add($"{step} {Seconds(Stopwatch.GetElapsedTime(_last))}");
            _last = Stopwatch.GetTimestamp();
        }

        public override string ToString() => $"{Seconds(Stopwatch.GetElapsedTime(since))} s from the save: {string.Join(", ", _steps)}";

        private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
    }

    // A cycle's errors are shown as they come and do not fail the watch (see CycleEngine).
    private void Print(IEnumerable<BuildMessage> messages)
    {
        foreach (var message in messages) Live.Print(message.ToString());
    }

    private (bool, ChangeKind) Failed(string what, ChangeKind needs)
    {
        Live.Print($"Dag: {what}; fix it and save");
        _board?.Send(BoardFeed.CycleLine($"{DateTime.Now:HH:mm:ss} {what}; fix it and save"));
        return (false, needs);
    }

    private static string Count(int count, string what) => $"{count} {what}{(count == 1 ? "" : "s")}";

    // Before a run the page learns that the cycle runs, and sees its tasks start and end as they do (BoardEvents). A run
    // waits for a document only when the page may lack its tasks: the first (a page opened at the start has the DAG to
    // show meanwhile), and one after a compile (tasks added or renamed; that cycle compiled, 0.1 s more is not felt).
    private void ShowRunning(DagProject project, bool compiled)
    {
        if (_board is null) return;
        if (_documented && !compiled) _board.Send(BoardFeed.CycleLine($"{DateTime.Now:HH:mm:ss} running"));
        else Document(project, "running");
    }

    // The document after a run is made while the watch waits for the next save: the page has each task's end already,
    // and a decide-only pass over the DAG would hold the cycle back. The next cycle begins once it is sent (Shown).
    private void ShowLater(DagProject project)
    {
        if (_board is not null) _showing = Task.Run(() => Document(project, "watching for changes"));
    }

    // The cycle has told its problems already: the board's reading of the project logs nothing, and a file it cannot
    // read now leaves the board as it was. Whatever goes wrong here, the board is not worth the watch: the document is
    // not sent, and the log says why.
    private void Document(DagProject project, string doing)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (SilentEngine.Reading(BuildEngine3, ProjectFile, project).Board($"{DateTime.Now:HH:mm:ss} {doing}") is not { } document) return;
            _board!.Send(BoardFeed.Line(document));
            _documented = true;
            Log.LogMessage(MessageImportance.Normal, $"Dag: the board's document took {Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Log.LogMessage(MessageImportance.Low, $"Dag: the board's document was not made this time: {e.Message}");
        }
        catch (Exception e)
        {
            Log.LogMessage(MessageImportance.High, $"Dag: the board's document was not made, a defect in Dagdog's board: {e}");
        }
    }

    private void Shown() => _showing.GetAwaiter().GetResult();

    // The Dag target's steps, in its order (DagCycle, as its tasks take them), given what the last evaluation says.
    private bool RunTasks(WatchSession session, SaveBursts bursts, CycleEngine engine, bool compiled, long since, CycleSteps steps)
    {
        var evaluation = session.Evaluation!;
        var project = new DagProject(evaluation.Item("DagTask"), evaluation.Item("_DagForEachItem"), evaluation.SettingItems,
            evaluation.Settings.StateDirectory, evaluation.Property("TargetPath"));
        var log = new Microsoft.Build.Utilities.TaskLoggingHelper(engine, nameof(WatchDag));
        var cycle = new DagCycle(log, new LiveMessages(engine, nameof(WatchDag)), engine, ProjectFile, project);
        // Each step as its task would take it: a file it cannot use is DAG019 and ends this cycle, not the next one's evaluation.
        bool Step(Func<bool> step, string task) => DagdogTask.Guarded(step, log, ProjectFile, task);
        if (!Step(cycle.VerifyState, nameof(VerifyDagState))) return false;
        // _DagInspectAssembly's Inputs/Outputs: its inputs other than the assembly change only with an evaluation, which compiles.
        if ((compiled || !File.Exists(session.Layout.InspectedMarker)) && !Step(cycle.Inspect, nameof(InspectDagAssembly))) return false;
        if (!Step(cycle.RecordFileSets, nameof(RecordDagFileSets))) return false;
        steps.Done("fingerprint");
        var running = new RunningUnits();
        using var runEnded = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var taken = new List<Burst>();
        var runStarted = Stopwatch.GetTimestamp();
        var watching = Task.Run(() => StopChangedRuns(bursts, session, running, taken, runStarted, runEnded.Token));
        try
        {
            // Ctrl+C (which stops the watch) interrupts the running tasks.
            ShowRunning(project, compiled);
            return Step(() => cycle.Run(target: "", stale: [], new WatchRun(session.Workers, since, running, _board), _stop.Token), nameof(RunDag)) && engine.Errors == 0;
        }
        finally
        {
            runEnded.Cancel();
            watching.GetAwaiter().GetResult();
            foreach (var burst in taken) bursts.GiveBack(burst);
            steps.Done("run");
            ShowLater(project);
        }
    }
}
