using System.Diagnostics;

namespace Dagdog.EndToEnd;

/// <summary>The terminal's Ctrl+C, to the whole process group as a terminal sends it, stops a task promptly, leaves it stale and loses no record (a Timeout, and Ctrl+C as MSBuild takes it, are in Dagdog.Build.Tests' InterruptSpecs).</summary>
[Collection(LongEndToEndCollection.Name)]
public class CtrlCSpecs(SdkFeed feed)
{
    [Fact]
    public void Ctrl_C_stops_an_endless_task_with_one_signal()
    {
        var project = feed.CreateProject("ctrlc").DeclareEndlessFit();
        using var build = project.Start();
        Assert.True(build.WaitForOutput("Fit: fitting forever", TimeSpan.FromMinutes(2)), build.Output);

        var clock = Stopwatch.StartNew();
        build.SignalGroup("INT");
        var result = project.Result(build.WaitForExit(TimeSpan.FromSeconds(30)));
        clock.Stop();

        // The task gets a second to see its token cancelled, then its worker is killed: about 2 s in all here, 2.7 s once with
        // the whole suite beside it. The bound leaves room for a loaded machine; a build that waited on the task never ends,
        // and the grace itself is the worker tier's spec (WorkerProcessSpecs.An_interrupt_stops_an_endless_task_within_about_a_second).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The build took {clock.Elapsed} to stop.\n{result}");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["Load", "Fit"], result.Ran);
        project.AssertFitStaysStale();
        // One way a build ends on Ctrl+C: the running task interrupted, the rest not run, a summary, a report; no "bug in Dagdog".
        Assert.Equal(["error DAG023"], result.Errors.Select(e => e[(e.IndexOf("error ", StringComparison.Ordinal))..][..12]).Distinct());
        Assert.Contains("Dag: 1 ran, 1 interrupted, 1 not run in", result.Output);
        Assert.Contains("Dag:   Report: not run: upstream Fit was interrupted", result.Output);
        Assert.Equal(new Dictionary<string, string> { ["Load"] = "ran", ["Fit"] = "interrupted", ["Report"] = "not-run" }, result.Statuses);
    }

    [Fact]
    public void Ctrl_C_in_a_family_interrupts_the_running_instance_and_the_rest_are_not_run()
    {
        var project = feed.CreateProject("ctrlc-family")
            .Declare("""
                <DagTask Include="Fit" ForEach="data/{species}.csv" />
                <DagTask Include="Report" DependsOn="Fit" />
                """)
            .WriteFile("data/adelie.csv", "a").WriteFile("data/chinstrap.csv", "c").WriteFile("data/gentoo.csv", "g")
            .WriteFile("Fit.cs", """
                public class Fit
                {
                    public void Run(string species)
                    {
                        File.AppendAllText("ran.txt", $"Fit[{species}]\n");
                        Console.WriteLine("fitting forever");
                        while (true) { }
                    }
                }
                """)
            .AddTasks("Report");
        using var build = project.Start();
        Assert.True(build.WaitForOutput("fitting forever", TimeSpan.FromMinutes(2)), build.Output);

        build.SignalGroup("INT");
        var result = project.Result(build.WaitForExit(TimeSpan.FromSeconds(30)));

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("DAG030", result.Output);
        Assert.Contains("Dag: 1 interrupted, 3 not run in", result.Output);
        var fit = result.Report!.Tasks.Single(t => t.Name == "Fit");
        Assert.Equal("interrupted", fit.Status);
        Assert.Equal(["interrupted", "not-run", "not-run"], fit.Instances!.Select(i => i.Status));
        Assert.Equal(("not-run", "upstream Fit was interrupted"), result.Report.Tasks.Where(t => t.Name == "Report").Select(t => (t.Status, t.Reason)).Single());
    }
}
