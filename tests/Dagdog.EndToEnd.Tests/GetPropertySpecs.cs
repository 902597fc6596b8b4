using System.Text.Json;

namespace Dagdog.EndToEnd;

/// <summary>
/// -getProperty prints a property alone on standard output, with nothing Dagdog logs: DagGraph's picture (Mermaid by
/// default, coloured by status) and DagList's JSON, for a script to read (what they hold is in Dagdog.Build.Tests'
/// GraphSpecs and ListingSpecs, and the core's DagPictureSpecs).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class GetPropertySpecs(SdkFeed feed)
{
    [Fact]
    public void Mermaid_by_default_colours_each_task_by_status_highlights_the_selection_and_prints_alone_with_getProperty()
    {
        var project = feed.CreateProject("graph").BuildToEveryStatus();

        var build = project.Build("-t:DagGraph", "-p:DagFrom=Fit", "-getProperty:DagGraph");

        Assert.Equal(0, build.ExitCode);
        Assert.Empty(build.Ran);
        var graph = project.ReadFile("obj/dag/graph.mmd");
        Assert.Equal(graph.Trim(), build.Output.Trim());
        Assert.Contains("  t0[\"0: Load\"]:::willRun\n  t1[\"1: Clean\"]:::willRun\n  t2[\"2: Fit\"]:::failed\n  t3[\"3: Plot\"]:::neverRan\n", graph);
        Assert.Contains("  t0 --> t1\n  t1 --> t2\n  t1 --> t3\n", graph);
        Assert.Contains("  style t0 stroke-width:4px\n  style t1 stroke-width:4px\n  style t2 stroke-width:4px\n  subgraph legend", graph);
    }

    private DagProject Pipeline() => feed.CreateProject("listing").DeclareListingPipeline();

    private static JsonElement[] ListJson(DagProject project)
    {
        var build = project.Build("-t:DagList", "-getProperty:DagListJson");
        Assert.True(build.ExitCode == 0, build.ToString());
        return JsonDocument.Parse(build.Output).RootElement.GetProperty("tasks").EnumerateArray().ToArray();
    }

    [Fact]
    public void The_JSON_alone_on_standard_output_has_the_index_parents_status_and_last_run()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        var tasks = ListJson(project);

        Assert.Equal(["Load", "Clean", "Plot", "Report"], tasks.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([0, 1, 2, 3], tasks.Select(t => t.GetProperty("index").GetInt32()));
        Assert.Equal(["Clean", "Plot"], tasks[3].GetProperty("parents").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.All(tasks, t => Assert.True(t.GetProperty("upToDate").GetBoolean()));
        var lastRun = tasks[0].GetProperty("lastRun");
        Assert.True(lastRun.GetProperty("succeeded").GetBoolean());
        Assert.Equal("never ran", lastRun.GetProperty("reason").GetString());
        Assert.True(lastRun.GetProperty("finishedUtc").GetDateTime() >= lastRun.GetProperty("startedUtc").GetDateTime());
    }
}
