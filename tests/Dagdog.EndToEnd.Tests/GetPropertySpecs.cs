using System.Text.Json;

namespace Dagdog.EndToEnd;

/// <summary>
/// -getProperty prints a property alone on standard output, with nothing Dagdog logs: DagGraph's picture and DagList's
/// JSON, for a script to read (what they hold is in Dagdog.Build.Tests' GraphSpecs and ListingSpecs, and the core's
/// DagPictureSpecs).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class GetPropertySpecs(SdkFeed feed)
{
    [Fact]
    public void DagGraph_and_DagListJson_print_alone_with_getProperty_and_run_nothing()
    {
        var project = feed.CreateProject("listing").DeclareListingPipeline();
        project.Build().Succeeded();

        var graph = project.Build("-t:DagGraph", "-p:DagFrom=Plot", "-getProperty:DagGraph");
        var list = project.Build("-t:DagList", "-getProperty:DagListJson");

        Assert.True(graph.ExitCode == 0, graph.ToString());
        Assert.Empty(graph.Ran);
        Assert.Equal(project.ReadFile("obj/dag/graph.mmd").Trim(), graph.Output.Trim());
        Assert.StartsWith("flowchart", graph.Output.Trim());
        Assert.Contains("  t2[\"2: Plot\"]:::upToDate\n", graph.Output);
        Assert.Contains("  style t2 stroke-width:4px\n", graph.Output);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Empty(list.Ran);
        var tasks = JsonDocument.Parse(list.Output).RootElement.GetProperty("tasks").EnumerateArray().ToArray();
        Assert.Equal(["Load", "Clean", "Plot", "Report"], tasks.Select(t => t.GetProperty("name").GetString()));
        Assert.All(tasks, t => Assert.True(t.GetProperty("upToDate").GetBoolean()));
    }
}
