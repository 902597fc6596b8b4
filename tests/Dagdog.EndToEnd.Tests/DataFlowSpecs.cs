namespace Dagdog.EndToEnd;

/// <summary>Declared files that disagree with the declared dependencies are refused or flagged before anything runs.</summary>
[Collection(EndToEndCollection.Name)]
public class DataFlowSpecs(SdkFeed feed)
{
    [Fact]
    public void Two_tasks_declaring_the_same_output_are_an_error_and_nothing_runs()
    {
        var build = feed.CreateProject("shared-output")
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
        var project = feed.CreateProject("missing-dependency")
            .Declare("""
                <DagTask Include="Clean" Outputs="out/clean.csv" />
                <DagTask Include="Fit" Inputs="out/clean.csv" />
                """)
            .AddTask("Clean", """Directory.CreateDirectory("out"); File.WriteAllText("out/clean.csv", "x");""")
            .AddTask("Fit");

        var build = project.Build().Succeeded();

        // Once where it is found, and once more in MSBuild's closing summary of warnings.
        var warnings = System.Text.RegularExpressions.Regex.Matches(build.Output, @"warning DAG026: Task 'Fit' reads 'out/clean\.csv', which task 'Clean' writes, but does not depend on it");
        Assert.Equal(2, warnings.Count);
        Assert.Contains("Add DependsOn=\"Clean\" to 'Fit'", build.Output);
    }
}
