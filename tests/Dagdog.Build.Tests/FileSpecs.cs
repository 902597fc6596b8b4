namespace Dagdog.Build.Tests;

/// <summary>Declared files may have any name MSBuild can express, and a file Dagdog cannot use is DAG019, never a crash.</summary>
public class FileSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    // On disk: "a;b.csv", "100%.csv", "$x.csv", "@y.csv", "with space.csv"; in MSBuild, ';', '%', '$' and '@' are escaped.
    private static readonly string[] OddNames = ["a;b.csv", "100%.csv", "$x.csv", "@y.csv", "with space.csv"];

    [Fact]
    public void A_file_where_Dagdog_keeps_task_state_is_DAG019_naming_it_and_nothing_runs()
    {
        var project = projects.CreateProject("state in the way")
            .Declare("""<DagTask Include="Load" />""")
            .AddTask("Load")
            .WriteFile("obj/dag/code", "a file where Dagdog expects a folder");

        var build = project.Build();

        Assert.Contains("obj/dag/code", build.FailedWith("DAG019"));
        Assert.DoesNotContain("MSB4018", build.Output);
        Assert.Empty(build.Ran);
    }
}
