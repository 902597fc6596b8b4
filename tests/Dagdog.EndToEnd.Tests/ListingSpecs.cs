using System.Text.Json;

namespace Dagdog.EndToEnd;

/// <summary>DagList (dagdog's ls) and DagReset (dagdog's state.delete()): the index, status with reasons, and run history.</summary>
[Collection(EndToEndCollection.Name)]
public class ListingSpecs(SdkFeed feed)
{
    private DagProject Pipeline() => feed.CreateProject("listing")
        .Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" />
            <DagTask Include="Clean" DependsOn="Load" Outputs="out/clean.csv" />
            <DagTask Include="Plot" DependsOn="Load" />
            <DagTask Include="Report" DependsOn="Clean;Plot" />
            """)
        .WriteFile("data/raw.csv", "x\n1\n")
        .AddTask("Load")
        .AddTask("Clean", """Directory.CreateDirectory("out"); File.WriteAllText("out/clean.csv", "x");""")
        .AddTasks("Plot", "Report");

    private static JsonElement[] ListJson(DagProject project)
    {
        var build = project.Build("-t:DagList", "-getProperty:DagListJson");
        Assert.True(build.ExitCode == 0, build.ToString());
        return JsonDocument.Parse(build.Output).RootElement.GetProperty("tasks").EnumerateArray().ToArray();
    }

    private static Dictionary<string, string> Statuses(DagProject project) =>
        ListJson(project).ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("status").GetString()!);

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
