namespace Dagdog.Build.Tests;

/// <summary>Bad declarations fail the build with a DAG0xx error that names the project file, the task and a fix.</summary>
public class DeclarationErrorSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private BuildProject Project(string items, params string[] tasks) =>
        projects.CreateProject("bad").Declare(items).AddTasks(tasks);

    [Fact]
    public void A_dependency_cycle_is_printed_as_a_path()
    {
        var build = Project("""
            <DagTask Include="Load" />
            <DagTask Include="Clean" DependsOn="Load;Fit" />
            <DagTask Include="Fit" DependsOn="Clean" />
            """, "Load", "Clean", "Fit").Build();

        var error = build.FailedWith("DAG004");
        Assert.Contains("Analysis.csproj(7,1)", error);
        Assert.Contains("Clean -> Fit -> Clean", error);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void An_unknown_dependency_suggests_the_nearest_task()
    {
        var error = Project("""
            <DagTask Include="Clean" />
            <DagTask Include="Fit" DependsOn="Claen" />
            """, "Clean", "Fit").Build().FailedWith("DAG003");

        Assert.Contains("Analysis.csproj(7,1)", error);
        Assert.Contains("Task 'Fit' depends on 'Claen', which is not a declared task. Did you mean 'Clean'?", error);
    }

    [Fact]
    public void A_duplicate_task_is_an_error()
    {
        var error = Project("""
            <DagTask Include="Fit" />
            <DagTask Include="Fit" />
            """, "Fit").Build().FailedWith("DAG002");

        Assert.Contains("Task 'Fit' is declared more than once", error);
    }

    [Fact]
    public void A_name_that_is_not_a_CSharp_identifier_is_an_error()
    {
        var error = Project("""<DagTask Include="fit-model" />""").Build().FailedWith("DAG001");

        Assert.Contains("Task name 'fit-model' is not a C# identifier", error);
    }

    [Fact]
    public void A_control_character_in_a_declared_path_is_an_error_at_its_DagTask_line()
    {
        var build = Project("""
            <DagTask Include="Load" Inputs="in%00put.txt" />
            """, "Load").Build();

        var error = build.FailedWith("DAG033");
        Assert.Contains("Analysis.csproj(6,1)", error);
        Assert.Contains(@"Inputs of task 'Load' has a path with a control character (U+0000): 'in\u0000put.txt'. Remove it from the path.", error);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void A_task_without_a_class_is_an_error_and_runs_nothing()
    {
        var build = Project("""
            <DagTask Include="Load" />
            <DagTask Include="Fit" DependsOn="Load" />
            """, "Load").Build();

        var error = build.FailedWith("DAG007");
        Assert.Contains("No class named 'Fit' was found", error);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void Several_classes_with_the_task_name_ask_for_the_Type_metadata()
    {
        var error = projects.CreateProject("twice")
            .Declare("""<DagTask Include="Fit" />""")
            .AddTask("Fit", @namespace: "Linear")
            .WriteFile("Quadratic/Fit.cs", "namespace Quadratic; public class Fit { public void Run() { } }")
            .Build().FailedWith("DAG008");

        Assert.Contains("Several classes are named 'Fit': Linear.Fit, Quadratic.Fit", error);
        Assert.Contains("<DagTask Include=\"Fit\" Type=\"Linear.Fit\" />", error);
    }

    [Fact]
    public void A_Run_parameter_that_nothing_gives_a_value_is_an_error_when_the_project_builds()
    {
        var error = projects.CreateProject("norun")
            .Declare("""<DagTask Include="Fit" />""")
            .WriteFile("Fit.cs", "public class Fit { public void Run(int seed) { } }")
            .Build().FailedWith("DAG037");

        Assert.Contains("Class 'Fit' of task 'Fit' has Run's parameter 'seed', but it is not a family: nothing gives Run a value", error);
    }

    // Restored and built with one task, then Fit declared without restoring.
    private BuildProject FitDeclaredSinceRestore()
    {
        var project = Project("""<DagTask Include="Load" />""", "Load", "Fit");
        project.Build().Succeeded();
        return project.Declare("""
            <DagTask Include="Load" />
            <DagTask Include="Fit" DependsOn="Load" />
            """);
    }

    [Fact]
    public void A_declaration_error_fails_the_restore_and_after_the_fix_the_next_build_restores_and_runs()
    {
        var project = projects.CreateProject("bad").Declare("""<DagTask Include="Fit" DependsOn="Claen" />""").AddTasks("Clean", "Fit");
        Assert.Contains("Task 'Fit' depends on 'Claen', which is not a declared task.", project.Build().FailedWith("DAG003"));

        project.Declare("""
            <DagTask Include="Clean" />
            <DagTask Include="Fit" DependsOn="Clean" />
            """);

        Assert.Equal(["Clean", "Fit"], project.Build().Succeeded().Ran);
    }
}
