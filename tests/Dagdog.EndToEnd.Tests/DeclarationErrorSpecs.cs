namespace Dagdog.EndToEnd;

/// <summary>Bad declarations fail the build with a DAG0xx error that names the project file, the task and a fix.</summary>
[Collection(EndToEndCollection.Name)]
public class DeclarationErrorSpecs(SdkFeed feed)
{
    private DagProject Project(string items, params string[] tasks) =>
        feed.CreateProject("bad").Declare(items).AddTasks(tasks);

    // Restored and built with one task, then Fit declared without restoring.
    private DagProject FitDeclaredSinceRestore()
    {
        var project = Project("""<DagTask Include="Load" />""", "Load", "Fit");
        project.Build().Succeeded();
        return project.Declare("""
            <DagTask Include="Load" />
            <DagTask Include="Fit" DependsOn="Load" />
            """);
    }

    [Fact]
    public void Declarations_changed_since_restore_are_an_error_not_a_stale_DAG()
    {
        var build = FitDeclaredSinceRestore().Build("--no-restore");

        Assert.Contains("The DagTask declarations changed since the task targets were generated", build.FailedWith("DAG006"));
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void Asking_for_a_task_added_since_restore_gives_the_stale_targets_error_not_a_missing_target()
    {
        var build = FitDeclaredSinceRestore().Build("--no-restore", "-t:Dag_Fit");

        build.FailedWith("DAG006");
        Assert.DoesNotContain("MSB4057", build.Output);
    }

    [Fact]
    public void Missing_generated_targets_are_an_error_that_says_to_restore()
    {
        var project = Project("""<DagTask Include="Load" />""", "Load");
        project.Build().Succeeded();

        File.Delete(project.PathOf("obj/Analysis.dag.g.targets"));
        var build = project.Build("--no-restore");

        Assert.Contains("Run 'dotnet restore'", build.FailedWith("DAG005"));
    }

    [Fact]
    public void After_a_fix_the_next_build_restores_and_runs()
    {
        var project = Project("""<DagTask Include="Fit" DependsOn="Claen" />""", "Clean", "Fit");
        project.Build().FailedWith("DAG003");

        project.Declare("""
            <DagTask Include="Clean" />
            <DagTask Include="Fit" DependsOn="Clean" />
            """);

        Assert.Equal(["Clean", "Fit"], project.Build().Succeeded().Ran);
    }
}
