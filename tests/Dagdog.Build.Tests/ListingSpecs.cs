using System.Text.Json;

namespace Dagdog.Build.Tests;

/// <summary>DagList (dagdog's ls) and DagReset (dagdog's state.delete()): the index, status with reasons, and run history.</summary>
public class ListingSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private BuildProject Pipeline() => projects.CreateProject("listing").DeclareListingPipeline();

    private static JsonElement[] ListJson(BuildProject project)
    {
        var build = project.Build("-t:DagList", "-getProperty:DagListJson");
        Assert.True(build.ExitCode == 0, build.ToString());
        return JsonDocument.Parse(build.Output).RootElement.GetProperty("tasks").EnumerateArray().ToArray();
    }

    private static Dictionary<string, string> Statuses(BuildProject project) =>
        ListJson(project).ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("status").GetString()!);

    [Fact]
    public void The_table_shows_index_parents_and_status_of_every_task()
    {
        var build = Pipeline().Build("-t:DagList").Succeeded();

        Assert.Matches(@"index\s+task\s+parents\s+status\s+last run \(UTC\)\s+took", build.Output);
        Assert.Matches(@"0\s+Load\s+-\s+never ran", build.Output);
        Assert.Matches(@"3\s+Report\s+1:Clean, 2:Plot\s+never ran", build.Output);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void The_JSON_has_the_index_parents_status_and_last_run()
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

    [Fact]
    public void The_status_says_why_each_task_would_run()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        project.AddTask("Plot", "File.AppendAllText(\"ran.txt\", \"\");");
        File.Delete(project.PathOf("out/clean.csv"));
        project.WriteFile("data/raw.csv", "x\n2\n");
        var statuses = Statuses(project);

        Assert.Equal("input changed: data/raw.csv", statuses["Load"]);
        Assert.Equal("output missing: out/clean.csv", statuses["Clean"]);
        Assert.Equal("code changed: Plot.Run", statuses["Plot"]);
        // Whether Report runs depends on what Clean writes when it re-runs.
        Assert.Equal("if upstream Clean produces new output", statuses["Report"]);
    }

    [Fact]
    public void A_failed_run_is_recorded_and_listed()
    {
        var project = Pipeline().AddTask("Plot", "throw new Exception(\"no plot\");");
        project.Build().FailedWith("DAG010");

        var plot = ListJson(project).Single(t => t.GetProperty("name").GetString() == "Plot");

        Assert.Equal("last run failed", plot.GetProperty("status").GetString());
        Assert.False(plot.GetProperty("lastRun").GetProperty("succeeded").GetBoolean());
        Assert.Contains("no plot", plot.GetProperty("lastRun").GetProperty("error").GetString());
    }

    [Fact]
    public void DagReset_forgets_every_run_and_keeps_the_outputs()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        project.Build("-t:DagReset").Succeeded();

        Assert.All(Statuses(project).Values, status => Assert.Equal("never ran", status));
        Assert.True(project.FileExists("out/clean.csv"));
        Assert.Equal(["Load", "Clean", "Plot", "Report"], project.Build().Succeeded().Ran);
    }

    [Fact]
    public void DagReset_of_one_task_forgets_only_that_task()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        project.Build("-t:DagReset", "-p:DagFrom=Plot").Succeeded();

        Assert.Equal(["Plot", "Report"], project.Build().Succeeded().Ran);
    }

    [Fact]
    public void An_unreadable_state_file_means_never_ran_with_a_warning()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        project.WriteFile("obj/dag/stamps/Plot.stamp", "{ not json");
        var list = project.Build("-t:DagList").Succeeded();

        Assert.Contains("warning DAG018: The state of task 'Plot'", list.Output);
        Assert.Matches(@"2\s+Plot\s+0:Load\s+never ran", list.Output);
        Assert.Equal(["Plot", "Report"], project.Build().Succeeded().Ran);
    }

    [Fact]
    public void The_build_log_says_why_each_task_runs()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        project.AddTask("Clean", """Directory.CreateDirectory("out"); File.WriteAllText("out/clean.csv", "y");""");
        var build = project.Build().Succeeded();

        Assert.Equal("code changed: Clean.Run", build.ReasonFor("Clean"));
        Assert.Equal("upstream Clean produced new output", build.ReasonFor("Report"));
    }
}
