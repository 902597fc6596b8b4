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
    public void DagRun_false_only_compiles()
    {
        var project = Diamond();

        var build = project.Build("-p:DagRun=false").Succeeded();

        Assert.Empty(build.Ran);
        Assert.True(project.FileExists("bin/Debug/net10.0/Analysis.dll"));
    }

}
