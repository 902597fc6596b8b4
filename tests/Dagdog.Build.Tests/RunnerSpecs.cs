namespace Dagdog.Build.Tests;

/// <summary>How Run() is found and called: any namespace, static or instance, sync or async, with NuGet dependencies.</summary>
public class RunnerSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    [Fact]
    public void Run_may_be_static_or_async_and_the_class_may_be_in_any_namespace()
    {
        var project = projects.CreateProject("shapes")
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="Fit" DependsOn="Load" />
                <DagTask Include="Report" DependsOn="Fit" />
                """)
            .WriteFile("Load.cs", """
                public static class Load
                {
                    public static void Run() => File.AppendAllText("ran.txt", "Load\n");
                }
                """)
            .WriteFile("Fit.cs", """
                namespace Deep.Analysis.Models;

                public class Fit
                {
                    public async Task Run()
                    {
                        await Task.Delay(50);
                        File.AppendAllText("ran.txt", "Fit\n");
                    }
                }
                """)
            .WriteFile("Report.cs", """
                namespace Reports;

                public class Report
                {
                    public static async Task<int> Run()
                    {
                        await Task.Yield();
                        File.AppendAllText("ran.txt", "Report\n");
                        return 0;
                    }
                }
                """);

        var build = project.Build().Succeeded();

        Assert.Equal(["Load", "Fit", "Report"], build.Ran);
    }

    [Fact]
    public void The_Type_metadata_chooses_between_classes_with_the_same_name()
    {
        var project = projects.CreateProject("typed")
            .Declare("""<DagTask Include="Fit" Type="Models.Linear.Fit" />""")
            .AddTask("Fit", "throw new InvalidOperationException(\"wrong class\");", @namespace: "Models.Quadratic")
            .WriteFile("Linear/Fit.cs", """
                namespace Models.Linear;

                public class Fit
                {
                    public void Run() => File.AppendAllText("ran.txt", "linear Fit\n");
                }
                """);

        var build = project.Build().Succeeded();

        Assert.Equal(["linear Fit"], build.Ran);
    }

    [Fact]
    public void Run_executes_in_the_project_directory_whatever_the_current_directory_of_the_build()
    {
        var project = projects.CreateProject("cwd")
            .Declare("""<DagTask Include="Where" />""")
            .AddTask("Where", """File.WriteAllText("where.txt", Environment.CurrentDirectory);""");

        project.Build().Succeeded();

        Assert.Equal(project.Directory, project.ReadFile("where.txt"));
    }

    [Fact]
    public void Each_run_gets_fresh_static_state()
    {
        var project = projects.CreateProject("statics")
            .Declare("""
                <DagTask Include="First" />
                <DagTask Include="Second" DependsOn="First" />
                """)
            .WriteFile("Counter.cs", "public static class Counter { public static int Runs; }")
            .AddTask("First", """File.AppendAllText("counts.txt", $"{++Counter.Runs}\n");""")
            .AddTask("Second", """File.AppendAllText("counts.txt", $"{++Counter.Runs}\n");""");

        project.Build().Succeeded();

        Assert.Equal("1\n1\n", project.ReadFile("counts.txt"));
    }

}
