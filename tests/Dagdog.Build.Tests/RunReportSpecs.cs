namespace Dagdog.Build.Tests;

/// <summary>
/// obj/dag/last-run.json, which every build that gives a task a turn writes for scripts and CI: the selection, its
/// times and jobs, and each task's status, reason, start, duration, worker and output version.
/// </summary>
public class RunReportSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    // Load -> Clean -> Fit -> Report, and Plot beside them.
    private BuildProject Pipeline(string fitBody = "") => projects.CreateProject("report")
        .Declare("""
            <DagTask Include="Load" Outputs="out/raw.txt" />
            <DagTask Include="Clean" DependsOn="Load" Outputs="out/clean.txt" />
            <DagTask Include="Fit" DependsOn="Clean" />
            <DagTask Include="Report" DependsOn="Fit" />
            <DagTask Include="Plot" />
            """)
        .AddTask("Load", """Directory.CreateDirectory("out"); File.WriteAllText("out/raw.txt", "raw");""")
        .AddTask("Clean", """File.WriteAllText("out/clean.txt", "clean");""")
        .AddTask("Fit", fitBody)
        .AddTasks("Report", "Plot");

    [Fact]
    public void A_run_reports_the_selection_and_each_task_that_ran_with_its_reason_start_duration_worker_and_output_version()
    {
        var before = DateTime.UtcNow;

        var report = Pipeline().Build("-p:Dag=+Report").Succeeded().Report!;

        Assert.Equal(1, report.Format);
        Assert.Equal("+Report", report.Selection);
        Assert.Equal(1, report.Jobs);
        Assert.True(report.StartedUtc >= before.AddSeconds(-1) && report.FinishedUtc >= report.StartedUtc);
        Assert.Equal(["Load", "Clean", "Fit", "Report"], report.Tasks.Select(t => t.Name));
        var load = report.Tasks[0];
        Assert.Equal(("ran", "never ran", 0), (load.Status, load.Reason, load.Index));
        Assert.True(load.StartedUtc >= report.StartedUtc && load.Seconds >= 0 && load.Worker > 0);
        Assert.Matches("^[0-9a-f]{32}$", load.OutputVersion);
        Assert.StartsWith("run ", report.Tasks[2].OutputVersion);
    }

    [Fact]
    public void Tasks_up_to_date_failed_and_not_run_say_so_and_why()
    {
        var project = Pipeline("""throw new InvalidOperationException("no fit");""");
        project.Build("-p:Dag=Load").Succeeded();
        project.Build("-p:Dag=Plot").Succeeded();

        var tasks = project.Build().Report!.Tasks.ToDictionary(t => t.Name);

        Assert.Equal(("up-to-date", null), (tasks["Load"].Status, tasks["Load"].Reason));
        Assert.Null(tasks["Load"].StartedUtc);
        Assert.Equal("ran", tasks["Clean"].Status);
        Assert.Equal("failed", tasks["Fit"].Status);
        Assert.StartsWith("DAG010: Task 'Fit' failed after", tasks["Fit"].Error);
        Assert.Equal(("not-run", "upstream Fit failed"), (tasks["Report"].Status, tasks["Report"].Reason));
        Assert.Equal("up-to-date", tasks["Plot"].Status);
    }

    [Fact]
    public void A_task_restored_from_the_cache_is_reported_restored()
    {
        var store = Path.Combine(projects.Root, $"cache-{Guid.NewGuid():N}");
        Pipeline().Build($"-p:DagCache={store}").Succeeded();

        var tasks = Pipeline().Build($"-p:DagCache={store}").Succeeded().Report!.Tasks.ToDictionary(t => t.Name);

        Assert.Equal(("restored", "never ran"), (tasks["Load"].Status, tasks["Load"].Reason));
        Assert.Null(tasks["Load"].Worker);
        Assert.Equal("ran", tasks["Fit"].Status);
    }

    [Fact]
    public void An_interrupted_task_is_reported_interrupted_and_the_tasks_after_it_not_run()
    {
        var project = Pipeline("""Console.WriteLine("fitting forever"); while (true) { }""");

        var build = project.BuildAndInterrupt("Fit: fitting forever");

        var tasks = build.Report!.Tasks.ToDictionary(t => t.Name);
        Assert.Equal("interrupted", tasks["Fit"].Status);
        Assert.StartsWith("DAG023: Task 'Fit' was interrupted after", tasks["Fit"].Error);
        Assert.Equal(("not-run", "upstream Fit was interrupted"), (tasks["Report"].Status, tasks["Report"].Reason));
        Assert.NotEqual(0, build.ExitCode);
    }

    [Fact]
    public void A_build_with_nothing_to_run_gives_no_turn_and_leaves_the_last_report()
    {
        var project = Pipeline();
        var first = project.Build().Succeeded().Report!;

        var second = project.Build().Succeeded();

        Assert.Contains("Dag: nothing to run", second.Output);
        Assert.Equal(first.StartedUtc, second.Report!.StartedUtc);
    }

    [Fact]
    public void A_summary_that_names_only_the_first_failures_sends_the_user_to_the_report_where_DagStateDirectory_puts_it()
    {
        // 101 failed instances: the summary names 100 of them.
        var parts = string.Concat(Enumerable.Range(0, 101).Select(i => $"<Part Include=\"p{i}\" />\n"));
        var project = projects.CreateProject("many-failures")
            .Declare($"<DagTask Include=\"Work\" ForEachItem=\"Part\" />\n{parts}")
            .WriteFile("Work.cs", """public class Work { public void Run(string part) => throw new InvalidOperationException("no " + part); }""");

        var build = project.Build("-p:DagKeepGoing=true", $"-p:DagStateDirectory={project.PathOf("state/")}");

        Assert.NotEqual(0, build.ExitCode);
        Assert.True(build.Output.Contains("Dag:   ... and 1 more that failed or did not run (state/last-run.json lists them all)"), build.Output);
        Assert.True(File.Exists(project.PathOf("state/last-run.json")));
    }
}
