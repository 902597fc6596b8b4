namespace Dagdog.EndToEnd;

/// <summary>
/// The shared result cache in Azure Blob Storage, against a real Azurite server: a second clone restores everything;
/// a damaged blob or an unreachable account is a warning and the tasks run. The connection string travels in an
/// environment variable that DagCache names, never on the command line.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class AzureCacheSpecs(SdkFeed feed, Azurite azurite) : IClassFixture<Azurite>
{
    private const string Variable = "DAGDOG_TEST_STORAGE";

    private DagProject Clone(string name) => feed.CreateProject(name)
        .Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/model.txt" />
            """)
        .WriteFile("data/raw.csv", "x,y\n1,2\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.WriteAllText("out/raw.txt", File.ReadAllText("data/raw.csv"));""")
        .AddTask("Fit", """File.WriteAllText("out/model.txt", $"rows {File.ReadAllLines("out/raw.txt").Length}");""");

    private BuildResult Build(DagProject project, string container, string? connectionString = null, params string[] arguments)
    {
        Assert.True(azurite.Problem is null, azurite.Problem);
        return project.Build([$"-p:DagCache=azure:{Variable}/{container}", .. arguments],
            new Dictionary<string, string?> { [Variable] = connectionString ?? azurite.ConnectionString });
    }

    private static string NewContainer() => $"dag{Guid.NewGuid():N}";

    [Fact]
    public void A_second_clone_restores_every_output_from_the_container_and_runs_nothing()
    {
        var container = NewContainer();
        var first = Clone("first");
        var pushed = Build(first, container).Succeeded();
        var second = Clone("second");

        var restored = Build(second, container).Succeeded();

        Assert.Equal(["Load", "Fit"], pushed.Ran);
        Assert.Contains("Dag: cache: 0 restored, 2 missed, 2 pushed", pushed.Output);
        Assert.Empty(restored.Ran);
        Assert.Contains("Dag: cache: 2 restored, 0 missed, 0 pushed", restored.Output);
        Assert.Equal(first.ReadFile("out/model.txt"), second.ReadFile("out/model.txt"));
        Assert.DoesNotContain("AccountKey", restored.Output);
    }

    [Fact]
    public void An_unreachable_account_is_one_warning_per_task_and_every_task_runs()
    {
        var project = Clone("closed port");

        var build = Build(project, NewContainer(), Azurite.ConnectionStringFor(Azurite.FreePort())).Succeeded();

        Assert.Equal(["Load", "Fit"], build.Ran);
        Assert.Contains($"warning DAG031: The cache azure:{Variable}/", build.Output);
        Assert.Contains("could not be used for task 'Load'", build.Output);
        Assert.DoesNotContain("AccountKey", build.Output);
    }

    [Fact]
    public void A_variable_that_is_not_set_is_a_warning_and_the_tasks_run()
    {
        var project = Clone("no variable");

        var build = project.Build("-p:DagCache=azure:DAGDOG_NO_SUCH_VARIABLE/results").Succeeded();

        Assert.Equal(["Load", "Fit"], build.Ran);
        Assert.Contains("warning DAG031: The cache 'azure:DAGDOG_NO_SUCH_VARIABLE/results' cannot be used: the environment variable DAGDOG_NO_SUCH_VARIABLE", build.Output);
    }
}
