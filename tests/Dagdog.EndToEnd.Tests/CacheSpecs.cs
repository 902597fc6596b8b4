namespace Dagdog.EndToEnd;

/// <summary>
/// A shared result cache in a folder: a task computed in one clone is restored, not run, in another; what changed runs;
/// a damaged entry or an unreachable store is a warning and the task runs.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class CacheSpecs(SdkFeed feed)
{
    private static readonly string[] Outputs = ["out/raw.txt", "out/clean.txt", "out/model.txt"];

    // Load -> Clean -> Fit, each writing one output from the one before; the same files in every clone.
    private DagProject Clone(string name) => feed.CreateProject(name)
        .Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
            <DagTask Include="Clean" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/clean.txt" />
            <DagTask Include="Fit" DependsOn="Clean" Inputs="out/clean.txt" Outputs="out/model.txt" />
            """)
        .WriteFile("data/raw.csv", "x,y\n1,2\n3,4\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.WriteAllText("out/raw.txt", File.ReadAllText("data/raw.csv"));""")
        .AddTask("Clean", """File.WriteAllText("out/clean.txt", File.ReadAllText("out/raw.txt").ToUpperInvariant());""")
        .AddTask("Fit", """File.WriteAllText("out/model.txt", $"rows {File.ReadAllLines("out/clean.txt").Length}");""");

    private string NewStore() => Directory.CreateDirectory(Path.Combine(feed.Root, $"cache-{Guid.NewGuid():N}")).FullName;

    [Fact]
    public void A_second_clone_in_another_folder_restores_every_output_and_runs_nothing()
    {
        var store = NewStore();
        var one = Clone("first");
        var first = one.Build($"-p:DagCache={store}").Succeeded();
        var second = Clone("second");

        var build = second.Build($"-p:DagCache={store}").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], first.Ran);
        Assert.Contains("Dag: cache: 0 restored, 3 missed, 3 pushed", first.Output);
        Assert.Empty(build.Ran);
        Assert.Contains("Dag: [1/3] Load restored from cache (never ran; 12 B in ", build.Output);
        Assert.Empty(build.Started);
        Assert.Contains("Dag:   Fit: restored from cache in", build.Output);
        Assert.Contains("Dag: cache: 3 restored, 0 missed, 0 pushed", build.Output);
        foreach (var output in Outputs) Assert.Equal(File.ReadAllBytes(one.PathOf(output)), File.ReadAllBytes(second.PathOf(output)));
        Assert.Empty(second.Build($"-p:DagCache={store}").Succeeded().Ran);
    }

    [Fact]
    public void A_changed_input_runs_its_readers_and_restores_nothing_stale()
    {
        var store = NewStore();
        Clone("first").Build($"-p:DagCache={store}").Succeeded();
        var second = Clone("second").WriteFile("data/raw.csv", "x,y\n5,6\n");

        var build = second.Build($"-p:DagCache={store}").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], build.Ran);
        Assert.DoesNotContain("restored from cache", build.Output);
        Assert.Equal("X,Y\n5,6\n", second.ReadFile("out/clean.txt"));
        Assert.Equal("rows 2", second.ReadFile("out/model.txt"));
    }

    [Fact]
    public void A_damaged_entry_is_a_warning_and_the_task_runs()
    {
        var store = NewStore();
        Clone("first").Build($"-p:DagCache={store}").Succeeded();
        var stored = Directory.GetFiles(Path.Combine(store, "content"), "*", SearchOption.AllDirectories);
        foreach (var file in stored) File.WriteAllText(file, "damaged");
        var second = Clone("second");

        var build = second.Build($"-p:DagCache={store}").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], build.Ran);
        Assert.Contains("warning DAG031: The cache " + store + " could not be used for task 'Load': its entry", build.Output);
        Assert.Contains("is damaged ('out/raw.txt' does not match its SHA-256). The task runs as if there were no cache.", build.Output);
        Assert.Equal("x,y\n1,2\n3,4\n", second.ReadFile("out/raw.txt"));
        Assert.Empty(Directory.GetFiles(second.PathOf("out"), "*.dagdog-fetch"));
    }

    [Fact]
    public void An_unreachable_store_is_a_warning_and_every_task_runs()
    {
        // Under a file, a folder can be neither read nor made, not even by root: like a share that is not mounted.
        var blocker = Path.Combine(feed.Root, $"not-a-folder-{Guid.NewGuid():N}");
        File.WriteAllText(blocker, "");
        var store = Path.Combine(blocker, "cache");
        var project = Clone("unreachable");

        var build = project.Build($"-p:DagCache={store}").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], build.Ran);
        Assert.Contains($"warning DAG031: The cache {store} could not be used for task 'Load'", build.Output);
        Assert.Contains("Dag: cache: 0 restored, 0 missed, 0 pushed, 6 failed (warning DAG031)", build.Output);
    }

    [Fact]
    public void With_push_off_nothing_is_written_to_the_store_and_a_forced_run_calls_Run_and_pushes()
    {
        var store = NewStore();
        var readOnly = Clone("read only").Build($"-p:DagCache={store}", "-p:DagCachePush=false").Succeeded();
        var forced = Clone("forced").Build($"-p:DagCache={store}", "-p:DagForce=true").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], readOnly.Ran);
        Assert.Contains("Dag: cache: 0 restored, 3 missed, 0 pushed", readOnly.Output);
        Assert.Equal(["Load", "Clean", "Fit"], forced.Ran);
        Assert.Contains("Dag: cache: 0 restored, 0 missed, 3 pushed", forced.Output);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(store, "entries")).Length);
    }

    [Fact]
    public void A_task_with_Cache_false_is_neither_restored_nor_stored()
    {
        var store = NewStore();
        var project = Clone("opted out");
        project.Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" Cache="false" />
            <DagTask Include="Clean" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/clean.txt" />
            <DagTask Include="Fit" DependsOn="Clean" Inputs="out/clean.txt" Outputs="out/model.txt" />
            """);

        var build = project.Build($"-p:DagCache={store}").Succeeded();

        Assert.Contains("Dag: cache: 0 restored, 2 missed, 2 pushed", build.Output);
    }
}
