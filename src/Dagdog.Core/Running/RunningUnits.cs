using System.Collections.Concurrent;

namespace Dagdog.Running;

/// <summary>
/// The runs in progress of a watch's cycle, each with what it reads and a way to stop it alone: a save that changes a
/// running task's code or inputs stops that run (nothing is recorded, its worker is discarded), and the next cycle runs
/// it again with what was saved. The tasks a save does not concern finish first.
/// </summary>
internal sealed class RunningUnits
{
    private readonly ConcurrentDictionary<string, Entry> _running = new(TaskNames.Comparer);
    private readonly ConcurrentDictionary<string, string> _restarted = new(TaskNames.Comparer);

    /// <param name="Task">The task, or the family an instance is of.</param>
    /// <param name="Inputs">The files it reads, full paths.</param>
    private sealed record Entry(string Task, IReadOnlyList<string> Inputs, CancellationTokenSource Stop, IRunEvents Events);

    /// <summary>A run starts: the token it gets stops on Ctrl+C, or when <see cref="Restart"/> picks it.</summary>
    public CancellationToken Enter(string name, string task, IReadOnlyList<string> inputs, IRunEvents events, CancellationToken interrupt)
    {
        var entry = new Entry(task, inputs, CancellationTokenSource.CreateLinkedTokenSource(interrupt), events);
        _running[name] = entry;
        return entry.Stop.Token;
    }

    /// <summary>The run is over; true when it was stopped by <see cref="Restart"/> (then it records nothing).</summary>
    public bool Leave(string name)
    {
        if (_running.TryRemove(name, out var entry)) entry.Stop.Dispose();
        return _restarted.TryRemove(name, out _);
    }

    /// <summary>True while any run is in progress.</summary>
    public bool Any => !_running.IsEmpty;

    /// <summary>The tasks running now (a family once, for any of its instances).</summary>
    public IReadOnlyCollection<string> Tasks => _running.Values.Select(entry => entry.Task).ToHashSet(TaskNames.Comparer);

    /// <summary>Shows a line about the runs in progress, while there are any.</summary>
    public void Say(string line) => _running.Values.FirstOrDefault()?.Events.Note(line);

    /// <summary>
    /// Stops the runs that read one of <paramref name="savedFiles"/> (full paths) or are of one of <paramref name="changedTasks"/>,
    /// saying so with <paramref name="what"/> (<c>Spin.cs saved</c>); returns their names.
    /// </summary>
    public IReadOnlyList<string> Restart(string what, IReadOnlySet<string> savedFiles, IReadOnlySet<string> changedTasks)
    {
        var stopped = new List<string>();
        foreach (var (name, entry) in _running)
        {
            if (!changedTasks.Contains(entry.Task) && !entry.Inputs.Any(savedFiles.Contains)) continue;
            if (!_restarted.TryAdd(name, what)) continue;
            entry.Events.Note($"Dag: {what} while {name} runs: restarting it");
            entry.Stop.Cancel();
            stopped.Add(name);
        }
        return stopped;
    }
}
