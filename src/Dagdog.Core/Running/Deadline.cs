namespace Dagdog.Running;

/// <summary>Waits for a task's Timeout, however long it is: a timer alone waits at most 2^32 - 2 ms, about 49.7 days.</summary>
internal static class Deadline
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Completes when <paramref name="delay"/> has passed; cancelled with <paramref name="cancellation"/>.</summary>
    public static async Task After(TimeSpan delay, CancellationToken cancellation)
    {
        for (; delay > LongestWait; delay -= LongestWait) await Task.Delay(LongestWait, cancellation).ConfigureAwait(false);
        await Task.Delay(delay, cancellation).ConfigureAwait(false);
    }
}
