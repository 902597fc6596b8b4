namespace Dagdog.EndToEnd;

/// <summary>
/// Each Run() executes in a worker process: whatever a task does to its process fails that task alone, as a task,
/// with its downstream left out, and never reaches MSBuild or the next task.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class WorkerSpecs(SdkFeed feed)
{
    // Load -> Fit -> Report, where Fit misbehaves.
    private DagProject Pipeline(string name, string fitClass) => feed.CreateProject(name)
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

    private static void AssertFailedAlone(DagProject project, BuildResult build)
    {
        Assert.NotEqual(0, build.ExitCode);
        Assert.Equal(["Load", "Fit"], build.Ran);
        Assert.Contains("Dag:   Report: not run: upstream Fit failed", build.Output);
        Assert.False(project.FileExists("obj/dag/stamps/Fit.stamp"));
        Assert.True(project.FileExists("obj/dag/stamps/Fit.failed"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_task_that_calls_Environment_Exit_fails_with_its_exit_code_and_the_build_exits_non_zero(int code)
    {
        var project = Pipeline($"exit{code}", Fit($"Environment.Exit({code});"));

        var build = project.Build();

        var error = build.FailedWith("DAG021");
        Assert.Matches($@"Analysis\.csproj\(\d+,\d+\): error DAG021: Task 'Fit' failed after \d+\.\d\d s: it ended its process with exit code {code}", error);
        AssertFailedAlone(project, build);
    }

    [Fact]
    public void A_thread_that_throws_after_Run_returned_fails_its_own_task_and_not_a_later_one()
    {
        var project = Pipeline("late", Fit("""
            new Thread(() => { Thread.Sleep(300); throw new InvalidOperationException("late failure"); }) { Name = "Fitter" }.Start();
            """));

        var build = project.Build();

        var error = build.FailedWith("DAG021");
        Assert.Contains("Task 'Fit' failed after", error);
        Assert.Contains("Run() returned, but then an unhandled exception on thread 'Fitter'", error);
        Assert.Contains("System.InvalidOperationException: late failure", error);
        AssertFailedAlone(project, build);
    }

    [Fact]
    public void A_finalizer_that_throws_after_Run_returned_fails_its_own_task_and_the_build()
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
        Assert.DoesNotContain("Task 'Report' failed", build.Output);
    }

    [Fact]
    public void An_unhandled_exception_on_another_thread_during_Run_fails_the_task()
    {
        var project = Pipeline("crash", Fit("""
            new Thread(() => throw new InvalidOperationException("worker thread failed")) { Name = "Loader" }.Start();
            Thread.Sleep(5000);
            """));

        var build = project.Build();

        Assert.Matches(@"an unhandled exception on thread 'Loader' \(managed thread \d+\) ended its process: System\.InvalidOperationException: worker thread failed", build.FailedWith("DAG021"));
        AssertFailedAlone(project, build);
    }

    [Fact]
    public void A_stack_overflow_fails_the_task_and_says_so()
    {
        var project = Pipeline("overflow", Fit("Console.WriteLine(Depth(0));", "private static int Depth(int n) => Depth(n + 1) + 1;"));

        var build = project.Build();

        Assert.Contains("its stack overflowed", build.FailedWith("DAG021"));
        AssertFailedAlone(project, build);
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
    public void Run_with_a_cancellation_token_runs()
    {
        var project = Pipeline("token", """
            public class Fit
            {
                public async Task Run(CancellationToken cancellation)
                {
                    await Task.Delay(10, cancellation);
                    File.AppendAllText("ran.txt", "Fit\n");
                }
            }
            """);

        Assert.Equal(["Load", "Fit", "Report"], project.Build().Succeeded().Ran);
    }

    // Each task writes its process id and what it sees of the process-wide state to seen-<task>.txt.
    private const string Observe = """
        File.WriteAllText($"seen-{GetType().Name}.txt", string.Join("\n",
            Environment.ProcessId,
            Environment.GetEnvironmentVariable("DAGDOG_LEAK") ?? "no variable",
            AppDomain.CurrentDomain.GetData("leak") ?? "no data",
            System.Globalization.CultureInfo.DefaultThreadCurrentCulture?.Name ?? "no default culture",
            System.Globalization.CultureInfo.CurrentCulture.Name));
        """;

    private DagProject Leaking(string name, string leak) => feed.CreateProject(name)
        .Declare("""
            <DagTask Include="First" />
            <DagTask Include="Second" DependsOn="First" />
            """)
        .AddTask("First", Observe + leak)
        .AddTask("Second", Observe);

    [Fact]
    public void Environment_variables_and_cultures_a_task_sets_are_put_back_before_the_next_task_in_the_same_worker()
    {
        var project = Leaking("env", """
            Environment.SetEnvironmentVariable("DAGDOG_LEAK", "leaked");
            System.Globalization.CultureInfo.DefaultThreadCurrentCulture = new System.Globalization.CultureInfo("de-DE");
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            """);

        project.Build().Succeeded();

        var first = project.ReadFile("seen-First.txt").Split('\n');
        var second = project.ReadFile("seen-Second.txt").Split('\n');
        Assert.Equal(first[0], second[0]);
        Assert.Equal(first[1..], second[1..]);
        Assert.Equal("no variable", second[1]);
        Assert.Equal("no default culture", second[3]);
    }

    [Theory]
    [InlineData("AppDomain.CurrentDomain.SetData(\"leak\", \"leaked\");")]
    [InlineData("new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = true }.Start();")]
    [InlineData("AppDomain.CurrentDomain.ProcessExit += (_, _) => { };")]
    public void A_task_that_leaves_something_behind_in_its_worker_is_followed_by_a_fresh_worker(string leak)
    {
        var project = Leaking("leak", leak);

        project.Build().Succeeded();

        var first = project.ReadFile("seen-First.txt").Split('\n');
        var second = project.ReadFile("seen-Second.txt").Split('\n');
        Assert.NotEqual(first[0], second[0]);
        Assert.Equal("no data", second[2]);
    }
}
