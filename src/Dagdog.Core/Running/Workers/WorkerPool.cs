namespace Dagdog.Running;

/// <summary>
/// The local worker processes of one build (<see cref="ITaskExecutor"/>). After each run a worker proves that nothing of
/// the task is left in it; only then does it serve another run, and one that is not clean, or died, is replaced.
/// Starting a process costs about 50 ms, which 1,000 trivial tasks would feel (docs/design.md, "Running user code").
/// </summary>
/// <param name="startFolder">The folder its workers start in (each run moves to its project's folder).</param>
/// <param name="started">Hears the process id of each worker started.</param>
/// <param name="idleLimit">How long an idle worker is kept; null keeps it until the pool ends.</param>
internal sealed class WorkerPool(string startFolder, Action<int> started, TimeSpan? idleLimit = null) : ITaskExecutor
{
    /// <summary>Shipped beside Dagdog's own assemblies (tasks/net10.0/ in the package).</summary>
    public static readonly string WorkerAssembly = Path.Combine(Path.GetDirectoryName(typeof(WorkerPool).Assembly.Location)!, "Dagdog.Worker.dll");

    // Local workers are all alike: one shape.
    private static readonly object AnyWorker = new();

    private readonly WorkerShelf _workers = new(idleLimit);
    // How many workers the last Warm wanted ready.
    private int _wanted;

    /// <summary>The workers held: started and not yet let go.</summary>
    internal int Held => _workers.Count;

    /// <summary>
    /// Starts workers now, up to <paramref name="count"/> that can still serve a run: their runtimes start while the
    /// build decides what the first tasks need (and, in a watch, while it waits for the next save).
    /// </summary>
    public void Warm(int count)
    {
        _wanted = count;
        for (var i = _workers.Reusable; i < count; i++) _workers.AddIdle(AnyWorker, Start());
    }

    public void Refill() => Warm(_wanted);

    public async Task<Execution> Run(RunRequest request, RunNeeds needs, Action<LinePiece> output, Action<string> waiting, Action<string> endedAfterwards,
        CancellationToken interrupt)
    {
        var worker = await _workers.Rent(AnyWorker).ConfigureAwait(false);
        if (worker is null)
        {
            worker = Start();
            _workers.Add(worker);
        }
        return await _workers.RunOn(AnyWorker, worker, request, needs, output, endedAfterwards, interrupt).ConfigureAwait(false);
    }

    private WorkerProcess Start()
    {
        var worker = WorkerProcess.Start(WorkerLaunch.Local(WorkerAssembly), startFolder);
        started(worker.Id);
        return worker;
    }

    public void Settle() => _workers.Settle();

    public void Dispose() => _workers.Dispose();
}
