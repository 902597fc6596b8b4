namespace Dagdog.Build.Tests;

/// <summary>Task names follow MSBuild's rules (case does not count) and any C# identifier works, with its state on disk.</summary>
public class NameSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    [Fact]
    public void Two_tasks_whose_names_differ_only_in_case_are_an_error_and_nothing_runs()
    {
        var project = projects.CreateProject("case")
            .Declare("""
                <DagTask Include="Fit" />
                <DagTask Include="fit" />
                <DagTask Include="Report" DependsOn="Fit" />
                """)
            .AddTasks("Fit", "Report");

        var build = project.Build();

        Assert.Contains("Tasks 'Fit' and 'fit' differ only in case", build.FailedWith("DAG002"));
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void DependsOn_and_selections_take_any_case()
    {
        var project = projects.CreateProject("anycase")
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="Fit" DependsOn="load" />
                """)
            .AddTasks("Load", "Fit");

        Assert.Equal(["Load", "Fit"], project.Build("-p:DagFrom=FIT").Succeeded().Ran);
        Assert.Equal(["Fit"], project.Build("-p:Dag=fit").Succeeded().Ran);
    }

    // Load -> Fit, with Fit reading data/raw.csv.
    private BuildProject Pipeline(string name) => projects.CreateProject(name)
        .Declare("""
            <DagTask Include="Load" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Load" Inputs="data/raw.csv" />
            """)
        .WriteFile("data/raw.csv", "x\n1\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.WriteAllText("out/raw.txt", "raw");""")
        .AddTask("Fit");

    private static void Truncate(BuildProject project, string relativePath)
    {
        var path = project.PathOf(relativePath);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.Length / 2)]);
    }

    [Fact]
    public void A_damaged_parent_stamp_makes_the_parent_run_before_its_child_in_the_same_build()
    {
        var project = Pipeline("damaged-stamp");
        project.Build().Succeeded();
        Truncate(project, "obj/dag/stamps/Load.stamp");
        project.WriteFile("data/raw.csv", "x\n2\n");

        var build = project.Build().Succeeded();

        Assert.Contains("warning DAG018: The state of task 'Load'", build.Output);
        Assert.Equal(["Load", "Fit"], build.Ran);
        Assert.Equal("never ran", build.ReasonFor("Load"));
        Assert.Empty(project.Build().Succeeded().Ran);
    }

    [Fact]
    public void A_damaged_code_fingerprint_is_made_again_by_the_next_build()
    {
        var project = Pipeline("damaged-code");
        project.Build().Succeeded();
        Truncate(project, "obj/dag/code/Fit.code");

        var build = project.Build().Succeeded();

        Assert.Contains("warning DAG018: The code fingerprint of task 'Fit'", build.Output);
        Assert.Empty(build.Ran);
        Assert.EndsWith("\n", project.ReadFile("obj/dag/code/Fit.code"));
        Assert.Empty(project.Build().Succeeded().Ran);
    }

    [Fact]
    public void Names_in_any_alphabet_and_of_any_length_run_with_inputs_and_outputs_and_are_then_up_to_date()
    {
        var longName = "Fit" + new string('x', 247);
        var project = projects.CreateProject("unicode")
            .Declare($"""
                <DagTask Include="Ünïcødé" Inputs="data/raw.csv" Outputs="out/clean.csv" />
                <DagTask Include="任务" DependsOn="Ünïcødé" Inputs="out/clean.csv" Outputs="out/model.txt" />
                <DagTask Include="{longName}" DependsOn="任务" Inputs="out/model.txt" />
                """)
            .WriteFile("data/raw.csv", "x\n1\n")
            .AddTask("Ünïcødé", """Directory.CreateDirectory("out"); File.Copy("data/raw.csv", "out/clean.csv", true);""")
            .AddTask("任务", """File.WriteAllText("out/model.txt", "model");""")
            .AddTask(longName);

        var first = project.Build().Succeeded();
        var second = project.Build().Succeeded();

        Assert.Equal(["Ünïcødé", "任务", longName], first.Ran);
        Assert.Empty(second.Ran);
        Assert.DoesNotContain("warning", second.Output);
    }
}
