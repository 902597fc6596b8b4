using Dagdog.Watching;

namespace Dagdog.Tests.Watching;

/// <summary>Changes that come together are one burst; a burst ends when the files are quiet.</summary>
public class SaveBurstsSpecs
{
    [Fact]
    public async Task Changes_close_together_are_one_burst_with_when_each_was_first_seen()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var bursts = new SaveBursts(TimeSpan.FromMilliseconds(100), time);
        bursts.Saw("/p/Fit.cs~");
        time.Advance(TimeSpan.FromMilliseconds(30));
        bursts.Saw("/p/Fit.cs");
        bursts.Saw("/p/Fit.cs");
        var next = bursts.Next(CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(100));

        var burst = await next.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["/p/Fit.cs", "/p/Fit.cs~"], burst.FirstSeen.Keys.Order());
        Assert.True(burst.FirstSeen["/p/Fit.cs~"] < burst.FirstSeen["/p/Fit.cs"]);
    }

    [Fact]
    public async Task A_burst_waits_until_the_files_are_quiet_and_later_changes_make_the_next_one()
    {
        // The spec's own clock: saves 50 ms apart against a 150 ms quiet window, whatever the machine's load.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var bursts = new SaveBursts(TimeSpan.FromMilliseconds(150), time);
        var first = bursts.Next(CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            bursts.Saw($"/p/{i}.csv");
            time.Advance(TimeSpan.FromMilliseconds(50));
        }
        await Task.Delay(50);
        Assert.False(first.IsCompleted, "The burst ended 50 ms after the last change.");

        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(5, (await first.WaitAsync(TimeSpan.FromSeconds(30))).FirstSeen.Count);

        bursts.Saw("/p/later.csv");
        var second = bursts.Next(CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(["/p/later.csv"], (await second.WaitAsync(TimeSpan.FromSeconds(30))).FirstSeen.Keys);
    }

    [Fact]
    public async Task Waiting_ends_when_the_watch_stops()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SaveBursts(TimeSpan.FromMilliseconds(10)).Next(stop.Token));
    }
}
