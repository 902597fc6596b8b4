namespace Dagdog.EndToEnd;

/// <summary>
/// The task targets are generated at restore: how the CLI's restore and --no-restore meet them (every declaration error
/// itself, and a restore that fails on one, are in Dagdog.Build.Tests' DeclarationErrorSpecs).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class RestoreSpecs(SdkFeed feed)
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
}
