namespace Dagdog.EndToEnd;

/// <summary>
/// Dagdog's tasks on MSBuild's out-of-process nodes, which only the command line starts: a task's output reaches the
/// user from a worker node, and a node reused by the next build runs the task's new code (the rest of what output does
/// is in Dagdog.Build.Tests' OutputSpecs).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class MSBuildNodeSpecs(SdkFeed feed)
{
    private DagProject Chatty() => feed.CreateProject("chatty").DeclareChattyFit();

    [Fact]
    public void Console_output_of_a_task_on_a_worker_node_is_not_lost()
    {
        var build = Chatty().Build(["-m:2"], new Dictionary<string, string?> { ["MSBUILDNOINPROCNODE"] = "1" }).Succeeded();

        Assert.Contains("Fit: fitting 344 penguins", build.Output);
        Assert.Contains("Fit: from another thread", build.Output);
    }

    [Fact]
    public void With_node_reuse_on_an_edited_task_runs_its_new_code()
    {
        // Reused MSBuild worker nodes outlive the build; the user's code must not stay loaded in them.
        var reuse = new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = null, ["MSBUILDNOINPROCNODE"] = "1" };
        var project = feed.CreateProject("reuse")
            .Declare("""<DagTask Include="Fit" />""")
            .AddTask("Fit", """Console.WriteLine("model version 1");""");
        try
        {
            var first = project.Build(["-nodeReuse:true", "-m:1"], reuse).Succeeded();
            Assert.Contains("Fit: model version 1", first.Output);

            project.AddTask("Fit", """Console.WriteLine("model version 2");""");
            var second = project.Build(["-nodeReuse:true", "-m:1"], reuse).Succeeded();

            Assert.Equal(["Fit"], second.Ran);
            Assert.Contains("Fit: model version 2", second.Output);
            Assert.DoesNotContain("model version 1", second.Output);
        }
        finally
        {
            Dotnet.Run(project.Directory, ["build-server", "shutdown", "--msbuild"]);
        }
    }
}
