namespace Dagdog.Build.Tests;

/// <summary>
/// Each Run() executes in a worker process: whatever a task does to its process fails that task alone, as a task,
/// with its downstream left out, and never reaches MSBuild or the next task.
/// </summary>
public class WorkerSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    // Load -> Fit -> Report, where Fit misbehaves.
    private BuildProject Pipeline(string name, string fitClass) => projects.CreateProject(name)
        .Declare("""
            <DagTask Include="Load" />
            <DagTask Include="Fit" DependsOn="Load" />
            <DagTask Include="Report" DependsOn="Fit" />
            """)
        .AddTasks("Load", "Report")
        .WriteFile("Fit.cs", fitClass);

    private static string Fit(string body, string more = "") => $$"""
        public class Fit
        {
            public void Run()
            {
                File.AppendAllText("ran.txt", "Fit\n");
                {{body}}
            }
            {{more}}
        }
        """;

    private static void AssertFailedAlone(BuildProject project, BuildResult build)
    {
        Assert.NotEqual(0, build.ExitCode);
        Assert.Equal(["Load", "Fit"], build.Ran);
        Assert.Contains("Dag:   Report: not run: upstream Fit failed", build.Output);
        Assert.False(project.FileExists("obj/dag/stamps/Fit.stamp"));
        Assert.True(project.FileExists("obj/dag/stamps/Fit.failed"));
    }

    [Fact]
    public void Async_void_Run_is_refused_because_it_cannot_be_awaited()
    {
        var project = Pipeline("asyncvoid", """
            public class Fit
            {
                public async void Run() => await Task.Delay(10);
            }
            """);

        var build = project.Build();

        Assert.Contains("Class 'Fit' of task 'Fit' has an 'async void Run()', which cannot be awaited", build.FailedWith("DAG009"));
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void A_task_that_ends_its_worker_fails_with_DAG021_its_downstream_does_not_run_and_it_stays_stale()
    {
        var project = Pipeline("exit", Fit("Environment.Exit(3);"));

        var build = project.Build();

        Assert.Matches(@"Analysis\.csproj\(\d+,\d+\): error DAG021: Task 'Fit' failed after \d+\.\d\d s: its code called Environment.Exit\(3\), which ended its worker process", build.FailedWith("DAG021"));
        AssertFailedAlone(project, build);
        Assert.Equal(["ran", "failed", "not-run"], build.Report!.Tasks.Select(t => t.Status));
    }

    [Fact]
    public void A_leftover_that_takes_the_worker_down_after_Run_returned_fails_its_own_task_and_the_build()
    {
        var project = Pipeline("finalizer", Fit("_ = new Leftover();", """
            private sealed class Leftover
            {
                ~Leftover() => throw new InvalidOperationException("finalizer failed");
            }
            """));

        var build = project.Build();

        var error = build.FailedWith("DAG021");
        Assert.Contains("Task 'Fit' failed after", error);
        Assert.Contains("Run() returned, but then an unhandled exception on thread", error);
        Assert.Contains("System.InvalidOperationException: finalizer failed", error);
        Assert.False(project.FileExists("obj/dag/stamps/Fit.stamp"));
        Assert.Equal("failed", build.Statuses["Fit"]);
    }

    [Fact]
    public void Workers_kept_between_runs_as_a_watch_keeps_them_are_refilled_after_a_task_leaves_one_unclean_and_the_run_ends_cleanly()
    {
        // A handler left on a process-wide event holds the run's load context: its worker cannot serve again, and the
        // kept workers are refilled after the run.
        var project = projects.CreateProject("kept").Declare("""<DagTask Include="Fit" />""")
            .WriteFile("Fit.cs", Fit("AppDomain.CurrentDomain.ProcessExit += (_, _) => { };"));
        using var kept = new Dagdog.Running.KeptExecutors();

        var first = project.RunAsWatchCycle(kept);
        project.WriteFile("Fit.cs", Fit("AppDomain.CurrentDomain.ProcessExit += (_, _) => { }; Console.WriteLine(2);"));
        var second = project.RunAsWatchCycle(kept);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(["Fit"], first.Ran);
        Assert.Equal(["Fit"], second.Ran);
        Assert.DoesNotContain("DAG030", first.Output + second.Output);
    }
}
