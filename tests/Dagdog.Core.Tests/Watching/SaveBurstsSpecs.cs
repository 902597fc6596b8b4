using Dagdog.Watching;

namespace Dagdog.Tests.Watching;

/// <summary>Changes that come together are one burst; a burst ends when the files are quiet.</summary>
public class SaveBurstsSpecs
{
    [Fact]
    public async Task Changes_close_together_are_one_burst_with_when_each_was_first_seen()
    {
        var bursts = new SaveBursts(TimeSpan.FromMilliseconds(100));
        bursts.Saw("/p/Fit.cs~");
        await Task.Delay(30);
        bursts.Saw("/p/Fit.cs");
        bursts.Saw("/p/Fit.cs");

        var burst = await bursts.Next(CancellationToken.None);

        Assert.Equal(["/p/Fit.cs", "/p/Fit.cs~"], burst.FirstSeen.Keys.Order());
        Assert.True(burst.FirstSeen["/p/Fit.cs~"] < burst.FirstSeen["/p/Fit.cs"]);
    }

    [Fact]
    public async Task A_burst_waits_until_the_files_are_quiet_and_later_changes_make_the_next_one()
    {
        var bursts = new SaveBursts(TimeSpan.FromMilliseconds(150));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var feeding = Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                bursts.Saw($"/p/{i}.csv");
                await Task.Delay(50);
            }
        });

        var first = await bursts.Next(CancellationToken.None);
        await feeding;
        bursts.Saw("/p/later.csv");
        var second = await bursts.Next(CancellationToken.None);

        Assert.Equal(5, first.FirstSeen.Count);
        Assert.True(clock.ElapsedMilliseconds >= 350, $"the burst ended after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(["/p/later.csv"], second.FirstSeen.Keys);
    }

    [Fact]
    public async Task Waiting_ends_when_the_watch_stops()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SaveBursts(TimeSpan.FromMilliseconds(10)).Next(stop.Token));
    }
}
