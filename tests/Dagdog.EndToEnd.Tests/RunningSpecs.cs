namespace Dagdog.EndToEnd;

/// <summary>A plain 'dotnet build' compiles and runs the DAG, MSBuild's own check skips what is up to date, and DagRun=false only compiles.</summary>
[Collection(EndToEndCollection.Name)]
public class RunningSpecs(SdkFeed feed)
{
    [Fact]
    public void A_plain_build_runs_every_task_in_order_then_MSBuild_skips_them_all_and_DagRun_false_only_compiles()
    {
        var project = feed.DagdogDemo("diamond");

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
