using System.Diagnostics;

namespace Dagdog.Watching;

/// <summary>Files that changed together, with when each was first seen (<see cref="TimeProvider.GetTimestamp"/>: <see cref="Stopwatch"/> ticks on the system's clock).</summary>
internal sealed record Burst(IReadOnlyDictionary<string, long> FirstSeen);

/// <summary>
/// Gathers the changes the file system reports into bursts: an editor's save is several events (a temporary file
/// written, renamed over the old one, its time set), and a formatter or a checkout touches many files at once. A burst
/// ends when no change came for <paramref name="quiet"/>; changes that come while a cycle runs make the next burst.
/// </summary>
/// <param name="time">The clock (the system's; a spec's own, which it moves by hand).</param>
internal sealed class SaveBursts(TimeSpan quiet, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly object _gate = new();
    private readonly SemaphoreSlim _changed = new(0);
    private Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private long _last;

    /// <summary>A file changed (any thread).</summary>
    public void Saw(string fullPath)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _pending.TryAdd(fullPath, now);
            _last = now;
        }
        _changed.Release();
    }

    /// <summary>Gives back a burst taken while a cycle ran (to stop the runs it changed): the next burst holds its changes too.</summary>
    public void GiveBack(Burst burst)
    {
        lock (_gate)
        {
            foreach (var (path, seen) in burst.FirstSeen) _pending[path] = Math.Min(seen, _pending.GetValueOrDefault(path, long.MaxValue));
        }
        _changed.Release();
    }

    /// <summary>The next burst, once it is over; throws when <paramref name="stop"/> is cancelled.</summary>
    public async Task<Burst> Next(CancellationToken stop)
    {
        while (true)
        {
            await _changed.WaitAsync(stop).ConfigureAwait(false);
            TimeSpan wait;
            lock (_gate)
            {
                wait = quiet - _time.GetElapsedTime(_last);
                if (wait <= TimeSpan.Zero && _pending.Count > 0)
                {
                    var burst = new Burst(_pending);
                    _pending = new(StringComparer.Ordinal);
                    while (_changed.CurrentCount > 0) _changed.Wait(0);
                    return burst;
                }
            }
            // Not quiet yet: look again when it may be, or at the next change.
            if (wait > TimeSpan.Zero) _ = Task.Delay(wait, _time, stop).ContinueWith(_ => _changed.Release(), TaskScheduler.Default);
        }
    }
}
