namespace Dagdog.Build.Tests;

/// <summary>Which tasks a build runs, in which order, and which it skips.</summary>
public class RunningSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private BuildProject Diamond() => projects.CreateProject("diamond").DeclareDagdogDemo();

    [Fact]
    public void A_task_target_runs_its_stale_upstream_first_and_nothing_else()
    {
        var build = Diamond().Build("-t:Dag_Clean").Succeeded();

        Assert.Equal(["Load", "Clean"], build.Ran);
    }

    [Fact]
    public void A_task_target_skips_upstream_that_is_up_to_date()
    {
        var project = Diamond();
        project.Build("-t:Dag_Clean").Succeeded();

        var report = project.Build("-t:Dag_Report").Succeeded();

        Assert.Equal(["Plot", "Report"], report.Ran);
    }

    [Fact]
    public void The_Dag_target_runs_every_stale_task()
    {
        var project = Diamond();
        project.Build("-t:Dag_Plot").Succeeded();

        var all = project.Build("-t:Dag").Succeeded();

        Assert.Equal(["Clean", "Report"], all.Ran);
    }

    [Fact]
    public void Each_task_reports_its_start_and_its_duration()
    {
        var build = Diamond().Build("-t:Dag_Load").Succeeded();

        Assert.Contains("Load", build.Started);
        Assert.Matches(@"Dag: Load finished in \d+\.\d\d s", build.Output);
    }

    [Fact]
    public void A_plain_build_runs_every_task_in_order_then_MSBuild_skips_them_all_and_DagRun_false_only_compiles()
    {
        var project = projects.CreateProject("diamond").DeclareDagdogDemo();

        var first = project.Build().Succeeded();
        var second = project.Build("-v:n").Succeeded();
        project.AddTask("Report", """Console.WriteLine("edited");""");
        var compileOnly = project.Build("-p:DagRun=false").Succeeded();

        Assert.Equal(["Load", "Clean", "Plot", "Report"], first.Ran);
        Assert.Equal(["ran", "ran", "ran", "ran"], first.Report!.Tasks.Select(t => t.Status));
        Assert.Empty(second.Ran);
        foreach (var task in new[] { "Load", "Clean", "Plot", "Report" })
            Assert.Contains($"Skipping target \"_DagCheck_{task}\" because all output files are up-to-date", second.Output);
        Assert.Empty(compileOnly.Ran);
        Assert.True(File.GetLastWriteTimeUtc(project.PathOf("bin/Debug/net10.0/Analysis.dll")) > first.Report.FinishedUtc);
    }
}
