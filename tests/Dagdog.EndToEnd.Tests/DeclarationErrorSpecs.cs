namespace Dagdog.EndToEnd;

/// <summary>
/// The task targets are generated at restore, so what only MSBuild can show of declarations is how restore and
/// --no-restore meet them (every declaration error itself is in Dagdog.Build.Tests' DeclarationErrorSpecs).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class DeclarationErrorSpecs(SdkFeed feed)
{
    [Fact]
    public void Stale_or_missing_generated_targets_are_errors_that_say_to_restore_and_a_build_that_restores_runs_the_new_DAG()
    {
        var project = feed.CreateProject("since restore").Declare("""<DagTask Include="Load" />""").AddTasks("Load", "Fit");
        project.Build().Succeeded();
        project.Declare("""
            <DagTask Include="Load" />
            <DagTask Include="Fit" DependsOn="Load" />
            """);

        var changed = project.Build("--no-restore");
        var asked = project.Build("--no-restore", "-t:Dag_Fit");
        File.Delete(project.PathOf("obj/Analysis.dag.g.targets"));
        var missing = project.Build("--no-restore");
        var restored = project.Build().Succeeded();

        Assert.Contains("The DagTask declarations changed since the task targets were generated", changed.FailedWith("DAG006"));
        Assert.Empty(changed.Ran);
        asked.FailedWith("DAG006");
        Assert.DoesNotContain("MSB4057", asked.Output);
        Assert.Contains("Run 'dotnet restore'", missing.FailedWith("DAG005"));
        Assert.Equal(["Fit"], restored.Ran);
    }

    [Fact]
    public void A_declaration_error_fails_the_restore_and_after_the_fix_the_next_build_restores_and_runs()
    {
        var project = feed.CreateProject("bad").Declare("""<DagTask Include="Fit" DependsOn="Claen" />""").AddTasks("Clean", "Fit");
        Assert.Contains("Task 'Fit' depends on 'Claen', which is not a declared task.", project.Build().FailedWith("DAG003"));

        project.Declare("""
            <DagTask Include="Clean" />
            <DagTask Include="Fit" DependsOn="Clean" />
            """);

        Assert.Equal(["Clean", "Fit"], project.Build().Succeeded().Ran);
    }
}
