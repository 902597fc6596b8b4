using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Dagdog.Running;
using Dagdog.State;

namespace Dagdog.Worker;

/// <summary>
/// One worker process: runs the build's requests one after another, each in a fresh load context, and answers each
/// with a result line, then with whether it is still clean. Processes a task leaves running are stopped when its
/// Run() returns. It serves another run only while it is provably clean (see <see cref="ProcessSnapshot"/>); otherwise
/// it stops taking requests and ends like any .NET program, when the threads the task left have ended.
/// </summary>
/// <param name="key">The end marker's key, from the build (see <see cref="WorkerProtocol"/>).</param>
/// <param name="messages">The worker's messages to the build.</param>
/// <param name="taskOutput">Where the task's Console.Out and Console.Error write.</param>
internal sealed class WorkerSession(string key, TextWriter messages, TextWriter taskOutput)
{
    private readonly object _gate = new();
    private CancellationTokenSource? _running;
    // Set when a run left something behind: the worker takes no more requests and ends when the task's threads do, or
    // when the build closes its input, whichever comes first.
    private bool _draining;
    private bool _inputClosed;
    private volatile bool _exitingItself;

    public void Serve(TextReader input)
    {
        // Said before the runtime ends the process, so the build can name the exception and its thread.
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            messages.WriteLine(WorkerProtocol.CrashLine(new ThreadCrash(DescribeThread(), WorkerProtocol.Bounded(e.ExceptionObject.ToString() ?? ""))));
        // A task that ends the worker (Environment.Exit) is told apart from a crash or a kill; the worker's own exits are not the task's.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (!_exitingItself && Volatile.Read(ref _running) is not null) messages.WriteLine(WorkerProtocol.ExitLine(Environment.ExitCode));
        };
        // Ctrl+C reaches every process of the terminal's group: the running task sees its token; the build decides when to kill.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            CancelRunning();
        });

        var requests = new BlockingCollection<RunRequest>();
        var reader = new Thread(() => Read(input, requests)) { IsBackground = true, Name = "Dagdog requests" };
        reader.Start();

        var baseline = ProcessSnapshot.Take();
        foreach (var request in requests.GetConsumingEnumerable())
        {
            using var cancellation = new CancellationTokenSource();
            lock (_gate) _running = cancellation;
            // Both into one writer, so that what a task writes to each stays in the order it wrote it.
            Console.SetOut(taskOutput);
            Console.SetError(taskOutput);
            Environment.ExitCode = 0;
            var before = TaskActivity.Now();
            var (failure, context) = TaskInvoker.Run(request, cancellation.Token);
            lock (_gate) _running = null;
            var stopped = ChildProcesses.StopAll();
            baseline.Restore();
            var result = (failure ?? TaskInvoker.Success with { Outputs = OutputHashes(request) }) with { Stopped = stopped.Count > 0 ? stopped : null };
            bool clean;
            // The proof that nothing of the task is left takes a few garbage collections. When no thread, queued work
            // item or timer was added by the task, none of its code can run any more and the build can go on meanwhile.
            if (TaskActivity.Now().IsQuietSince(before))
            {
                Answer(result with { Settled = true });
                clean = baseline.IsClean(context);
            }
            else
            {
                // A leftover may take the worker down during the proof: the build then knows Run() had returned.
                messages.WriteLine(WorkerProtocol.Returned);
                clean = baseline.IsClean(context);
                Answer(result with { Settled = clean });
            }
            messages.WriteLine(WorkerProtocol.CheckedLine(clean));
            if (clean) continue;
            lock (_gate)
            {
                _draining = true;
                if (_inputClosed) ExitItself(0);
            }
            break;
        }
    }

    private void Answer(RunResult result)
    {
        messages.WriteLine(WorkerProtocol.ResultLine(result));
        taskOutput.WriteLine(WorkerProtocol.EndMarker(key));
    }

    private void Read(TextReader input, BlockingCollection<RunRequest> requests)
    {
        while (input.ReadLine() is { } line)
        {
            if (line == WorkerProtocol.Cancel) CancelRunning();
            else if (WorkerProtocol.ParseRun(line) is { } request) requests.Add(request);
        }
        // The build closed its end: it is done with this worker, or it is gone. Either way nothing waits for a task now,
        // and nothing of one may go on running (Environment.Exit stops the processes it started too): a run in progress
        // ends with it (the build, if it is still there, says how), and what a finished run left behind is ended too,
        // with a clean exit, since that run's outcome was given.
        lock (_gate)
        {
            if (_running is not null) ExitItself(1);
            if (_draining) ExitItself(0);
            _inputClosed = true;
        }
        requests.CompleteAdding();
    }

    private void ExitItself(int code)
    {
        _exitingItself = true;
        Environment.Exit(code);
    }

    private void CancelRunning()
    {
        lock (_gate) _running?.Cancel();
    }

    private static string DescribeThread() =>
        Thread.CurrentThread is var thread && thread.Name is { Length: > 0 } name
            ? $"'{name}' (managed thread {thread.ManagedThreadId})"
            : $"managed thread {thread.ManagedThreadId}";

    // The declared outputs as they are here, where the task ran (a cluster's node): their hashes go back with the result.
    private static IReadOnlyList<FileHash>? OutputHashes(RunRequest request) =>
        request.Outputs is { Count: > 0 } outputs ? new FileHasher(new StateLayout("", request.ProjectDirectory), []).HashAll(outputs) : null;
}
