namespace Dagdog.EndToEnd;

/// <summary>
/// dagdog's selections as real MSBuild command lines (every form and combination is in Dagdog.Build.Tests'
/// SelectionSpecs): the properties and the task targets reach the one Dag path, and a build runs one selection.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class SelectionSpecs(SdkFeed feed)
{
    [Fact]
    public void The_plain_command_lines_from_the_docs_run_what_they_say()
    {
        var project = feed.DagdogDemo();
        var target = project.Build("-t:Dag_Clean").Succeeded();
        Assert.Equal(["Load", "Clean"], target.Ran);
        Assert.Equal("+Clean", target.Report!.Selection);

        var downstream = project.Build("-p:DagMode=Downstream", "-p:DagFrom=Clean").Succeeded();
        var compact = project.Build("-p:Dag=(Load)+", "-p:DagDryRun=true").Succeeded();

        Assert.Equal(["Clean", "Report"], downstream.Ran);
        Assert.Equal("Clean+", downstream.Report!.Selection);
        Assert.Equal(["Clean", "Plot", "Report"], compact.WouldRun);
        Assert.Empty(compact.Ran);
    }

    [Fact]
    public void Two_task_targets_in_one_build_are_DAG034_after_the_first_ran()
    {
        var build = feed.DagdogDemo("two targets").Build("-t:Dag_Clean;Dag_Plot");

        Assert.Contains("The DAG already ran in this build (+Clean), so Dag_Plot would run nothing", build.FailedWith("DAG034"));
        Assert.Equal(["Load", "Clean"], build.Ran);
    }
}
