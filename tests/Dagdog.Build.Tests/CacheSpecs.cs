using Azure.Storage.Blobs;

namespace Dagdog.Build.Tests;

/// <summary>
/// A shared result cache, the same behaviour in every store: a task computed in one clone is restored, not run, in
/// another; a damaged entry or an unreachable store is a warning and the task runs; a read-only cache is written
/// nothing. What does not depend on the store (changed inputs, dry runs, Cache="false") is in FolderCacheSpecs. Run against a folder (<see cref="FolderCacheSpecs"/>) and a real Azurite server (<see cref="AzureCacheSpecs"/>).
/// </summary>
public abstract class CacheSpecs(BuildProjects projects)
{
    private static readonly string[] Outputs = ["out/raw.txt", "out/clean.txt", "out/model.txt"];

    protected BuildProjects Projects => projects;

    /// <summary>A new, empty store: its DagCache value, and how warnings name it.</summary>
    protected abstract (string Location, string Name) NewStore();

    /// <summary>A store that cannot be reached at all.</summary>
    protected abstract (string Location, string Name) UnreachableStore();

    /// <summary>Overwrites the stored bytes of every output with other bytes.</summary>
    protected abstract void DamageContent(string location);

    protected abstract int EntryCount(string location);

    // Load -> Clean -> Fit, each writing one output from the one before; the same files in every clone.
    protected BuildProject Clone(string name) => projects.CreateProject(name)
        .Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
            <DagTask Include="Clean" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/clean.txt" />
            <DagTask Include="Fit" DependsOn="Clean" Inputs="out/clean.txt" Outputs="out/model.txt" />
            """)
        .WriteFile("data/raw.csv", "x,y\n1,2\n3,4\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.WriteAllText("out/raw.txt", File.ReadAllText("data/raw.csv"));""")
        .AddTask("Clean", """File.WriteAllText("out/clean.txt", File.ReadAllText("out/raw.txt").ToUpperInvariant());""")
        .AddTask("Fit", """File.WriteAllText("out/model.txt", $"rows {File.ReadAllLines("out/clean.txt").Length}");""");

    protected static BuildResult Build(BuildProject project, params string[] arguments) => project.Build(arguments);

    [Fact]
    public void A_second_clone_in_another_folder_restores_every_output_and_runs_nothing()
    {
        var (store, _) = NewStore();
        var one = Clone("first");
        var first = Build(one, $"-p:DagCache={store}").Succeeded();
        var second = Clone("second");

        var build = Build(second, $"-p:DagCache={store}").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], first.Ran);
        Assert.Contains("Dag: cache: 0 restored, 3 missed, 3 pushed", first.Output);
        Assert.Empty(build.Ran);
        Assert.Empty(build.Started);
        Assert.Contains("Dag: [1/3] Load restored from cache (never ran; 12 B in ", build.Output);
        Assert.Equal(["restored", "restored", "restored"], build.Report!.Tasks.Select(task => task.Status));
        Assert.Contains("Dag: cache: 3 restored, 0 missed, 0 pushed", build.Output);
        foreach (var output in Outputs) Assert.Equal(File.ReadAllBytes(one.PathOf(output)), File.ReadAllBytes(second.PathOf(output)));
        Assert.Empty(Build(second, $"-p:DagCache={store}").Succeeded().Ran);
    }

    [Fact]
    public void A_damaged_entry_is_a_warning_the_task_runs_and_its_push_repairs_the_entry()
    {
        var (store, name) = NewStore();
        Build(Clone("first"), $"-p:DagCache={store}").Succeeded();
        DamageContent(store);
        var second = Clone("second");

        var build = Build(second, $"-p:DagCache={store}").Succeeded();
        var third = Build(Clone("third"), $"-p:DagCache={store}").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], build.Ran);
        Assert.Contains($"warning DAG031: The cache {name} could not be used for task 'Load': its entry", build.Output);
        Assert.Contains("is damaged ('out/raw.txt' does not match its SHA-256). The task runs as if there were no cache.", build.Output);
        Assert.Contains("Dag: cache: 0 restored, 0 missed, 0 pushed, 3 damaged (warning DAG031), 3 repaired", build.Output);
        Assert.Equal("x,y\n1,2\n3,4\n", second.ReadFile("out/raw.txt"));
        Assert.Empty(Directory.GetFiles(second.PathOf("out"), "*.dagdog-fetch"));
        Assert.Empty(third.Ran);
        Assert.Contains("Dag: cache: 3 restored, 0 missed, 0 pushed", third.Output);
    }

    [Fact]
    public void An_unreachable_store_is_one_warning_and_every_task_runs()
    {
        var (store, name) = UnreachableStore();
        var project = Clone("unreachable");

        var build = Build(project, $"-p:DagCache={store}").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], build.Ran);
        var warning = Assert.Single(build.Warnings);
        Assert.Contains($"warning DAG031: The cache {name} cannot be used: ", warning);
        Assert.Contains("Tasks run as if there were no cache, and it is not asked again in this build.", warning);
        Assert.Contains("Dag: cache: 0 restored, 0 missed, 0 pushed, 3 not looked up after the cache failed (warning DAG031)", build.Output);
        Assert.DoesNotContain("AccountKey", build.Output);
    }

    [Fact]
    public void With_push_off_nothing_is_written_to_the_store_and_a_forced_run_calls_Run_and_pushes()
    {
        var (store, _) = NewStore();
        var readOnly = Build(Clone("read only"), $"-p:DagCache={store}", "-p:DagCachePush=false").Succeeded();
        var entriesAfterReadOnly = EntryCount(store);
        var forced = Build(Clone("forced"), $"-p:DagCache={store}", "-p:DagForce=true").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], readOnly.Ran);
        Assert.Contains("Dag: cache: 0 restored, 3 missed, 0 pushed", readOnly.Output);
        Assert.Equal(0, entriesAfterReadOnly);
        Assert.Equal(["Load", "Clean", "Fit"], forced.Ran);
        Assert.Contains("Dag: cache: 0 restored, 0 missed, 3 pushed", forced.Output);
        Assert.Equal(3, EntryCount(store));
    }

}

