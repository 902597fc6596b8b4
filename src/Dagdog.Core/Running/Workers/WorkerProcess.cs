using System.Diagnostics;

namespace Dagdog.Running;

/// <summary>What a worker found after a run: whether it can serve another, and how it ended if a leftover of the task took it down.</summary>
/// <param name="EndedAfterwards">How the process ended, when the task's outcome had already been given and then the process died.</param>
internal sealed record CleanProof(bool Clean, string? EndedAfterwards);

/// <summary>
/// A Dagdog worker process (src/Dagdog.Worker) seen from the build: sends it one run at a time, hands what the task
/// writes to the caller as it comes, and tells how the run ended, even when the task took the process down. Both
/// streams it reads are read in bounded memory, whatever a task writes (see <see cref="LineReader"/>).
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    // How long a task gets to honour its cancellation token before its worker is killed (Ctrl+C, Timeout).
    private static readonly TimeSpan CancellationGrace = TimeSpan.FromSeconds(1);

    // What a task writes reaches the caller in pieces of at most this many characters.
    private const int LongestPiece = 16 * 1024;

    private readonly Process _process;
    // Known only to this build and its worker: nothing a task writes can end its run's output early.
    private readonly string _key = Guid.NewGuid().ToString("N");
    private readonly string _endMarker;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _messagesClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CurrentRun? _run;
    // Set when the worker's messages end: working out how its process ended, and telling the run.
    private volatile Task? _ended;
    private ThreadCrash? _crash;
    // The exit code the running task's own code ended the process with (Environment.Exit).
    private int? _taskExit;
    private int _ending;
    private bool _messagesEnded;
    private bool _stackOverflow;

    private readonly WorkerLaunch _launch;
    private readonly LauncherLines _launcher;
    private readonly Action? _beforeKill;
    private readonly Func<string?>? _launcherEnded;

    private WorkerProcess(WorkerLaunch launch, string workingDirectory, Action<string>? launcherSaid, Action? beforeKill, Func<string?>? launcherEnded)
    {
        (_launch, _launcher, _beforeKill, _launcherEnded) = (launch, new LauncherLines(launch, launcherSaid), beforeKill, launcherEnded);
        _endMarker = WorkerProtocol.EndMarker(_key);
        var start = new ProcessStartInfo(launch.Program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launch.Arguments) start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {launch.Program}.");
        _process.StandardInput.AutoFlush = true;
        Send(WorkerProtocol.KeyLine(_key));
        StartReading(_process.StandardOutput.BaseStream, "messages", ReadMessages, _messagesClosed);
        StartReading(_process.StandardError.BaseStream, "output", ReadOutput, _outputClosed);
        _ = NoticeExit();
    }

    // How long a worker's process and its message stream may end apart: the end of either is the worker's end.
    private static readonly TimeSpan EndingGrace = TimeSpan.FromMilliseconds(500);

    /// <param name="launcherSaid">Hears each line the launcher writes (<see cref="WorkerLaunch.LauncherPrefix"/>).</param>
    /// <param name="beforeKill">Called before the process is killed (Ctrl+C, Timeout): a cluster's job is cancelled there.</param>
    /// <param name="launcherEnded">Asked, when the launcher ended before the run answered, what its system says ended it (Slurm's job state); null when nothing did.</param>
    public static WorkerProcess Start(WorkerLaunch launch, string workingDirectory, Action<string>? launcherSaid = null, Action? beforeKill = null,
        Func<string?>? launcherEnded = null) =>
        new(launch, workingDirectory, launcherSaid, beforeKill, launcherEnded);

    public int Id => _process.Id;

    /// <summary>True while the worker may serve another run: alive, and clean after its last one.</summary>
    public bool Reusable { get; private set; } = true;

    /// <summary>The worker's proof after its last run that nothing of the task is left; a worker that never ran is clean.</summary>
    public Task<CleanProof> Proof => _run?.Proof.Task ?? Task.FromResult(new CleanProof(true, null));

    /// <summary>Runs one task; <paramref name="output"/> gets what it writes, to standard output or error, as it comes.</summary>
    public async Task<Execution> Run(RunRequest request, Action<LinePiece> output, TimeSpan? timeout, CancellationToken interrupt) =>
        await RunUntilEnd(request, output, timeout, interrupt).ConfigureAwait(false) with { Worker = Id };

    private async Task<Execution> RunUntilEnd(RunRequest request, Action<LinePiece> output, TimeSpan? timeout, CancellationToken interrupt)
    {
        var run = new CurrentRun(output);
        bool ended;
        lock (_gate) (_run, ended) = (run, _messagesEnded);
        // A worker behind a launcher can end before its first run (Slurm refused the job): that run learns why now.
        if (ended) _ = EndRun(run);
        else Send(WorkerProtocol.RunLine(request));

        // Completes on Ctrl+C, or when the Timeout has passed; the wait ends with the run.
        using var over = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        var stopped = timeout is { } limit ? Deadline.After(limit, over.Token) : Task.Delay(Timeout.Infinite, over.Token);
        try
        {
            if (await Task.WhenAny(run.Done.Task, stopped).ConfigureAwait(false) != run.Done.Task) return await Stop(run.Done.Task).ConfigureAwait(false);

            var outcome = await run.Done.Task.ConfigureAwait(false);
            // Ctrl+C reaches every process of the terminal's group: a worker, or its launcher, that ended with it was
            // interrupted (one just started may not catch SIGINT yet, and MSBuild may cancel the build a moment later).
            if (outcome is Execution.Died && (interrupt.IsCancellationRequested || _process.HasExited && _process.ExitCode == 128 + 2)) return new Execution.Interrupted();
            if (outcome is not Execution.Finished { Result.Settled: false }) return outcome;
            // Something of the task is still running in the worker (a thread, a timer): the run is over when the process
            // ends, like a .NET program's, and a crash until then is this task's.
            Reusable = false;
            var exited = WaitForExit();
            if (await Task.WhenAny(exited, stopped).ConfigureAwait(false) != exited) return await Stop(exited).ConfigureAwait(false);
            return Ended() is { } how ? new Execution.Died(how, AfterRunReturned: true) : outcome;
        }
        finally
        {
            over.Cancel();
        }

        // Ctrl+C or the timeout: the task's token is cancelled, and its worker killed after a moment's grace.
        async Task<Execution> Stop(Task ending)
        {
            Reusable = false;
            Send(WorkerProtocol.Cancel);
            await Task.WhenAny(ending, Task.Delay(CancellationGrace)).ConfigureAwait(false);
            Kill();
            Execution stopped = interrupt.IsCancellationRequested ? new Execution.Interrupted() : new Execution.TimedOut(timeout!.Value);
            // Whatever the killed worker still writes belongs to no run.
            run.Abandon(stopped);
            return stopped;
        }
    }

    // Behind a launcher (srun), lets the worker's next write through at once (see WorkerProtocol.Ack).
    private void Acknowledge()
    {
        if (_launch.LauncherPrefix is not null) Send(WorkerProtocol.Ack);
    }

    private void Send(string line)
    {
        try
        {
            _process.StandardInput.WriteLine(line);
        }
        catch (IOException)
        {
            // The worker is already gone; how it ended is reported when its streams close.
        }
    }

    private void StartReading(Stream stream, string name, Action<Stream> read, TaskCompletionSource closed)
    {
        var thread = new Thread(() =>
        {
            try
            {
                read(stream);
            }
            catch (Exception e)
            {
                // Nothing may escape a thread of MSBuild's process: the run fails instead.
                Reusable = false;
                CurrentRun? run;
                lock (_gate) run = _run;
                run?.Die($"Dagdog could not read its {name}: {e.GetType().Name}: {e.Message}");
            }
            // The end is noted before the stream counts as closed, so that Dispose, which waits for the latter, finds it.
            if (name == "messages") OnEnding();
            closed.TrySetResult();
        }) { IsBackground = true, Name = $"Dagdog worker {_process.Id} {name}" };
        thread.Start();
    }

    // The worker's own messages: only the worker writes this stream, one message a line.
    private void ReadMessages(Stream stream)
    {
        var reader = new LineReader(stream, WorkerProtocol.LongestMessage);
        var whole = true;
        while (reader.Read() is { } piece)
        {
            // A line too long to be a message is not one, however it ends.
            var message = whole && piece.EndsLine ? WorkerProtocol.Parse(piece.Text) : null;
            whole = piece.EndsLine;
            CurrentRun? run;
            lock (_gate)
            {
                run = _run;
                if (message is WorkerMessage.Crashed crashed) _crash = crashed.Crash;
            }
            switch (message)
            {
                case WorkerMessage.Returned:
                    Acknowledge();
                    run?.Return();
                    break;
                case WorkerMessage.Finished finished:
                    // Not after the last message of a run (checked): an ack then would itself wait for the node's
                    // acknowledgement, and hold up the next request.
                    Acknowledge();
                    run?.Finish(finished.Result, outputDone: false);
                    break;
                case WorkerMessage.Proven { Clean: true }:
                    run?.Proof.TrySetResult(new CleanProof(true, null));
                    break;
                case WorkerMessage.Proven:
                    // Not clean: the worker ends (when the task's threads do); the proof is complete when it has.
                    Reusable = false;
                    break;
                case WorkerMessage.Exited exited when run is not null:
                    lock (_gate) _taskExit = exited.Code;
                    break;
            }
        }
    }

    // What the task and its processes write, raw; the end marker closes each run's part of it.
    private void ReadOutput(Stream stream)
    {
        var reader = new LineReader(stream, LongestPiece, keepTogether: _endMarker.Length);
        var lineStarts = true;
        while (reader.Read() is { } piece)
        {
            CurrentRun? run;
            lock (_gate)
            {
                run = _run;
                if (lineStarts && piece.Text.StartsWith("Stack overflow.", StringComparison.Ordinal)) _stackOverflow = true;
            }
            if (lineStarts && _launcher.Take(piece.Text))
            {
                lineStarts = piece.EndsLine;
                continue;
            }
            lineStarts = piece.EndsLine;
            if (piece.EndsLine && piece.Text.EndsWith(_endMarker, StringComparison.Ordinal))
            {
                // Text before the marker is a line the task left unfinished: still its output.
                if (piece.Text.Length > _endMarker.Length) run?.Output(new LinePiece(piece.Text[..^_endMarker.Length], EndsLine: true));
                Acknowledge();
                run?.Finish(null, outputDone: true);
            }
            else run?.Output(piece);
        }
    }

    // A process that ended while something it left holds its message stream open ends the worker all the same.
    private async Task NoticeExit()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        await Task.WhenAny(_messagesClosed.Task, Task.Delay(EndingGrace)).ConfigureAwait(false);
        OnEnding();
    }

    // The worker's messages ended, or its process did: it is ending. A run it did not finish died with it; one whose
    // outcome it had already given as settled learns whether something the task left took the process down. Once.
    private void OnEnding()
    {
        if (Interlocked.Exchange(ref _ending, 1) == 1) return;
        Reusable = false;
        CurrentRun? run;
        lock (_gate) (_messagesEnded, run) = (true, _run);
        _ended = run is null ? Task.CompletedTask : EndRun(run);
    }

    private async Task EndRun(CurrentRun run)
    {
        // Messages that end while the process runs on (it closed its message stream): it can answer nothing more.
        await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(EndingGrace)).ConfigureAwait(false);
        var closedAlive = !_process.HasExited;
        if (closedAlive) Kill();
        await WaitForExit().ConfigureAwait(false);
        var ended = closedAlive ? $"its worker process closed its message stream{BeforeReturn(run)}, and was stopped" : Ended();
        // A lost node ends srun with exit code 0 (the job's state says why); a cancel or a time limit with 143.
        if (!closedAlive && !run.Settled && !run.Done.Task.IsCompleted && _launcherEnded?.Invoke() is { } why)
            ended = $"{why}{(_launcher.Errors is { } said ? $"; {_launch.Program} said: {said}" : "")}";
        run.Die(ended ?? $"its worker process ended with exit code {_process.ExitCode}{BeforeReturn(run)}");
        run.Proof.TrySetResult(new CleanProof(false, run.Settled ? ended : null));
    }

    private static string BeforeReturn(CurrentRun run) => run.Returned ? "" : " before Run() returned";

    private async Task WaitForExit()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        // What the process wrote last is read within moments; a process holding the pipes open must not hold us.
        await Task.WhenAny(Task.WhenAll(_messagesClosed.Task, _outputClosed.Task), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
    }
    /// <summary>How the process ended, when that was not a clean exit.</summary>
    private string? Ended()
    {
        lock (_gate) return new WorkerEnd(_process.ExitCode, _stackOverflow, _crash, _taskExit, _launch.Program, _launcher.Errors).Describe();
    }

    private void Kill()
    {
        _beforeKill?.Invoke();
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }
    }

    /// <summary>Completes when the worker's messages end: its process is ending (it may never have started, behind a launcher).</summary>
    public Task Ending => _messagesClosed.Task;

    private int _disposed;

    /// <summary>Closes the worker's input, so it ends when idle; kills it if it does not end promptly. Once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
        if (!_process.WaitForExit(TimeSpan.FromSeconds(2))) Kill();
        // How the process ended is worked out from it before it goes (a leftover of the last task may have ended it).
        _process.WaitForExit();
        if (_messagesClosed.Task.Wait(TimeSpan.FromSeconds(5))) _ended?.Wait(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    /// <summary>One run in progress: its output sink, and its outcome once the result and the end of its output are in.</summary>
    private sealed class CurrentRun(Action<LinePiece> output)
    {
        private readonly object _gate = new();
        private RunResult? _result;
        private bool _outputDone;

        public TaskCompletionSource<Execution> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<CleanProof> Proof { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>True once the worker gave the run's outcome as settled: a later death is reported apart.</summary>
        public bool Settled { get; private set; }

        /// <summary>True once the worker said Run() returned: a death before the outcome came after it.</summary>
        public bool Returned { get; private set; }

        public void Return()
        {
            lock (_gate) Returned = true;
        }

        public void Output(LinePiece piece)
        {
            lock (_gate)
            {
                if (!Done.Task.IsCompleted) output(piece);
            }
        }

        public void Finish(RunResult? result, bool outputDone)
        {
            lock (_gate)
            {
                _result ??= result;
                _outputDone |= outputDone;
                if (_result is not null && _outputDone)
                {
                    Settled = _result.Settled;
                    Done.TrySetResult(new Execution.Finished(_result));
                }
            }
        }

        public void Abandon(Execution outcome)
        {
            lock (_gate) Done.TrySetResult(outcome);
            Proof.TrySetResult(new CleanProof(false, null));
        }

        public void Die(string how)
        {
            lock (_gate)
            {
                Done.TrySetResult(_result is null ? new Execution.Died(how, AfterRunReturned: Returned) : new Execution.Finished(_result));
            }
        }
    }
}
