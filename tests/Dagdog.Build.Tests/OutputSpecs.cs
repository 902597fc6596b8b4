using System.Text.RegularExpressions;

namespace Dagdog.Build.Tests;

/// <summary>
/// What Run() prints reaches the user, marked with the task's name, and is kept in a log per task; the summary at the end
/// says what ran and why, and what was up to date.
/// </summary>
public class OutputSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private BuildProject Chatty() => projects.CreateProject("chatty").DeclareChattyFit();

    [Fact]
    public void Console_output_is_shown_with_the_task_name_at_default_verbosity()
    {
        var build = Chatty().Build().Succeeded();

        Assert.Contains("Fit: fitting 344 penguins", build.Output);
        Assert.Contains("Fit: warning: 2 rows without sex", build.Output);
        Assert.Contains("Fit: R² = 0.76", build.Output);
        Assert.Contains("Fit: from another thread", build.Output);
    }

    [Fact]
    public void Console_output_is_kept_in_a_log_file_per_task()
    {
        var project = Chatty();
        project.Build().Succeeded();

        var log = project.ReadFile("obj/dag/logs/Fit.log");

        Assert.Equal(["fitting 344 penguins", "warning: 2 rows without sex", "R² = 0.76", "from another thread"],
            log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void The_summary_says_how_long_and_why_each_task_ran_and_names_those_up_to_date()
    {
        var project = projects.CreateProject("summary")
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="Fit" DependsOn="Load" />
                <DagTask Include="Plot" DependsOn="Load" />
                """)
            .AddTasks("Load", "Fit", "Plot");
        Assert.Matches(@"Dag:   Load: ran in \d+\.\d\d s \(never ran\)", project.Build().Succeeded().Output);

        project.AddTask("Fit", """Console.WriteLine("a new model");""");
        var build = project.Build().Succeeded();

        Assert.Matches(@"Dag: 1 ran, 2 up to date in \d+\.\d\d s", build.Output);
        var finished = Regex.Match(build.Output, @"Dag: Fit finished in (\d+\.\d\d) s");
        Assert.True(finished.Success, build.Output);
        Assert.Contains($"Dag:   Fit: ran in {finished.Groups[1].Value} s (code changed: Fit.Run)", build.Output);
        Assert.Contains("Dag:   up to date: Load, Plot", build.Output);
    }
}
