namespace Dagdog.Running;

/// <summary>
/// The workers of one executor (<see cref="WorkerPool"/>, <see cref="SlurmPool"/>), by the shape each was started for
/// (what its executor allocated it: any object with value equality). A worker is rented for one run and always given
/// back (<see cref="RunOn"/>); it then proves itself clean and waits idle for another run of its shape, for at most
/// the idle limit when there is one; one that can serve no more is let go at the next <see cref="Settle"/>. How a
/// worker is started, and what a shape is, are its executor's.
/// </summary>
/// <param name="idleLimit">How long an idle worker is kept before it is ended; null keeps it until the executor ends.</param>
internal sealed class WorkerShelf(TimeSpan? idleLimit = null) : IDisposable
{
    /// <summary>How long a run waits for a worker of its shape that is finishing its proof of being clean, before its executor starts another.</summary>
    private static readonly TimeSpan ProofWait = TimeSpan.FromMilliseconds(200);

    private readonly object _gate = new();
    private readonly List<WorkerProcess> _all = [];
    private readonly Dictionary<object, List<Idle>> _idle = [];
    // Completed, and replaced, each time a worker of a shape comes back from its proof, or is started idle.
    private readonly Dictionary<object, TaskCompletionSource> _cameBack = [];
    // Workers of each shape that have run and are proving themselves clean.
    private readonly Dictionary<object, int> _returning = [];
    // What each worker said about its last run, heard (see Settle).
    private readonly List<Task> _reports = [];

    private sealed record Idle(WorkerProcess Worker, CancellationTokenSource Release);

