namespace Dagdog.EndToEnd;

/// <summary>
/// dagdog's selections as real MSBuild command lines (every form and combination is in Dagdog.Build.Tests'
/// SelectionSpecs): the properties and the task targets, as a shell passes them, reach the one Dag path.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class CommandLineSelectionSpecs(SdkFeed feed)
{
    [Fact]
    public void The_plain_command_lines_from_the_docs_run_what_they_say()
    {
        var project = feed.CreateProject("dagdog-demo").DeclareDagdogDemo();
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
}
