namespace Dagdog.Worker;

/// <summary>
/// How much could be running in the worker: its threads, the thread pool's queued work and the timers. When none of
/// them grew during a run, none of the task's code can run after Run() returned, so its outcome is known at once.
/// Anything else (a runtime thread that came and went, a pool thread added) only sends the run the slow way.
/// </summary>
internal readonly record struct TaskActivity(int Threads, long QueuedWork, long Timers)
{
    private const string LinuxThreads = "/proc/self/task";

    public static TaskActivity Now() => new(
        Directory.Exists(LinuxThreads) ? Directory.GetDirectories(LinuxThreads).Length : System.Diagnostics.Process.GetCurrentProcess().Threads.Count,
        ThreadPool.PendingWorkItemCount,
        Timer.ActiveCount);

    public bool IsQuietSince(TaskActivity before) =>
        Threads <= before.Threads && QueuedWork <= before.QueuedWork && Timers <= before.Timers;
}
