namespace Dagdog.EndToEnd;

/// <summary>The demo analysis on a real two-node Slurm test cluster, through a real dotnet build with -p:DagExecutor=slurm.</summary>
[Collection(EndToEndCollection.Name)]
public class SlurmSpecs(SdkFeed feed, SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    [Fact]
    public void The_demo_runs_on_the_cluster_with_the_same_results_as_locally()
    {
        cluster.EnsureUp();
        var local = feed.CopyProject("demo", "demo-local", "nuget.config");
        var onCluster = feed.CopyProject("demo", "demo-slurm", "nuget.config");

        var slurm = onCluster.Result(Dotnet.Run(onCluster.Directory, ["build", "-nologo", "-p:DagExecutor=slurm"]));
        Assert.True(slurm.ExitCode == 0, slurm.ToString());
        Assert.True(Dotnet.Run(local.Directory, ["build", "-nologo"]).ExitCode == 0);

        Assert.Equal(8, slurm.Started.Count);
        foreach (var output in new[] { "out/summary.csv", "out/fit/Adelie.json", "out/fit/Gentoo.json", "out/report.md" })
            Assert.Equal(local.ReadFile(output), onCluster.ReadFile(output));
        Assert.True(cluster.QueueEmpties(TimeSpan.FromSeconds(10)), $"Jobs left in the queue: {string.Join(", ", cluster.QueuedJobs())}");
        Assert.Empty(onCluster.Result(Dotnet.Run(onCluster.Directory, ["build", "-nologo", "-p:DagExecutor=slurm"])).Started);
    }
}
