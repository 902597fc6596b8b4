namespace Dagdog.Running;

/// <summary>
/// An executor that outlives the runs it serves, so that a watch's next run finds its workers started, with the
/// framework code its tasks use already compiled (each run still gets a fresh load context, and a worker still proves
/// itself clean after each). The end of a run only settles it (<see cref="ITaskExecutor.Settle"/>); its owner ends it.
/// </summary>
internal sealed class KeptExecutor(ITaskExecutor executor) : ITaskExecutor
{
    // How many workers the last run wanted ready.
    private int _warm;

    public void Warm(int workers)
    {
        _warm = workers;
        executor.Warm(workers);
    }

    public Task<Execution> Run(RunRequest request, RunNeeds needs, Action<LinePiece> output, Action<string> waiting, Action<string> endedAfterwards,
        CancellationToken interrupt) => executor.Run(request, needs, output, waiting, endedAfterwards, interrupt);

    public void Settle() => executor.Settle();

    /// <summary>
    /// What <see cref="DagRun"/> calls at the end of a run: settles, keeps the workers, and starts new ones in place of
    /// those that ended (a task that leaves something in its worker ends it), so that the next save finds them started.
    /// </summary>
    public void Dispose()
    {
        executor.Settle();
        executor.Warm(_warm);
    }

    /// <summary>Ends the workers, when the watch ends.</summary>
    public void End() => executor.Dispose();
}

/// <summary>
/// The executor a watch keeps between its runs, made again only when the project asks for another kind
/// (<c>DagExecutor</c> and its settings, as <paramref name="key"/> of <see cref="For"/> says).
/// </summary>
internal sealed class KeptExecutors : IDisposable
{
    private (string Key, KeptExecutor Executor)? _current;
    private Action<int> _started = _ => { };

    /// <summary>The executor for this run; <paramref name="make"/> is given where to report each worker it starts, which is this run's <paramref name="started"/>.</summary>
    public ITaskExecutor For(string key, Func<Action<int>, ITaskExecutor> make, Action<int> started)
    {
        Volatile.Write(ref _started, started);
        if (_current is { } current && current.Key == key) return current.Executor;
        _current?.Executor.End();
        _current = (key, new KeptExecutor(make(id => Volatile.Read(ref _started)(id))));
        return _current.Value.Executor;
    }

    public void Dispose() => _current?.Executor.End();
}
