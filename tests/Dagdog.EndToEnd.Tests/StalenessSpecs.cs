namespace Dagdog.EndToEnd;

/// <summary>What makes a task stale: its code, its upstream, its declared inputs and outputs.</summary>
[Collection(EndToEndCollection.Name)]
public class StalenessSpecs(SdkFeed feed)
{
    private DagProject Pipeline() => feed.CreateProject("pipeline")
        .Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
            <DagTask Include="Clean" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/clean.txt" />
            <DagTask Include="Fit" DependsOn="Clean" Inputs="out/clean.txt" Outputs="out/model.txt" />
            <DagTask Include="Plot" DependsOn="Clean" />
            <DagTask Include="Report" DependsOn="Fit;Plot" />
            """)
        .WriteFile("data/raw.csv", "x,y\n1,2\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.Copy("data/raw.csv", "out/raw.txt", true);""")
        .AddTask("Clean", """File.Copy("out/raw.txt", "out/clean.txt", true);""")
        .AddTask("Fit", """File.WriteAllText("out/model.txt", "slope 1");""")
        .AddTasks("Plot", "Report");

    [Fact]
    public void Editing_one_task_re_runs_it_and_its_downstream_only()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        project.AddTask("Fit", """File.WriteAllText("out/model.txt", "slope 2");""");
        var build = project.Build().Succeeded();

        Assert.Equal(["Fit", "Report"], build.Ran);
        Assert.Equal("slope 2", project.ReadFile("out/model.txt"));
    }

    [Fact]
    public void Editing_shared_helper_code_re_runs_every_task()
    {
        var project = Pipeline().WriteFile("Helpers.cs", "static class Helpers { public const int Seed = 1; }");
        project.Build().Succeeded();

        project.WriteFile("Helpers.cs", "static class Helpers { public const int Seed = 2; }");
        var build = project.Build().Succeeded();

        Assert.Equal(["Load", "Clean", "Fit", "Plot", "Report"], build.Ran);
    }

    [Fact]
    public void A_changed_input_file_re_runs_its_reader_and_everything_downstream()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        project.WriteFile("data/raw.csv", "x,y\n1,3\n");
        var build = project.Build().Succeeded();

        Assert.Equal(["Load", "Clean", "Fit", "Plot", "Report"], build.Ran);
    }

    [Fact]
    public void A_deleted_output_re_runs_the_task_that_writes_it_and_its_downstream()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        File.Delete(project.PathOf("out/model.txt"));
        var build = project.Build().Succeeded();

        Assert.Equal(["Fit", "Report"], build.Ran);
        Assert.True(project.FileExists("out/model.txt"));
    }

    [Fact]
    public void Staleness_is_transitive_through_tasks_that_were_not_asked_for()
    {
        // dagdog's flaw: Z -> A -> B -> K; after Z re-runs, asking for K must re-run A and B too.
        var project = feed.Chain();
        project.Build().Succeeded();

        project.AddTask("Z", "File.AppendAllText(\"ran.txt\", \"\");");
        Assert.Equal(["Z"], project.Build("-t:Dag_Z").Succeeded().Ran);
        var k = project.Build("-t:Dag_K").Succeeded();

        Assert.Equal(["A", "B", "K"], k.Ran);
    }

    [Fact]
    public void A_task_that_forgets_a_declared_output_gets_a_warning()
    {
        var project = feed.CreateProject("forgetful")
            .Declare("""<DagTask Include="Fit" Outputs="out/model.json" />""")
            .AddTask("Fit");

        var build = project.Build().Succeeded();

        Assert.Contains("warning DAG011: Task 'Fit' finished but did not write its declared output 'out/model.json'", build.Output);
    }

    [Fact]
    public void A_new_git_commit_without_code_changes_re_runs_nothing()
    {
        // The .NET SDK writes the commit id into the assembly's version attributes, which are compiled source too.
        var project = Pipeline();
        Git(project, "init", "-q");
        Git(project, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m", "first");
        project.Build().Succeeded();

        Git(project, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m", "second");
        var build = project.Build().Succeeded();

        Assert.Empty(build.Ran);
    }

    private static void Git(DagProject project, params string[] arguments)
    {
        using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", arguments) { WorkingDirectory = project.Directory })!;
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
    }
}
