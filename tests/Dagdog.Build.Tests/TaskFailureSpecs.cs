namespace Dagdog.Build.Tests;

/// <summary>A task that throws stops its downstream, stays stale, loses nothing and fails the build.</summary>
public class TaskFailureSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private const string Throwing = """throw new InvalidOperationException("no convergence after 100 iterations");""";

    private BuildProject Pipeline(string fitBody) => projects.CreateProject("failing")
        .Declare("""
            <DagTask Include="Load" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Load" Outputs="out/model.txt" />
            <DagTask Include="Plot" DependsOn="Load" />
            <DagTask Include="Report" DependsOn="Fit;Plot" />
            """)
        .AddTask("Load", """Directory.CreateDirectory("out"); File.WriteAllText("out/raw.txt", "raw");""")
        .AddTask("Fit", fitBody)
        .AddTasks("Plot", "Report");

    [Fact]
    public void The_error_points_at_the_throwing_line_with_the_exception_type_and_message()
    {
        var build = Pipeline(Throwing).Build();

        var error = build.FailedWith("DAG010");
        Assert.Matches(@"Fit\.cs\(8,9\): error DAG010: Task 'Fit' failed after \d+\.\d\d s: System\.InvalidOperationException: no convergence after 100 iterations", error);
    }

    [Fact]
    public void Downstream_tasks_do_not_run_and_the_build_exits_non_zero()
    {
        var build = Pipeline(Throwing).Build();

        Assert.NotEqual(0, build.ExitCode);
        Assert.Equal(["Load", "Fit"], build.Ran);
    }

    [Fact]
    public void The_stack_trace_is_shown_at_normal_verbosity()
    {
        var build = Pipeline(Throwing).Build("-v:n");

        Assert.Contains("Dag: Fit stack trace:", build.Output);
        Assert.Contains("at Analysis.Fit.Run()", build.Output);
    }

    [Fact]
    public void A_failed_task_runs_again_next_time_and_up_to_date_upstream_does_not()
    {
        var project = Pipeline(Throwing);
        project.Build();

        var again = project.Build();

        Assert.Equal(["Fit"], again.Ran);
        again.FailedWith("DAG010");
    }

    [Fact]
    public void A_task_that_fails_after_succeeding_before_stays_stale_and_loses_no_output()
    {
        var project = Pipeline("""File.WriteAllText("out/model.txt", "model 1");""");
        project.Build().Succeeded();

        project.AddTask("Fit", Throwing);
        project.Build().FailedWith("DAG010");

        Assert.Equal("raw", project.ReadFile("out/raw.txt"));
        Assert.Equal("model 1", project.ReadFile("out/model.txt"));
        Assert.False(project.FileExists("obj/dag/stamps/Fit.stamp"));
        Assert.True(project.FileExists("obj/dag/stamps/Load.stamp"));

        project.AddTask("Fit", """File.WriteAllText("out/model.txt", "model 2");""");
        Assert.Equal(["Fit", "Report"], project.Build().Succeeded().Ran);
    }

    [Fact]
    public void The_error_names_the_inner_exceptions_that_caused_it()
    {
        var project = projects.CreateProject("inner")
            .Declare("""<DagTask Include="Fit" />""")
            .AddTask("Fit", """throw new InvalidOperationException("model failed", new FileNotFoundException("data/raw.csv is missing"));""");

        var error = project.Build().FailedWith("DAG010");

        Assert.Contains("System.InvalidOperationException: model failed ---> System.IO.FileNotFoundException: data/raw.csv is missing", error);
    }

    [Fact]
    public void An_async_task_that_throws_is_reported_at_its_own_line()
    {
        var project = projects.CreateProject("async-failing")
            .Declare("""<DagTask Include="Fit" />""")
            .WriteFile("Fit.cs", """
                public class Fit
                {
                    public async Task Run()
                    {
                        await Task.Yield();
                        throw new ArgumentException("bad column");
                    }
                }
                """);

        Assert.Matches(@"Fit\.cs\(6,\d+\): error DAG010: .*System\.ArgumentException: bad column", project.Build().FailedWith("DAG010"));
    }
}
