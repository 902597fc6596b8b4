using Dagdog.Running;

namespace Dagdog.Tests.Running;

public class DeadlineSpecs
{
    [Fact]
    public async Task A_deadline_longer_than_a_timer_can_wait_is_waited_for_and_ends_with_its_token()
    {
        using var cancellation = new CancellationTokenSource();

        var sixtyDays = Deadline.After(TimeSpan.FromDays(60), cancellation.Token);
        await Task.Delay(50);

        Assert.False(sixtyDays.IsCompleted);
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sixtyDays);
    }

    [Fact]
    public async Task A_short_deadline_passes() => await Deadline.After(TimeSpan.FromMilliseconds(20), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
}
