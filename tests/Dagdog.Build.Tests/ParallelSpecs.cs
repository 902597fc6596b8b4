using System.Text.RegularExpressions;

namespace Dagdog.Build.Tests;

/// <summary>
/// Independent tasks run at the same time, up to DagJobs (by default MSBuild's node count); output stays readable;
/// a failure stops new starts, or with DagKeepGoing only its downstream.
/// </summary>
public class ParallelSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    [Theory]
    [InlineData("-p:DagJobs=1")]
    [InlineData("-m:1")]
    public void One_job_or_one_node_runs_one_task_at_a_time(string argument)
    {
        var project = projects.CreateProject("four").DeclareFourSleepingFits();

        project.Build(argument).Succeeded();

        Assert.Equal(1, project.MostRunningAtOnce());
    }

    [Fact]
    public void A_task_with_Jobs_2_has_the_machine_to_itself()
    {
        var project = projects.CreateProject("four").DeclareFourSleepingFits(together: 2, items: """
            <DagTask Include="FitA" Jobs="2" />
            <DagTask Include="FitB" Jobs="2" />
            <DagTask Include="FitC" />
            <DagTask Include="FitD" />
            """, alone: ["FitA", "FitB"]);

        project.Build("-p:DagJobs=2").Succeeded();

        // A and B each ran alone; C and D together after them.
        var spans = project.Spans();
        Assert.Equal(["FitA", "FitB"], spans.Take(2).Select(s => s.Task));
        Assert.True(spans[0].End <= spans[1].Start && spans[1].End <= spans[2].Start, string.Join("\n", spans));
        Assert.Equal(2, project.MostRunningAtOnce());
    }

    [Fact]
    public void Lines_from_tasks_running_at_once_stay_whole_and_marked_with_their_task_and_the_run_ends_with_a_summary()
    {
        var project = projects.CreateProject("chatty")
            .Declare("""
                <DagTask Include="Left" />
                <DagTask Include="Right" />
                <DagTask Include="Join" DependsOn="Left;Right" />
                """)
            .AddTask("Left", """for (var i = 0; i < 300; i++) Console.WriteLine($"left line {i} of the left task");""")
            .AddTask("Right", """for (var i = 0; i < 300; i++) Console.Error.WriteLine($"right line {i} of the right task");""")
            .AddTask("Join");

        var build = project.Build("-p:DagJobs=2").Succeeded();

        Assert.Equal(300, Regex.Matches(build.Output, @"^ +Left: left line \d+ of the left task\r?$", RegexOptions.Multiline).Count);
        Assert.Equal(300, Regex.Matches(build.Output, @"^ +Right: right line \d+ of the right task\r?$", RegexOptions.Multiline).Count);
        Assert.Matches(@"Dag: \[3/3\] Join started \(never ran\)", build.Output);
        Assert.Matches(@"Dag: 3 ran in \d+\.\d\d s", build.Output);
        Assert.Matches(@"Dag:   Left: ran in \d+\.\d\d s", build.Output);
        Assert.Equal(300, project.ReadFile("obj/dag/logs/Right.log").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    // A -> B -> E and A -> C -> D, where B fails.
    private BuildProject Branches() => projects.CreateProject("branches")
        .Declare("""
            <DagTask Include="A" />
            <DagTask Include="B" DependsOn="A" />
            <DagTask Include="C" DependsOn="A" />
            <DagTask Include="D" DependsOn="C" />
            <DagTask Include="E" DependsOn="B" />
            """)
        .AddTasks("A", "C", "D", "E")
        .AddTask("B", """throw new InvalidOperationException("B is broken");""");

    [Fact]
    public void After_a_failure_no_new_task_starts()
    {
        var build = Branches().Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Equal(["A", "B"], build.Ran);
        Assert.Equal(("not-run", "the build stopped"), (build.Reported("C").Status, build.Reported("C").Reason));
        Assert.Contains("Dag:   C: not started: the build stops after a failure (-p:DagKeepGoing=true runs what does not depend on it)", build.Output);
        Assert.Equal(("not-run", "upstream B failed"), (build.Reported("E").Status, build.Reported("E").Reason));
    }

    [Fact]
    public void Keep_going_runs_every_task_not_downstream_of_the_failure_and_still_fails_the_build()
    {
        var build = Branches().Build("-p:DagKeepGoing=true");

        build.FailedWith("DAG010");
        Assert.Equal(["A", "B", "C", "D"], build.Ran);
        Assert.Matches(@"Dag: 3 ran, 1 failed, 1 not run in \d+\.\d\d s", build.Output);
        var error = Regex.Match(build.Output, @"Task 'B' failed after (\d+\.\d\d) s");
        Assert.True(error.Success, build.Output);
        Assert.Contains($"Dag:   B: failed after {error.Groups[1].Value} s (never ran)", build.Output);
        Assert.Contains($"Dag: B failed after {error.Groups[1].Value} s", build.Output);
        Assert.Equal(("not-run", "upstream B failed"), (build.Reported("E").Status, build.Reported("E").Reason));
    }

    [Fact]
    public void The_summary_of_a_large_run_names_every_failure_but_only_the_slowest_tasks_that_ran()
    {
        var names = Enumerable.Range(1, 24).Select(i => $"Step{i}").ToList();
        var project = projects.CreateProject("large")
            .Declare(string.Join("\n", names.Select(n => $"<DagTask Include=\"{n}\" />").Append("""<DagTask Include="Broken" />""")));
        foreach (var name in names) project.AddTask(name, name == "Step7" ? "Thread.Sleep(500);" : "");
        project.AddTask("Broken", """throw new InvalidOperationException("broken");""");

        var build = project.Build("-p:DagKeepGoing=true");

        Assert.Matches(@"Dag: 24 ran, 1 failed in \d+\.\d\d s", build.Output);
        Assert.Contains("Dag:   Broken: failed after", build.Output);
        Assert.Matches(@"Dag:   Step7: ran in \d+\.\d\d s", build.Output);
        Assert.Contains("Dag:   ... and 14 more that ran, each faster than these", build.Output);
        // Tasks starting at the same time are numbered in the order their lines are printed.
        var numbers = Regex.Matches(build.Output, @"Dag: \[(\d+)/25\] \w+ started").Select(m => int.Parse(m.Groups[1].Value));
        Assert.Equal(Enumerable.Range(1, 25), numbers);
    }
}
