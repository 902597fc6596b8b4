using Dagdog.Graph;

namespace Dagdog.Running;

/// <summary>
/// The runs of a watch's cycle, each with what it reads and a way to stop it alone, and what was saved since the cycle
/// began: a save that changes a task's code or inputs stops its run if it is running (nothing is recorded, its worker is
/// discarded), and keeps it from starting in this cycle if it is not running yet; the next cycle runs it with what was
/// saved. The runs a save does not concern finish.
/// </summary>
internal sealed class RunningUnits
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _running = new(TaskNames.Comparer);
    private readonly HashSet<string> _restarted = new(TaskNames.Comparer);
    private readonly HashSet<string> _savedFiles = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedTasks = new(TaskNames.Comparer);

    /// <param name="Task">The task, or the family an instance is of.</param>
    /// <param name="Inputs">The files it reads, full paths.</param>
    private sealed record Entry(string Task, IReadOnlyList<string> Inputs, CancellationTokenSource Stop, IRunEvents Events);

    /// <summary>
    /// A run starts: the token it gets stops on Ctrl+C, or when <see cref="Restart"/> picks it. Null when a save already
    /// changed its code or inputs during this cycle: it must not start with what it would now read.
    /// </summary>
    public CancellationToken? Enter(string name, string task, IReadOnlyList<string> inputs, IRunEvents events, CancellationToken interrupt)
    {
        lock (_gate)
        {
            if (Concerns(task, inputs))
            {
                _restarted.Add(name);
                return null;
            }
            var entry = new Entry(task, inputs, CancellationTokenSource.CreateLinkedTokenSource(interrupt), events);
            _running[name] = entry;
            return entry.Stop.Token;
        }
    }

    /// <summary>The run is over; true when a save stopped it, or kept it from starting (then it records nothing).</summary>
    public bool Leave(string name)
    {
        lock (_gate)
        {
            if (_running.Remove(name, out var entry)) entry.Stop.Dispose();
            return _restarted.Remove(name);
        }
    }

    /// <summary>
    /// A save during the cycle: <paramref name="savedFiles"/> (full paths) and the tasks whose code it changed. The runs
    /// it concerns are stopped, and said so with <paramref name="what"/> (<c>Spin.cs saved</c>); returns their names.
    /// </summary>
    public IReadOnlyList<string> Restart(string what, IEnumerable<string> savedFiles, IEnumerable<string> changedTasks)
    {
        List<(string Name, Entry Entry)> stopped;
        lock (_gate)
        {
            _savedFiles.UnionWith(savedFiles);
            _changedTasks.UnionWith(changedTasks);
            stopped = _running.Where(run => !_restarted.Contains(run.Key) && Concerns(run.Value.Task, run.Value.Inputs)).Select(run => (run.Key, run.Value)).ToList();
            foreach (var (name, entry) in stopped)
            {
                _restarted.Add(name);
                entry.Stop.Cancel();
            }
        }
        foreach (var (name, entry) in stopped) Say(entry.Events, $"Dag: {what} while {name} runs: restarting it");
        return stopped.Select(run => run.Name).ToList();
    }

    /// <summary>Shows a line about the runs in progress, while there are any.</summary>
    public void Say(string line)
    {
        IRunEvents? events;
        lock (_gate) events = _running.Values.FirstOrDefault()?.Events;
        if (events is not null) Say(events, line);
    }

    private bool Concerns(string task, IReadOnlyList<string> inputs) => _changedTasks.Contains(task) || inputs.Any(_savedFiles.Contains);

    private static void Say(IRunEvents events, string line)
    {
        try
        {
            events.Note(line);
        }
        catch (InvalidOperationException)
        {
            // The run's output has closed: the run is over, and its summary says how.
        }
    }
}
