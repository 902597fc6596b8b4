namespace Dagdog.Running;

/// <summary>
/// The executor a watch keeps between its runs, so that a run finds its workers started, with the framework code its
/// tasks use already compiled (each run still gets a fresh load context, and a worker still proves itself clean after
/// each). Made again only when the project asks for another kind (<c>DagExecutor</c> and its settings, as the key of
/// <see cref="For"/> says); the watch ends it.
/// </summary>
internal sealed class KeptExecutors : IDisposable
{
    private (string Key, ITaskExecutor Executor)? _current;
    private Action<int> _started = _ => { };

    /// <summary>The executor for this run; <paramref name="make"/> is given where to report each worker it starts, which is this run's <paramref name="started"/>.</summary>
    public ITaskExecutor For(string key, Func<Action<int>, ITaskExecutor> make, Action<int> started)
    {
        Volatile.Write(ref _started, started);
        if (_current is { } current && current.Key == key) return current.Executor;
        _current?.Executor.Dispose();
        _current = (key, make(id => Volatile.Read(ref _started)(id)));
        return _current.Value.Executor;
    }

    /// <summary>
    /// After a run: starts workers in place of those that ended, so that the next run finds them started. Their starts
    /// are reported to no run: the one that ended has stopped listening.
    /// </summary>
    public void Refill()
    {
        Volatile.Write(ref _started, _ => { });
        _current?.Executor.Refill();
    }

    /// <summary>After a run that is not followed by a refill (a build's, <see cref="NodeWorkers"/>): its starts are reported to no run.</summary>
    public void Rest() => Volatile.Write(ref _started, _ => { });

    public void Dispose() => _current?.Executor.Dispose();
}
