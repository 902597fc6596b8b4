namespace Dagdog.Running;

/// <summary>
/// The local worker processes of one build (<see cref="ITaskExecutor"/>). After each run a worker proves that nothing of
/// the task is left in it; only then does it serve another run, and one that is not clean, or died, is replaced.
/// Starting a process costs about 50 ms, which 1,000 trivial tasks would feel (docs/design.md, "Running user code").
/// </summary>
/// <param name="started">Hears the process id of each worker started.</param>
internal sealed class WorkerPool(string projectDirectory, Action<int> started) : ITaskExecutor
{
    /// <summary>Shipped beside Dagdog's own assemblies (tasks/net10.0/ in the package).</summary>
    public static readonly string WorkerAssembly = Path.Combine(Path.GetDirectoryName(typeof(WorkerPool).Assembly.Location)!, "Dagdog.Worker.dll");

    // How long a task waits for a worker that is finishing its check, before starting a new one.
    private static readonly TimeSpan CheckWait = TimeSpan.FromMilliseconds(200);

    private readonly object _gate = new();
    private readonly List<WorkerProcess> _all = [];
    private readonly Stack<WorkerProcess> _idle = [];
    private readonly List<WorkerProcess> _checking = [];
    private readonly List<Task> _reports = [];

    /// <summary>
    /// Starts workers now, up to <paramref name="count"/> that can still serve a run: their runtimes start while the
    /// build decides what the first tasks need (and, in a watch, while it waits for the next save).
    /// </summary>
    public void Warm(int count)
    {
        int live;
        lock (_gate) live = _all.Count(worker => worker.Reusable);
        for (var i = live; i < count; i++)
        {
            var worker = Start();
            lock (_gate) _idle.Push(worker);
        }
    }

    public async Task<Execution> Run(RunRequest request, RunNeeds needs, Action<LinePiece> output, Action<string> waiting, Action<string> endedAfterwards,
        CancellationToken interrupt)
    {
        var worker = await Rent().ConfigureAwait(false);
        try
        {
            return await worker.Run(request, output, needs.Timeout, interrupt).ConfigureAwait(false);
        }
        finally
        {
            Return(worker, endedAfterwards);
        }
    }

    private async Task<WorkerProcess> Rent()
    {
        while (true)
        {
            Task waiting;
            lock (_gate)
            {
                foreach (var done in _checking.Where(w => w.Check.IsCompleted).ToList())
                {
                    _checking.Remove(done);
                    if (done.Check.Result.Clean && done.Reusable) _idle.Push(done);
                }
                // A worker can also end while idle (killed from outside): such a one is left for Dispose.
                while (_idle.TryPop(out var idle))
                {
                    if (idle.Reusable) return idle;
                }
                if (_checking.Count == 0) break;
                waiting = Task.WhenAny(_checking.Select(w => w.Check));
            }
            if (await Task.WhenAny(waiting, Task.Delay(CheckWait)).ConfigureAwait(false) != waiting) break;
        }
        return Start();
    }

    // Takes a worker back after its run; endedAfterwards hears if something the task left then took it down.
    private void Return(WorkerProcess worker, Action<string> endedAfterwards)
    {
        lock (_gate)
        {
            _checking.Add(worker);
            _reports.Add(worker.Check.ContinueWith(check =>
            {
                if (check.Result.EndedAfterwards is { } how) endedAfterwards(how);
            }, TaskScheduler.Default));
        }
    }

    private WorkerProcess Start()
    {
        var worker = WorkerProcess.Start(WorkerLaunch.Local(WorkerAssembly), projectDirectory);
        lock (_gate) _all.Add(worker);
        started(worker.Id);
        return worker;
    }

    /// <summary>Waits until what the workers said about the runs so far has been heard.</summary>
    public void Settle()
    {
        Task[] reports;
        lock (_gate) reports = [.. _reports];
        Task.WaitAll(reports);
        List<WorkerProcess> ended;
        lock (_gate)
        {
            _reports.RemoveAll(report => report.IsCompleted);
            // A kept pool outlives many runs: workers that can serve no more are let go with their pipes.
            ended = _all.Where(worker => !worker.Reusable && worker.Check.IsCompleted).ToList();
            _all.RemoveAll(ended.Contains);
        }
        foreach (var worker in ended) worker.Dispose();
    }

    /// <summary>Ends every worker, and waits until what they said about their last runs has been heard.</summary>
    public void Dispose()
    {
        Parallel.ForEach(_all, worker => worker.Dispose());
        Task.WaitAll([.. _reports]);
    }
}
