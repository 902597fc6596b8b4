using System.Diagnostics;

namespace Dagdog.Build.Tests;

/// <summary>Ctrl+C and Timeout stop a task promptly, leave it stale and lose no record.</summary>
public class InterruptSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    [Fact]
    public void Ctrl_C_interrupts_the_running_task_and_ends_the_build_with_its_summary_and_report_not_a_Dagdog_bug()
    {
        var project = projects.CreateProject("ctrlc").DeclareEndlessFit();

        // MSBuild refuses the node back to a task once Ctrl+C cancelled the build (BuildAbortedException): expected.
        var build = project.BuildAndInterrupt("Fit: fitting forever");

        Assert.Contains("Task 'Fit' was interrupted after", build.FailedWith("DAG023"));
        Assert.Contains("Dag: 1 ran, 1 interrupted, 1 not run in", build.Output);
        Assert.Equal(new Dictionary<string, string> { ["Load"] = "ran", ["Fit"] = "interrupted", ["Report"] = "not-run" }, build.Statuses);
        project.AssertFitStaysStale();
    }

    [Fact]
    public void A_task_that_runs_longer_than_its_Timeout_fails_and_its_downstream_does_not_run()
    {
        var project = projects.CreateProject("timeout").DeclareEndlessFit("""Timeout="00:00:02" """);

        var clock = Stopwatch.StartNew();
        var build = project.Build();

        Assert.Contains("Task 'Fit' ran longer than its Timeout of 00:00:02 and was stopped after", build.FailedWith("DAG022"));
        Assert.Equal(["Load", "Fit"], build.Ran);
        project.AssertFitStaysStale();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void A_task_that_takes_a_cancellation_token_sees_it_cancelled_first()
    {
        // The Timeout counts from the request, loading the task included: 4 s leave a loaded machine time to start it.
        var project = projects.CreateProject("token").DeclareEndlessFit("""Timeout="00:00:04" """, """
            public class Fit
            {
                public void Run(CancellationToken cancellation)
                {
                    File.AppendAllText("ran.txt", "Fit\n");
                    while (!cancellation.IsCancellationRequested) Thread.Sleep(20);
                    File.WriteAllText("saw-cancellation.txt", "yes");
                    cancellation.ThrowIfCancellationRequested();
                }
            }
            """);

        project.Build().FailedWith("DAG022");

        Assert.True(project.FileExists("saw-cancellation.txt"));
        project.AssertFitStaysStale();
    }

    [Fact]
    public void A_bad_Timeout_is_a_declaration_error()
    {
        var build = projects.CreateProject("badtimeout").DeclareEndlessFit("""Timeout="half an hour" """).Build();

        Assert.Contains("Timeout=\"half an hour\" of task 'Fit' is not a positive duration", build.FailedWith("DAG020"));
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void A_Timeout_longer_than_a_timer_can_wait_is_taken_as_given()
    {
        var project = projects.CreateProject("long timeout").DeclareEndlessFit("""Timeout="60.00:00:00" """, """
            public class Fit
            {
                public void Run() => File.AppendAllText("ran.txt", "Fit\n");
            }
            """);

        Assert.Equal(["Load", "Fit", "Report"], project.Build().Succeeded().Ran);
    }
}
