namespace Dagdog.EndToEnd;

/// <summary>dotnet watch build re-runs what a saved data file made stale: the SDK adds the tasks' source data to @(Watch).</summary>
[Collection(EndToEndCollection.Name)]
public class WatchSpecs(SdkFeed feed)
{
    // Load reads data/raw.csv and writes out/raw.txt, which Fit reads.
    private DagProject Pipeline() => feed.CreateProject("watch")
        .Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv;data/extra/*.csv" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Load" Inputs="out/raw.txt" />
            """)
        .WriteFile("data/raw.csv", "1\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.Copy("data/raw.csv", "out/raw.txt", true);""")
        .AddTask("Fit");

    [Fact]
    public void The_data_files_no_task_writes_are_watched_and_the_files_tasks_write_are_not()
    {
        var project = Pipeline();
        project.Build("-p:DagRun=false").Succeeded();

        var watched = Dotnet.Run(project.Directory, ["msbuild", project.ProjectFile, "-getItem:Watch", "-nologo"]);

        Assert.Equal(0, watched.ExitCode);
        Assert.Contains("\"Identity\": \"data/raw.csv\"", watched.Output);
        Assert.DoesNotContain("out/raw.txt", watched.Output);
    }

    [Fact]
    public void Saving_a_data_file_under_dotnet_watch_re_runs_its_reader()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        using var watch = Dotnet.Start(project.Directory, ["watch", "--non-interactive", "build"],
            new Dictionary<string, string?> { ["DOTNET_WATCH_SUPPRESS_EMOJIS"] = "1", ["DOTNET_USE_POLLING_FILE_WATCHER"] = "1" }, newProcessGroup: true);
        try
        {
            Assert.True(watch.WaitForOutput("Dag: nothing to run", TimeSpan.FromMinutes(2)), watch.Output);
            project.WriteFile("data/raw.csv", "2\n");

            Assert.True(watch.WaitForOutput("Load started (input changed: data/raw.csv)", TimeSpan.FromMinutes(2)), watch.Output);
            Assert.True(watch.WaitForOutput("Fit started (input changed: out/raw.txt)", TimeSpan.FromMinutes(1)), watch.Output);
            Assert.Equal("2\n", project.ReadFile("out/raw.txt"));
        }
        finally
        {
            // Ctrl+C ends dotnet watch and the build it runs; disposing kills whatever is left.
            watch.SignalGroup("INT");
        }
    }
}
