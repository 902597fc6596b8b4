using System.Collections.Concurrent;

namespace Dagdog.Build.Running;

/// <summary>
/// The worker processes of one build: a clean worker serves the next run; one that is not clean, or died, is replaced.
/// Starting a process costs about 50 ms, which 1,000 trivial tasks would feel; reuse is safe because a worker is only
/// handed out again when it proved that nothing of its last task is left (docs/design.md, "Running user code").
/// </summary>
internal sealed class WorkerPool(string projectDirectory) : IDisposable
{
    private static readonly string WorkerAssembly = Path.Combine(Path.GetDirectoryName(typeof(WorkerPool).Assembly.Location)!, "Dagdog.Worker.dll");

    private readonly ConcurrentBag<WorkerProcess> _idle = [];
    private readonly ConcurrentBag<WorkerProcess> _all = [];

    public WorkerProcess Rent()
    {
        while (_idle.TryTake(out var worker))
        {
            if (worker.Reusable) return worker;
        }
        var started = WorkerProcess.Start(WorkerAssembly, projectDirectory);
        _all.Add(started);
        return started;
    }

    public void Return(WorkerProcess worker)
    {
        if (worker.Reusable) _idle.Add(worker);
    }

    public void Dispose()
    {
        Parallel.ForEach(_all, worker => worker.Dispose());
    }
}
