namespace Dagdog.Build.Tests;

/// <summary>Declared files that disagree with the declared dependencies are refused or flagged before anything runs.</summary>
public class DataFlowSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    [Fact]
    public void Two_tasks_declaring_the_same_output_are_an_error_and_nothing_runs()
    {
        var build = projects.CreateProject("shared-output")
            .Declare("""
                <DagTask Include="Clean" Outputs="out/clean.csv" />
                <DagTask Include="Fix" Outputs="out/clean.csv" />
                <DagTask Include="Fit" DependsOn="Clean" Inputs="out/clean.csv" />
                """)
            .AddTasks("Clean", "Fix", "Fit")
            .Build();

        Assert.Matches(@"Analysis\.csproj\(\d+,\d+\): error DAG024: Tasks 'Clean' and 'Fix' both declare the output 'out/clean.csv'", build.FailedWith("DAG024"));
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void Reading_another_tasks_output_without_depending_on_it_is_a_warning_once_per_build()
    {
        var project = projects.CreateProject("missing-dependency")
            .Declare("""
                <DagTask Include="Clean" Outputs="out/clean.csv" />
                <DagTask Include="Fit" Inputs="out/clean.csv" />
                """)
            .AddTask("Clean", """Directory.CreateDirectory("out"); File.WriteAllText("out/clean.csv", "x");""")
            .AddTask("Fit");

        var build = project.Build().Succeeded();

        var warnings = System.Text.RegularExpressions.Regex.Matches(build.Output, @"warning DAG026: Task 'Fit' reads 'out/clean\.csv', which task 'Clean' writes, but does not depend on it");
        Assert.Single(warnings);
        Assert.Contains("Add DependsOn=\"Clean\" to 'Fit'", build.Output);
    }
}
