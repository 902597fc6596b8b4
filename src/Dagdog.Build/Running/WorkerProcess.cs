using System.Diagnostics;
using Dagdog.Running;

namespace Dagdog.Build.Running;

/// <summary>How a run in a worker ended.</summary>
internal abstract record WorkerOutcome
{
    /// <summary>Run() returned (<see cref="RunResult.Error"/> null) or threw, and the worker said so.</summary>
    public sealed record Finished(RunResult Result) : WorkerOutcome;

    /// <summary>The worker process ended without finishing the run, or a thread the task left crashed it afterwards.</summary>
    public sealed record Died(string How, bool AfterRunReturned) : WorkerOutcome;

    public sealed record TimedOut(TimeSpan Limit) : WorkerOutcome;

    public sealed record Interrupted : WorkerOutcome;
}

/// <summary>What a worker found after a run: whether it can serve another, and how it ended if a leftover of the task took it down.</summary>
/// <param name="EndedAfterwards">How the process ended, when the task's outcome had already been given and then the process died.</param>
internal sealed record WorkerCheck(bool Clean, string? EndedAfterwards);

/// <summary>
/// A Dagdog worker process (src/Dagdog.Worker) seen from the build: sends it one run at a time, hands each line the
/// task writes to the caller whole, and tells how the run ended, even when the task took the process down.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    // How long a task gets to honour its cancellation token before its worker is killed (Ctrl+C, Timeout).
    private static readonly TimeSpan CancellationGrace = TimeSpan.FromSeconds(1);

    private readonly Process _process;
    private readonly string _nonce = Guid.NewGuid().ToString("N");
    private readonly object _gate = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CurrentRun? _run;
    private ThreadCrash? _crash;
    private bool _stackOverflow;

    private WorkerProcess(string workerAssembly, string workingDirectory)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(workerAssembly);
        start.Environment[WorkerProtocol.NonceVariable] = _nonce;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {workerAssembly}.");
        _process.StandardInput.AutoFlush = true;
        StartReading(_process.StandardOutput, isError: false, _outputClosed);
        StartReading(_process.StandardError, isError: true, _errorClosed);
    }

    public static WorkerProcess Start(string workerAssembly, string workingDirectory) => new(workerAssembly, workingDirectory);

    public int Id => _process.Id;

    /// <summary>True while the worker may serve another run: alive, and clean after its last one.</summary>
    public bool Reusable { get; private set; } = true;

    /// <summary>The worker's check after its last run; a worker that never ran is clean.</summary>
    public Task<WorkerCheck> Check => _run?.Check.Task ?? Task.FromResult(new WorkerCheck(true, null));

    /// <summary>Runs one task; <paramref name="line"/> gets each line it writes, to standard output or error.</summary>
    public async Task<WorkerOutcome> Run(RunRequest request, Action<string> line, TimeSpan? timeout, CancellationToken interrupt)
    {
        var run = new CurrentRun(line);
        lock (_gate) _run = run;
        try
        {
            await _process.StandardInput.WriteLineAsync(WorkerProtocol.RunLine(request)).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The worker is already gone; how it ended is reported below.
        }

        using var timedOut = new CancellationTokenSource(timeout ?? Timeout.InfiniteTimeSpan);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt, timedOut.Token);
        var stopped = Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        if (await Task.WhenAny(run.Done.Task, stopped).ConfigureAwait(false) != run.Done.Task) return await Stop(run.Done.Task).ConfigureAwait(false);

        var outcome = await run.Done.Task.ConfigureAwait(false);
        if (outcome is not WorkerOutcome.Finished { Result.Settled: false }) return outcome;
        // Something of the task is still running in the worker (a thread, a timer): the run is over when the process
        // ends, like a .NET program's, and a crash until then is this task's.
        Reusable = false;
        var exited = WaitForExit();
        if (await Task.WhenAny(exited, stopped).ConfigureAwait(false) != exited) return await Stop(exited).ConfigureAwait(false);
        return Ended() is { } how ? new WorkerOutcome.Died(how, AfterRunReturned: true) : outcome;

        // Ctrl+C or the timeout: the task's token is cancelled, and its worker killed after a moment's grace.
        async Task<WorkerOutcome> Stop(Task ending)
        {
            Reusable = false;
            try
            {
                await _process.StandardInput.WriteLineAsync(WorkerProtocol.Cancel).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Already gone.
            }
            await Task.WhenAny(ending, Task.Delay(CancellationGrace)).ConfigureAwait(false);
            Kill();
            WorkerOutcome stopped = interrupt.IsCancellationRequested ? new WorkerOutcome.Interrupted() : new WorkerOutcome.TimedOut(timeout!.Value);
            // Whatever the killed worker still writes belongs to no run.
            run.Abandon(stopped);
            return stopped;
        }
    }

    private void StartReading(StreamReader reader, bool isError, TaskCompletionSource closed)
    {
        var thread = new Thread(() =>
        {
            try
            {
                while (reader.ReadLine() is { } text) Receive(text, isError);
            }
            catch (Exception e)
            {
                // Nothing may escape a thread of MSBuild's process: the run fails instead.
                Reusable = false;
                CurrentRun? run;
                lock (_gate) run = _run;
                run?.Die($"Dagdog could not take its output: {e.GetType().Name}: {e.Message}");
            }
            closed.TrySetResult();
            if (!isError) OnOutputClosed();
        }) { IsBackground = true, Name = $"Dagdog worker {_process.Id} {(isError ? "stderr" : "stdout")}" };
        thread.Start();
    }

    private void Receive(string text, bool isError)
    {
        var (taskText, message) = WorkerProtocol.Split(text, _nonce);
        CurrentRun? run;
        lock (_gate)
        {
            run = _run;
            if (isError && taskText.StartsWith("Stack overflow.", StringComparison.Ordinal)) _stackOverflow = true;
            if (message is WorkerMessage.Crashed crashed) _crash = crashed.Crash;
        }
        if (message is null || taskText.Length > 0) run?.Line(taskText);
        switch (message)
        {
            case WorkerMessage.Finished finished:
                run?.Finish(finished.Result, errorsDone: false);
                break;
            case WorkerMessage.ErrorStreamEnd:
                run?.Finish(null, errorsDone: true);
                break;
            case WorkerMessage.Checked { Clean: true }:
                run?.Check.TrySetResult(new WorkerCheck(true, null));
                break;
            case WorkerMessage.Checked:
                // Not clean: the worker ends (when the task's threads do); the check is complete when it has.
                Reusable = false;
                break;
        }
    }

    // Standard output closed: the process is ending. A run it did not finish died with it; one whose outcome it had
    // already given as settled learns whether something the task left took the process down.
    private async void OnOutputClosed()
    {
        Reusable = false;
        CurrentRun? run;
        lock (_gate) run = _run;
        if (run is null) return;
        try
        {
            await WaitForExit().ConfigureAwait(false);
            var ended = Ended();
            run.Die(ended ?? $"it ended its process with exit code {_process.ExitCode} before Run() returned");
            run.Check.TrySetResult(new WorkerCheck(false, run.Settled ? ended : null));
        }
        catch (InvalidOperationException)
        {
            // Disposed at the end of the build: nothing waits for this run any more.
            run.Check.TrySetResult(new WorkerCheck(false, null));
        }
    }

    private async Task WaitForExit()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        // What the process wrote last is read within moments; a grandchild holding the pipes open must not hold us.
        await Task.WhenAny(Task.WhenAll(_outputClosed.Task, _errorClosed.Task), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
    }

    /// <summary>How the process ended, when that was not a clean exit.</summary>
    private string? Ended()
    {
        var code = _process.ExitCode;
        lock (_gate)
        {
            if (_stackOverflow) return "its stack overflowed (unbounded recursion?), which ended its process";
            if (_crash is { } crash)
                return $"an unhandled exception on thread {crash.Thread} ended its process: {crash.Exception.Split('\n')[0].Trim()}";
        }
        if (code == 0) return null;
        return OperatingSystem.IsWindows() || code is <= 128 or > 128 + 64
            ? $"it ended its process with exit code {code} (Environment.Exit?)"
            : $"its process was killed by signal {code - 128}{SignalName(code - 128)}";
    }

    private static string SignalName(int signal) => signal switch
    {
        2 => " (SIGINT)",
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }
    }

    /// <summary>Closes the worker's input, so it ends when idle; kills it if it does not end promptly.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        if (!_process.WaitForExit(TimeSpan.FromSeconds(2))) Kill();
        _process.Dispose();
    }

    /// <summary>One run in progress: its output sink, and its outcome once the result and the last error line are in.</summary>
    private sealed class CurrentRun(Action<string> line)
    {
        private readonly object _gate = new();
        private RunResult? _result;
        private bool _errorsDone;

        public TaskCompletionSource<WorkerOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<WorkerCheck> Check { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>True once the worker gave the run's outcome as settled: a later death is reported apart.</summary>
        public bool Settled { get; private set; }

        public void Line(string text)
        {
            lock (_gate)
            {
                if (!Done.Task.IsCompleted) line(text);
            }
        }

        public void Finish(RunResult? result, bool errorsDone)
        {
            lock (_gate)
            {
                _result ??= result;
                _errorsDone |= errorsDone;
                if (_result is not null && _errorsDone)
                {
                    Settled = _result.Settled;
                    Done.TrySetResult(new WorkerOutcome.Finished(_result));
                }
            }
        }

        public void Abandon(WorkerOutcome outcome)
        {
            lock (_gate) Done.TrySetResult(outcome);
            Check.TrySetResult(new WorkerCheck(false, null));
        }

        public void Die(string how)
        {
            lock (_gate)
            {
                Done.TrySetResult(_result is null ? new WorkerOutcome.Died(how, AfterRunReturned: false) : new WorkerOutcome.Finished(_result));
            }
        }
    }
}