    /// <summary>The workers held: started and not yet let go.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _all.Count;
        }
    }

    /// <summary>The workers held that can still serve a run.</summary>
    public int Reusable
    {
        get
        {
            lock (_gate) return _all.Count(worker => worker.Reusable);
        }
    }

    /// <summary>Holds a worker its executor has just started, for a run it is about to be given.</summary>
    public void Add(WorkerProcess worker)
    {
        lock (_gate) _all.Add(worker);
    }

    /// <summary>Holds a worker its executor started ahead of any run, idle.</summary>
    public void AddIdle(object shape, WorkerProcess worker)
    {
        Add(worker);
        MakeIdle(shape, worker);
    }

    /// <summary>
    /// An idle worker of the shape; or, when one of the shape has just run and is proving itself clean (a millisecond
    /// or two), that one if it is clean within a moment; null when the executor must start a worker.
    /// </summary>
    public async Task<WorkerProcess?> Rent(object shape)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            // Asked for before looking, so that a worker coming back in between is not missed.
            var cameBack = CameBack(shape);
            var (idle, returning) = TakeIdleOrCountReturning(shape);
            if (idle is not null) return idle;
            if (returning == 0 || waited.Elapsed >= ProofWait) return null;
            await Task.WhenAny(cameBack, Task.Delay(ProofWait - waited.Elapsed)).ConfigureAwait(false);
        }
    }

    /// <summary>An idle worker of the shape, taken; null when there is none.</summary>
    public WorkerProcess? TakeIdle(object shape)
    {
        lock (_gate)
        {
            if (!_idle.TryGetValue(shape, out var idle)) return null;
            while (idle.Count > 0)
            {
                var next = idle[^1];
                idle.RemoveAt(idle.Count - 1);
                next.Release.Cancel();
                // A worker can also end while idle (killed from outside): such a one is let go at the next settle.
                if (next.Worker.Reusable) return next.Worker;
            }
            return null;
        }
    }

    /// <summary>Completes when a worker of the shape next comes back from its proof (clean or not), or is started idle.</summary>
    public Task CameBack(object shape)
    {
        lock (_gate)
        {
            if (!_cameBack.TryGetValue(shape, out var signal)) _cameBack[shape] = signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
            return signal.Task;
        }
    }

    /// <summary>
    /// Runs one task on a rented worker and gives the worker back, however the run ends; <paramref name="endedAfterwards"/>
    /// hears if something the task left then took the worker down.
    /// </summary>
    public async Task<Execution> RunOn(object shape, WorkerProcess worker, RunRequest request, RunNeeds needs, Action<LinePiece> output,
        Action<string> endedAfterwards, CancellationToken interrupt)
    {
        try
        {
            return await worker.Run(request, output, needs.Timeout, interrupt).ConfigureAwait(false);
        }
        finally
        {
            Return(shape, worker, endedAfterwards);
        }
    }

    // In one step, as a returning worker becomes idle in one: it is seen as one or the other, never as neither.
    private (WorkerProcess? Idle, int Returning) TakeIdleOrCountReturning(object shape)
    {
        lock (_gate) return (TakeIdle(shape), _returning.GetValueOrDefault(shape));
    }

    // After its run, a worker that proves itself clean becomes idle.
    private void Return(object shape, WorkerProcess worker, Action<string> endedAfterwards)
    {
        lock (_gate) _returning[shape] = _returning.GetValueOrDefault(shape) + 1;
        var report = worker.Proof.ContinueWith(proof =>
        {
            if (proof.Result.EndedAfterwards is { } how) endedAfterwards(how);
            // One step, so that a run looking for a worker of the shape sees it either returning or idle.
            TaskCompletionSource? signal;
            lock (_gate)
            {
                _returning[shape]--;
                if (proof.Result.Clean && worker.Reusable) MakeIdle(shape, worker);
                _cameBack.Remove(shape, out signal);
            }
            signal?.TrySetResult();
        }, TaskScheduler.Default);
        lock (_gate) _reports.Add(report);
    }

    private void MakeIdle(object shape, WorkerProcess worker)
    {
        var release = new CancellationTokenSource();
        TaskCompletionSource? signal;
        lock (_gate)
        {
            if (!_idle.TryGetValue(shape, out var idle)) _idle[shape] = idle = [];
            idle.Add(new Idle(worker, release));
            _cameBack.Remove(shape, out signal);
        }
        signal?.TrySetResult();
        if (idleLimit is { } limit)
            Task.Delay(limit, release.Token).ContinueWith(_ => LetIdleGo(shape, worker), TaskContinuationOptions.OnlyOnRanToCompletion);
    }

    // An idle worker past the idle limit is ended, so that it holds nothing (a cluster's slot) for nothing.
    private void LetIdleGo(object shape, WorkerProcess worker)
    {
        lock (_gate)
        {
            if (!_idle.TryGetValue(shape, out var idle) || idle.RemoveAll(i => i.Worker == worker) == 0) return;
            _all.Remove(worker);
        }
        worker.Dispose();
    }

    /// <summary>
    /// Waits until what every worker said about the runs so far has been heard, and lets go every worker that can serve
    /// no more (closing its input ends it, and its pipes are closed); those that can serve again are kept.
    /// </summary>
    public void Settle()
    {
        // First those already known, so that none of them is waited for: one still draining ends when its input closes.
        LetEndedGo();
        Task[] reports;
        lock (_gate) reports = [.. _reports];
        Task.WaitAll(reports);
        lock (_gate) _reports.RemoveAll(report => report.IsCompleted);
        LetEndedGo();
    }

    private void LetEndedGo()
    {
        List<WorkerProcess> ended;
        lock (_gate)
        {
            ended = _all.Where(worker => !worker.Reusable).ToList();
            _all.RemoveAll(ended.Contains);
            foreach (var idle in _idle.Values.SelectMany(i => i).Where(i => ended.Contains(i.Worker))) idle.Release.Cancel();
            foreach (var idle in _idle.Values) idle.RemoveAll(i => ended.Contains(i.Worker));
        }
        Parallel.ForEach(ended, worker => worker.Dispose());
    }

    /// <summary>Ends every worker, and waits until what they said about their last runs has been heard.</summary>
    public void Dispose()
    {
        List<WorkerProcess> all;
        lock (_gate)
        {
            foreach (var idle in _idle.Values.SelectMany(i => i)) idle.Release.Cancel();
            _idle.Clear();
            all = [.. _all];
            _all.Clear();
        }
        Parallel.ForEach(all, worker => worker.Dispose());
        Task.WaitAll([.. _reports]);
    }
}
