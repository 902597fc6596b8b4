using System.Collections;
using Dagdog.Running;

namespace Dagdog.Tests;

/// <summary>
/// The workers a long-lived build process keeps between builds (<see cref="NodeWorkers"/>): the next build runs its
/// tasks in them, builds at once never share one, a build stopped by Ctrl+C ends its own, and a build with another
/// environment never gets one started with the old.
/// </summary>
[Collection(nameof(NodeSpecs))]
public sealed class NodeWorkersSpecs : IDisposable
{
    private readonly TaskProject _project = new(("Clean.cs", "public class Clean { public void Run() { } }"));
    private readonly NodeWorkers _node = new();
    private readonly List<int> _started = [];

    private NodeWorkers.Lease Take() => _node.Take(id =>
    {
        lock (_started) _started.Add(id);
    });

    private async Task<int> Run(NodeWorkers.Lease lease)
    {
        var execution = await lease.Workers.Run(new RunRequest(_project.Assembly, "Clean", _project.Directory), new RunNeeds(null),
            _ => { }, _ => { }, _ => { }, CancellationToken.None);
        Assert.Null(Assert.IsType<Execution.Finished>(execution).Result.Error);
        lease.Workers.Settle();
        return execution.Worker;
    }

    [Fact]
    public async Task The_next_build_runs_in_the_worker_the_build_before_gave_back()
    {
        var first = Take();
        var worker = await Run(first);
        first.GiveBack(keep: true);

        var second = Take();
        Assert.Equal(worker, await Run(second));
        second.GiveBack(keep: true);

        Assert.Equal([worker], _started);
    }

    [Fact]
    public async Task Builds_at_once_each_take_workers_of_their_own()
    {
        var one = Take();
        var other = Take();

        Assert.NotEqual(await Run(one), await Run(other));
        one.GiveBack(keep: true);
        other.GiveBack(keep: true);
        Assert.Equal(2, _started.Count);
    }

    [Fact]
    public async Task After_Ctrl_C_a_build_s_workers_end_and_the_next_build_starts_its_own()
    {
        var stopped = Take();
        var worker = await Run(stopped);
        stopped.GiveBack(keep: false);

        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(worker));
        var next = Take();
        Assert.NotEqual(worker, await Run(next));
        next.GiveBack(keep: true);
    }

    [Fact]
    public void Workers_are_kept_for_one_environment_whatever_the_order_of_its_variables()
    {
        var environment = new Hashtable { ["PATH"] = "/usr/bin", ["DATA"] = "a" };

        Assert.Equal(NodeWorkers.KeyFor(environment), NodeWorkers.KeyFor(new Hashtable { ["DATA"] = "a", ["PATH"] = "/usr/bin" }));
        Assert.NotEqual(NodeWorkers.KeyFor(environment), NodeWorkers.KeyFor(new Hashtable { ["PATH"] = "/usr/bin", ["DATA"] = "b" }));
        Assert.NotEqual(NodeWorkers.KeyFor(environment), NodeWorkers.KeyFor(new Hashtable { ["PATH"] = "/usr/bin", ["DATA"] = "a", ["MORE"] = "" }));
    }

    public void Dispose()
    {
        _node.Dispose();
        _project.Dispose();
    }
}
