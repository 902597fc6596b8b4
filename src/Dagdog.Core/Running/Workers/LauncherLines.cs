namespace Dagdog.Running;

/// <summary>
/// What the launcher a worker runs behind (<c>srun</c>) writes on the worker's standard error, told apart from the
/// task's output by its prefix (<see cref="WorkerLaunch.LauncherPrefix"/>): each line is heard (a job's id, a queued
/// job), and its last few errors are kept, which say why a worker behind it never started or was stopped.
/// </summary>
internal sealed class LauncherLines(WorkerLaunch launch, Action<string>? said)
{
    private const int ErrorsKept = 3;

    private readonly object _gate = new();
    private readonly Queue<string> _errors = new();

    /// <summary>Whether the line, which starts a line of the worker's standard error, is the launcher's; if so it is taken.</summary>
    public bool Take(string line)
    {
        if (launch.LauncherPrefix is not { } prefix || !line.StartsWith(prefix, StringComparison.Ordinal)) return false;
        if (line.Contains("error:", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                _errors.Enqueue(line.Trim());
                if (_errors.Count > ErrorsKept) _errors.Dequeue();
            }
        }
        said?.Invoke(line.Trim());
        return true;
    }

    /// <summary>The launcher's last errors, as one text (<c>srun: error: ... / srun: error: ...</c>); null when it wrote none.</summary>
    public string? Errors
    {
        get
        {
            lock (_gate) return _errors.Count > 0 ? string.Join(" / ", _errors.Distinct()) : null;
        }
    }
}