/// <summary>The shared cache in a folder.</summary>
public class FolderCacheSpecs(BuildProjects projects) : CacheSpecs(projects), IClassFixture<BuildProjects>
{
    protected override (string Location, string Name) NewStore()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Projects.Root, $"cache-{Guid.NewGuid():N}")).FullName;
        return (folder, folder);
    }

    // Under a file, a folder can be neither read nor made, not even by root: like a share that is not mounted.
    protected override (string Location, string Name) UnreachableStore()
    {
        var blocker = Path.Combine(Projects.Root, $"not-a-folder-{Guid.NewGuid():N}");
        File.WriteAllText(blocker, "");
        var store = Path.Combine(blocker, "cache");
        return (store, store);
    }

    protected override void DamageContent(string location)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(location, "content"), "*", SearchOption.AllDirectories)) File.WriteAllText(file, "damaged");
    }

    protected override int EntryCount(string location) =>
        Directory.Exists(Path.Combine(location, "entries")) ? Directory.GetFiles(Path.Combine(location, "entries")).Length : 0;

    // What follows does not depend on the store: run against the folder only.

    [Fact]
    public void A_folder_that_does_not_exist_is_created_by_the_first_build_and_filled()
    {
        var store = Path.Combine(Projects.Root, $"new-{Guid.NewGuid():N}", "cache");

        var first = Build(Clone("first"), $"-p:DagCache={store}").Succeeded();
        var second = Build(Clone("second"), $"-p:DagCache={store}").Succeeded();

        Assert.Contains($"Dag: cache: created the folder {store}", first.Output);
        Assert.Empty(first.Warnings);
        Assert.Contains("Dag: cache: 0 restored, 3 missed, 3 pushed", first.Output);
        Assert.Empty(second.Ran);
    }

    [Fact]
    public void A_manifest_that_is_a_link_to_an_endless_device_is_a_damaged_entry_and_the_task_runs()
    {
        var (store, name) = NewStore();
        Build(Clone("first"), $"-p:DagCache={store}").Succeeded();
        foreach (var manifest in Directory.GetFiles(Path.Combine(store, "entries")))
        {
            File.Delete(manifest);
            File.CreateSymbolicLink(manifest, "/dev/zero");
        }

        var build = Build(Clone("second"), $"-p:DagCache={store}").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], build.Ran);
        Assert.Contains($"warning DAG031: The cache {name} could not be used for task 'Load': its entry", build.Output);
        Assert.Contains(".json' is not a regular file). The task runs as if there were no cache.", build.Output);
        Assert.Contains("3 damaged (warning DAG031), 3 repaired", build.Output);
    }

    [Fact]
    public void A_changed_input_runs_its_readers_and_restores_nothing_stale()
    {
        var (store, _) = NewStore();
        Build(Clone("first"), $"-p:DagCache={store}").Succeeded();
        var second = Clone("second").WriteFile("data/raw.csv", "x,y\n5,6\n");

        var build = Build(second, $"-p:DagCache={store}").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], build.Ran);
        Assert.DoesNotContain("restored from cache", build.Output);
        Assert.Equal("X,Y\n5,6\n", second.ReadFile("out/clean.txt"));
        Assert.Equal("rows 2", second.ReadFile("out/model.txt"));
    }

    [Fact]
    public void A_dry_run_and_DagList_say_which_tasks_the_cache_would_restore()
    {
        var (store, _) = NewStore();
        Build(Clone("first"), $"-p:DagCache={store}").Succeeded();
        var second = Clone("second");
        second.Build("-p:DagRun=false").Succeeded();

        var dryRun = Build(second, $"-p:DagCache={store}", "-p:DagDryRun=true").Succeeded();
        var list = Build(second, "-t:DagList", $"-p:DagCache={store}").Succeeded();

        // Clean's key depends on what Load will produce, so only Load's is known before Load runs.
        Assert.Contains("Dag: would restore from cache 0:Load (never ran)", dryRun.Output);
        Assert.Contains("Dag: would run 1:Clean (never ran)", dryRun.Output);
        Assert.Matches(@"0\s+Load\s+-\s+would restore from cache \(never ran\)", list.Output);
        Assert.Empty(dryRun.Ran.Concat(list.Ran));
        Assert.False(second.FileExists("out/raw.txt"));
    }

    [Fact]
    public void A_task_with_Cache_false_is_neither_restored_nor_stored()
    {
        var (store, _) = NewStore();
        var project = Clone("opted out");
        project.Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" Cache="false" />
            <DagTask Include="Clean" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/clean.txt" />
            <DagTask Include="Fit" DependsOn="Clean" Inputs="out/clean.txt" Outputs="out/model.txt" />
            """);

        var build = Build(project, $"-p:DagCache={store}").Succeeded();

        Assert.Contains("Dag: cache: 0 restored, 2 missed, 2 pushed", build.Output);
        Assert.Equal(2, EntryCount(store));
    }
}

/// <summary>
/// The shared cache in Azure Blob Storage, against a real Azurite server. The connection string travels in an
/// environment variable that DagCache names, never on the command line or in the log.
/// </summary>
public class AzureCacheSpecs(BuildProjects projects, Azurite azurite) : CacheSpecs(projects), IClassFixture<BuildProjects>, IClassFixture<Azurite>
{
    protected override (string Location, string Name) NewStore() => Store(azurite.ConnectionString);

    // The emulator's account on a port nothing listens on.
    protected override (string Location, string Name) UnreachableStore() => Store(Azurite.ConnectionStringFor(Azurite.FreePort()));

    // A container, with its connection string in an environment variable of its own: the builds run in this process.
    private (string Location, string Name) Store(string connectionString)
    {
        Assert.True(azurite.Problem is null, azurite.Problem);
        var variable = $"DAGDOG_TEST_STORAGE_{Guid.NewGuid():N}";
        ProcessEnvironment.Set(variable, connectionString);
        var location = $"azure:{variable}/dag{Guid.NewGuid():N}";
        return (location, location);
    }

    private BlobContainerClient Container(string location) => new(azurite.ConnectionString, location.Split('/')[1]);

    protected override void DamageContent(string location)
    {
        var container = Container(location);
        foreach (var blob in container.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "content/", default)) container.GetBlobClient(blob.Name).Upload(new BinaryData("damaged"), overwrite: true);
    }

    protected override int EntryCount(string location)
    {
        var container = Container(location);
        return container.Exists() ? container.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "entries/", default).Count() : 0;
    }

    [Fact]
    public void A_variable_that_is_not_set_is_a_warning_and_the_tasks_run()
    {
        var build = Clone("no variable").Build("-p:DagCache=azure:DAGDOG_NO_SUCH_VARIABLE/results").Succeeded();

        Assert.Equal(["Load", "Clean", "Fit"], build.Ran);
        Assert.Contains("warning DAG031: The cache 'azure:DAGDOG_NO_SUCH_VARIABLE/results' cannot be used: the environment variable DAGDOG_NO_SUCH_VARIABLE", build.Output);
    }
}
