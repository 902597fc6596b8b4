namespace Dagdog.Running;

/// <summary>How a task's Run() ended, where it ran.</summary>
internal abstract record Execution
{
    /// <summary>The worker that ran it (its process id).</summary>
    public int Worker { get; init; }

    /// <summary>Run() returned (<see cref="RunResult.Error"/> null) or threw, and the worker said so.</summary>
    public sealed record Finished(RunResult Result) : Execution;

    /// <summary>The worker process ended without finishing the run, or a thread the task left crashed it afterwards.</summary>
    public sealed record Died(string How, bool AfterRunReturned) : Execution;

    public sealed record TimedOut(TimeSpan Limit) : Execution;

    /// <summary>Stopped by Ctrl+C; <paramref name="Started"/> false when Run() had not started yet (its Slurm job was still queued).</summary>
    public sealed record Interrupted(bool Started = true) : Execution;
}

/// <summary>
/// Where tasks' Run() methods run: local worker processes (<see cref="WorkerPool"/>), or job steps on a Slurm cluster
/// (<see cref="SlurmPool"/>). One run at a time per worker; what a task writes reaches <c>output</c> as it comes.
/// Whoever makes an executor ends it (<see cref="IDisposable.Dispose"/>); a run only settles it.
/// </summary>
internal interface ITaskExecutor : IDisposable
{
    /// <summary>Starts workers ahead of the first runs, up to <paramref name="workers"/> in all, so that their runtimes start while the build decides.</summary>
    void Warm(int workers);

    /// <summary>
    /// Starts workers in place of those that ended, up to the last <see cref="Warm"/>'s count: an executor kept between
    /// runs (a watch's) is refilled after each, so that the next run finds its workers started.
    /// </summary>
    void Refill();

    /// <summary>
    /// Runs one task. <paramref name="waiting"/> hears why it has not started yet, when it waits for the executor
    /// (<c>Slurm job 1234: Resources</c>); <paramref name="endedAfterwards"/> hears if something the task left behind
    /// took its worker down after its outcome was given (before <see cref="Settle"/> returns).
    /// </summary>
    Task<Execution> Run(RunRequest request, RunNeeds needs, Action<LinePiece> output, Action<string> waiting, Action<string> endedAfterwards,
        CancellationToken interrupt);

    /// <summary>
    /// What the end of a run does: waits until what the workers said about its runs has been heard, and lets go the
    /// workers that can serve no more. Those that can serve again are kept, for the executor's next run if it has one.
    /// </summary>
    void Settle();
}

/// <summary>What a task's run asks of where it runs (its <c>Timeout</c>, <c>Jobs</c> and <c>Memory</c> metadata).</summary>
/// <param name="Cores">The cores it takes (<c>Jobs</c>).</param>
/// <param name="MemoryMegabytes">The memory it needs, in megabytes; null when not said.</param>
internal sealed record RunNeeds(TimeSpan? Timeout, int Cores = 1, long? MemoryMegabytes = null);
