namespace Dagdog.EndToEnd;

/// <summary>Which tasks a build runs, in which order, and which it skips.</summary>
[Collection(EndToEndCollection.Name)]
public class RunningSpecs(SdkFeed feed)
{
    private DagProject Diamond() => feed.DagdogDemo("diamond");

    [Fact]
    public void A_plain_build_compiles_and_runs_every_task_in_dependency_order()
    {
        var build = Diamond().Build().Succeeded();

        Assert.Equal(["Load", "Clean", "Plot", "Report"], build.Ran);
    }

    [Fact]
    public void A_second_build_with_nothing_changed_runs_no_task_and_says_each_was_skipped()
    {
        var project = Diamond();
        project.Build().Succeeded();

        var second = project.Build("-v:n").Succeeded();

        Assert.Empty(second.Ran);
        foreach (var task in new[] { "Load", "Clean", "Plot", "Report" })
            Assert.Contains($"Skipping target \"_DagCheck_{task}\" because all output files are up-to-date", second.Output);
    }

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
    public void DagRun_false_only_compiles()
    {
        var project = Diamond();

        var build = project.Build("-p:DagRun=false").Succeeded();

        Assert.Empty(build.Ran);
        Assert.True(project.FileExists("bin/Debug/net10.0/Analysis.dll"));
    }

    [Fact]
    public void Each_task_reports_its_start_and_its_duration()
    {
        var build = Diamond().Build("-t:Dag_Load").Succeeded();

        Assert.Contains("Load", build.Started);
        Assert.Matches(@"Dag: Load finished in \d+\.\d\d s", build.Output);
    }
}
