namespace Dagdog.Build.Tests;

/// <summary>
/// What the build log says of a task's processes and output (what the worker does about them is in Dagdog.Worker.Tests):
/// the processes a task left running, named in a warning, and the output it shows of a talkative task.
/// </summary>
public class ChildProcessSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    // First -> Second -> Third, where First does what the spec is about.
    private BuildProject Chain(string name, string firstBody, string firstAttributes = "") => projects.CreateProject(name)
        .Declare($"""
            <DagTask Include="First" {firstAttributes} />
            <DagTask Include="Second" DependsOn="First" />
            <DagTask Include="Third" DependsOn="Second" />
            """)
        .AddTask("First", firstBody)
        .AddTasks("Second", "Third");

    [Fact]
    public void Processes_a_task_leaves_running_are_stopped_when_its_Run_returns_with_a_warning_naming_them()
    {
        // Started directly: Process.Start returns once sleep runs, so each is named as the user started it. Children
        // of a shell, named while between fork and exec, are the worker tier's (Dagdog.Worker.Tests/ChildProcessSpecs).
        var project = Chain("orphans", """
            System.Diagnostics.Process.Start("sleep", "40.25");
            System.Diagnostics.Process.Start("sleep", "40.5");
            """);

        var build = project.Build().Succeeded();

        Assert.Equal(["First", "Second", "Third"], build.Ran);
        var warning = Assert.Single(build.Warnings);
        Assert.Contains("warning DAG032: Task 'First' left 2 process(es) running when its Run() returned; Dagdog stopped them: ", warning);
        Assert.Contains("sleep 40.25 (process ", warning);
        Assert.Contains("sleep 40.5 (process ", warning);
        Assert.Empty(Processes.Running("sleep 40."));
    }

    [Fact]
    public void The_build_log_shows_the_first_DagOutputLines_lines_of_a_task_and_its_log_file_has_them_all()
    {
        var project = Chain("talkative", """
            for (var i = 1; i <= 30; i++) Console.WriteLine($"line {i}");
            Console.WriteLine(new string('x', 3000));
            """);

        var build = project.Build("-p:DagOutputLines=10").Succeeded();

        Assert.Contains("First: line 10", build.Output);
        Assert.DoesNotContain("First: line 11", build.Output);
        Assert.Contains("First: ... and 21 more line(s), in obj/dag/logs/First.log (the build log shows the first 10: DagOutputLines)", build.Output);
        var log = project.ReadFile("obj/dag/logs/First.log").Split('\n');
        Assert.Equal("line 30", log[29]);
        Assert.Equal(3000, log[30].Length);
    }

    [Fact]
    public void A_long_line_shows_cut_and_whole_in_the_log_file()
    {
        var project = Chain("long line", """Console.WriteLine(new string('y', 100_000));""");

        var build = project.Build().Succeeded();

        Assert.Contains($"First: {new string('y', 2000)}... (98000 more characters in the log file)", build.Output);
        Assert.Equal(100_001, project.ReadFile("obj/dag/logs/First.log").Length);
    }
}
