using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Dagdog.Running;

namespace Dagdog.Worker;

/// <summary>
/// One worker process: runs the build's requests one after another, each in a fresh load context, and answers each
/// with a result line, then with whether it is still clean. It serves another run only while it is provably clean (see
/// <see cref="ProcessSnapshot"/>); otherwise it stops taking requests and ends like any .NET program, when the threads
/// the task left have ended.
/// </summary>
internal sealed class WorkerSession(string nonce, TextWriter output, TextWriter error)
{
    private readonly object _gate = new();
    private CancellationTokenSource? _running;

    public void Serve(TextReader input)
    {
        // Said before the runtime ends the process, so the build can name the exception and its thread.
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            output.WriteLine(WorkerProtocol.CrashLine(nonce, new ThreadCrash(DescribeThread(), e.ExceptionObject.ToString() ?? "")));
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
            // Both into one stream, so that what a task writes to each stays in the order it wrote it.
            Console.SetOut(output);
            Console.SetError(output);
            Environment.ExitCode = 0;
            var before = TaskActivity.Now();
            var (failure, context) = TaskInvoker.Run(request, cancellation.Token);
            lock (_gate) _running = null;
            baseline.Restore();
            var result = failure ?? TaskInvoker.Success;
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
                clean = baseline.IsClean(context);
                Answer(result with { Settled = clean });
            }
            output.WriteLine(WorkerProtocol.CheckedLine(nonce, clean));
            if (!clean) break;
        }
    }

    private void Answer(RunResult result)
    {
        output.WriteLine(WorkerProtocol.ResultLine(nonce, result));
        error.WriteLine(WorkerProtocol.EndLine(nonce));
    }

    private void Read(TextReader input, BlockingCollection<RunRequest> requests)
    {
        while (input.ReadLine() is { } line)
        {
            if (line == WorkerProtocol.Cancel) CancelRunning();
            else if (WorkerProtocol.ParseRun(line) is { } request) requests.Add(request);
        }
        // The build closed its end: it is done with this worker, or it is gone. Either way nothing waits for a task now.
        lock (_gate)
        {
            if (_running is not null) Environment.Exit(1);
        }
        requests.CompleteAdding();
    }

    private void CancelRunning()
    {
        lock (_gate) _running?.Cancel();
    }

    private static string DescribeThread() =>
        Thread.CurrentThread is var thread && thread.Name is { Length: > 0 } name
            ? $"'{name}' (managed thread {thread.ManagedThreadId})"
            : $"managed thread {thread.ManagedThreadId}";
}
