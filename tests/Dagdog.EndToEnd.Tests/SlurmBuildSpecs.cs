using System.Diagnostics;

namespace Dagdog.EndToEnd;

/// <summary>The demo analysis on a real two-node Slurm test cluster, through a real dotnet build with -p:DagExecutor=slurm.</summary>
[Collection(LongEndToEndCollection.Name)]
public class SlurmBuildSpecs(SdkFeed feed, SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    [Fact]
    public void A_build_killed_with_kill_9_leaves_no_job_running_for_long()
    {
        cluster.EnsureUp();
        var project = feed.CreateProject("killed").Declare("""<DagTask Include="Slow" />""").AddTask("Slow", """Console.WriteLine("working"); Thread.Sleep(120_000);""");
        using var build = project.Start("-p:DagExecutor=slurm");
        Assert.True(build.WaitForOutput("Slow: working", TimeSpan.FromMinutes(2)), build.Output);

        // Only the build's own process: srun lives on, and its worker's input closes.
        Process.GetProcessById(build.Id).Kill();

        Assert.True(cluster.QueueEmpties(TimeSpan.FromSeconds(15)), $"Jobs left after the build was killed: {string.Join(", ", cluster.QueuedJobs())}");
    }

    [Fact]
    public void Ctrl_C_with_a_job_queued_interrupts_the_running_tasks_stops_the_queued_one_and_empties_the_queue()
    {
        cluster.EnsureUp();
        var project = feed.CreateProject("ctrlc-queued")
            .Declare("""
                <DagTask Include="A" />
                <DagTask Include="B" />
                <DagTask Include="C" />
                """)
            .AddTask("A", "Thread.Sleep(120_000);").AddTask("B", "Thread.Sleep(120_000);").AddTask("C", "Thread.Sleep(120_000);");
        // Two nodes of one CPU: the third job waits in the queue when Ctrl+C reaches the build, and srun, and the workers.
        using var build = project.Start("-p:DagExecutor=slurm", "-p:DagJobs=3");
        Assert.True(build.WaitForOutput(" queued (Slurm job ", TimeSpan.FromMinutes(2)), build.Output);
        Assert.True(SpinWait.SpinUntil(() => project.Ran.Count == 2, TimeSpan.FromSeconds(30)), build.Output);
        var queued = Assert.Single(new[] { "A", "B", "C" }.Except(project.Ran));

        build.SignalGroup("INT");
        var result = project.Result(build.WaitForExit(TimeSpan.FromSeconds(30)));

        Assert.True(result.ExitCode == 1 && !result.Output.Contains("DAG030") && !result.Output.Contains("DAG021"), result.ToString());
        Assert.All(result.Report!.Tasks.Where(t => t.Name != queued), running => Assert.Equal("interrupted", running.Status));
        // The queued task never started, unless the terminal's Ctrl+C, which srun hears as soon as the build does, ended a
        // running step and Slurm gave its node to the queued job before MSBuild cancelled the build: then it started and was
        // interrupted like the others (seen once in a dozen runs). The Build tier's spec, whose Ctrl+C reaches the build
        // alone, sees the not-run case every time.
        var waiting = result.Reported(queued);
        Assert.True(waiting is { Status: "not-run", Reason: "interrupted before its Slurm job started" } or { Status: "interrupted" }, result.ToString());
        Assert.True(cluster.QueueEmpties(TimeSpan.FromSeconds(10)), $"Jobs left after Ctrl+C: {string.Join(", ", cluster.QueuedJobs())}");
    }

    [Fact]
    public void The_demo_runs_on_the_cluster_and_then_is_up_to_date()
    {
        cluster.EnsureUp();
        var project = feed.CopyProject("demo", "demo-slurm", "nuget.config");

        var slurm = project.Result(Dotnet.Run(project.Directory, ["build", "-nologo", "-p:DagExecutor=slurm"]));

        Assert.True(slurm.ExitCode == 0, slurm.ToString());
        Assert.Equal(8, slurm.RanByReport.Count);
        // The results themselves are checked against a closed form by DemoSpecs; here, that every species made it through.
        foreach (var species in new[] { "Adelie", "Chinstrap", "Gentoo" })
        {
            Assert.Contains($"\"Species\": \"{species}\"", project.ReadFile($"out/fit/{species}.json"));
            Assert.Contains($"| {species} |", project.ReadFile("out/report.md"));
        }
        Assert.True(cluster.QueueEmpties(TimeSpan.FromSeconds(10)), $"Jobs left in the queue: {string.Join(", ", cluster.QueuedJobs())}");
        // The demo's Fit is a family, whose turn is always taken: a no-op writes a report too.
        var again = project.Result(Dotnet.Run(project.Directory, ["build", "-nologo", "-p:DagExecutor=slurm"])).Succeeded();
        Assert.Empty(again.RanByReport);
        Assert.All(again.Report!.Tasks, task => Assert.Equal("up-to-date", task.Status));
    }
}
