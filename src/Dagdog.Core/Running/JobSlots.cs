namespace Dagdog.Running;

/// <summary>
/// The build's jobs (<c>DagJobs</c>), shared by the scheduler, which takes a task's weight before its turn, and a
/// family's turn, which takes each instance's weight before it runs. First come, first served: once someone waits,
/// nobody passes them, so a heavy task is not starved by light ones.
/// </summary>
internal sealed class JobSlots(int jobs)
{
    private readonly object _gate = new();
    private readonly Queue<(int Weight, TaskCompletionSource Taken)> _waiting = new();
    private int _free = Math.Max(1, jobs);
    private TaskCompletionSource _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Jobs { get; } = Math.Max(1, jobs);

    /// <summary>A weight as the slots count it: at least 1, at most every job.</summary>
    public int Fit(int weight) => Math.Clamp(weight, 1, Jobs);

    /// <summary>Takes the slots now if they are free and nobody waits for them; false otherwise.</summary>
    public bool TryTake(int weight)
    {
        weight = Fit(weight);
        lock (_gate)
        {
            if (_waiting.Count > 0 || _free < weight) return false;
            _free -= weight;
            return true;
        }
    }

    /// <summary>Takes the slots, waiting in turn until they are free.</summary>
    public Task Take(int weight)
    {
        weight = Fit(weight);
        lock (_gate)
        {
            if (_waiting.Count == 0 && _free >= weight)
            {
                _free -= weight;
                return Task.CompletedTask;
            }
            var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue((weight, taken));
            return taken.Task;
        }
    }

    public void Return(int weight)
    {
        weight = Fit(weight);
        TaskCompletionSource returned;
        lock (_gate)
        {
            _free += weight;
            while (_waiting.TryPeek(out var next) && next.Weight <= _free)
            {
                _waiting.Dequeue();
                _free -= next.Weight;
                next.Taken.SetResult();
            }
            (returned, _returned) = (_returned, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        returned.SetResult();
    }

    /// <summary>Completes at the next <see cref="Return"/>: the scheduler waits on it for a task held back.</summary>
    public Task Returned
    {
        get
        {
            lock (_gate) return _returned.Task;
        }
    }
}
