namespace Dagdog.Build.Tests;

/// <summary>
/// DagExecutor=slurm against a real two-node cluster (one CPU each): tasks run as job steps, in parallel on both nodes,
/// a worker serves further tasks of its shape and is released when idle, resources reach the allocation, and every
/// failure says what Slurm said; no job of a build is left in the queue.
/// </summary>
public class SlurmSpecs(BuildProjects projects, SlurmCluster cluster) : IClassFixture<BuildProjects>, IClassFixture<SlurmCluster>
{
    private const string Slurm = "-p:DagExecutor=slurm";

    // A task that records where it ran: its job, its node, and when, in out/<Task>.txt.
    private static string Records(string name, string then = "", string members = "") => $$"""
        public class {{name}}
        {
            public void Run()
            {
                var start = DateTime.UtcNow.ToString("O");
                {{then}}
                Directory.CreateDirectory("out");
                File.WriteAllText("out/{{name}}.txt", $"{Environment.GetEnvironmentVariable("SLURM_JOB_ID")} {Environment.GetEnvironmentVariable("SLURMD_NODENAME")} {start} {DateTime.UtcNow:O}");
            }
            {{members}}
        }
        """;

    // A task that says it started, then runs until the other has started too (at most 30 s), and half a second more:
    // two tasks that should run at once are seen to, however long a worker takes to start on a loaded machine.
    private static string Meets(string self, string other) => $$"""
        File.WriteAllText("started-{{self}}.txt", "");
        for (var tries = 0; tries < 3000 && !File.Exists("started-{{other}}.txt"); tries++) Thread.Sleep(10);
        Thread.Sleep(500);
        """;

    // What a Slurm command prints (a task on a node of the test cluster asks it).
    private const string SlurmSays = """
        private static string SlurmSays(string command, params string[] arguments)
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output.Trim();
        }
        """;

    private static (string Job, string Node, DateTime Start, DateTime End) Where(BuildProject project, string task) =>
        project.ReadFile($"out/{task}.txt").Split(' ') is [var job, var node, var start, var end]
            ? (job, node, DateTime.Parse(start, null, System.Globalization.DateTimeStyles.RoundtripKind), DateTime.Parse(end, null, System.Globalization.DateTimeStyles.RoundtripKind))
            : throw new InvalidOperationException(project.ReadFile($"out/{task}.txt"));

    [Fact]
    public void Independent_tasks_run_as_job_steps_on_both_nodes_at_once_and_their_downstream_reuses_a_worker()
    {
        cluster.EnsureUp();
        var project = projects.CreateProject("slurm")
            .Declare("""
                <DagTask Include="Left" Outputs="out/Left.txt" />
                <DagTask Include="Right" Outputs="out/Right.txt" />
                <DagTask Include="Join" DependsOn="Left;Right" Outputs="out/Join.txt" />
                """)
            .WriteFile("Left.cs", Records("Left", Meets("Left", "Right")))
            .WriteFile("Right.cs", Records("Right", Meets("Right", "Left")))
            .WriteFile("Join.cs", Records("Join"));

        var build = project.Build(Slurm, "-p:DagJobs=2").Succeeded();

        var (left, right, join) = (Where(project, "Left"), Where(project, "Right"), Where(project, "Join"));
        Assert.NotEqual("", left.Job);
        Assert.Equal(["n1", "n2"], new[] { left.Node, right.Node }.Order());
        Assert.True(left.Start < right.End && right.Start < left.End, "Left and Right should have run at the same time.");
        Assert.Contains(join.Job, new[] { left.Job, right.Job });
        Assert.True(cluster.QueueEmpties(TimeSpan.FromSeconds(10)), $"Jobs left in the queue: {string.Join(", ", cluster.QueuedJobs())}");

        // Downstream skipping and early cutoff work as locally.
        Assert.Empty(project.Build(Slurm).Succeeded().Ran);
        Assert.Equal(3, build.Report!.Tasks.Count(t => t.Status == "ran"));
    }

    [Fact]
    public void A_task_whose_job_waits_in_the_queue_says_so_with_Slurm_s_reason_then_takes_the_first_worker_that_is_free()
    {
        cluster.EnsureUp();
        var project = projects.CreateProject("queued")
            .Declare("""
                <DagTask Include="A" />
                <DagTask Include="B" />
                <DagTask Include="C" />
                """)
            .AddTask("A", "Thread.Sleep(1500);").AddTask("B", "Thread.Sleep(1500);").AddTask("C", "Thread.Sleep(1500);");

        // Two nodes of one CPU: the third job has to wait.
        var build = project.Build(Slurm, "-p:DagJobs=3").Succeeded();

        Assert.Matches(@"Dag: [ABC] queued \(Slurm job \d+: (Resources|Priority)\)", build.Output);
        Assert.Equal(["A", "B", "C"], project.Ran.Order());
        Assert.True(cluster.QueueEmpties(TimeSpan.FromSeconds(10)), $"Jobs left in the queue: {string.Join(", ", cluster.QueuedJobs())}");
    }

    [Fact]
    public void Memory_Jobs_and_Timeout_are_in_the_job_s_allocation()
    {
        cluster.EnsureUp();
        var project = projects.CreateProject("resources")
            .Declare("""<DagTask Include="Fit" Jobs="1" Memory="300MB" Timeout="00:09:30" />""")
            .WriteFile("Fit.cs", """
                using System.Diagnostics;
                public class Fit
                {
                    public void Run()
                    {
                        var show = Process.Start(new ProcessStartInfo("scontrol", $"show job {Environment.GetEnvironmentVariable("SLURM_JOB_ID")}") { RedirectStandardOutput = true })!;
                        File.WriteAllText("job.txt", show.StandardOutput.ReadToEnd());
                        show.WaitForExit();
                    }
                }
                """);

        project.Build(Slurm).Succeeded();

        var job = project.ReadFile("job.txt");
        Assert.Contains("NumCPUs=1", job);
        Assert.Contains("MinMemoryNode=300M", job);
        Assert.Contains("TimeLimit=00:10:00", job);
    }

    [Fact]
    public void A_bad_partition_fails_the_build_with_Slurm_s_reason_before_any_job()
    {
        cluster.EnsureUp();
        var project = projects.CreateProject("partition").Declare("""<DagTask Include="Fit" />""").AddTask("Fit");

        var error = project.Build(Slurm, "-p:DagSlurmPartition=nowhere").FailedWith("DAG041");

        Assert.Contains("--partition=nowhere", error);
        Assert.Contains("Invalid partition name specified", error);
        Assert.Empty(project.Ran);
    }

    [Fact]
    public void A_task_that_throws_and_one_Slurm_cancels_fail_with_their_errors_and_keep_going_runs_the_rest()
    {
        cluster.EnsureUp();
        var project = projects.CreateProject("failures")
            .Declare("""
                <DagTask Include="Throws" />
                <DagTask Include="Cancelled" />
                <DagTask Include="Fine" />
                """)
            .AddTask("Throws", """throw new InvalidDataException("bad data");""")
            .AddTask("Cancelled", """System.Diagnostics.Process.Start("scancel", Environment.GetEnvironmentVariable("SLURM_JOB_ID")!)!.WaitForExit(); Thread.Sleep(30_000);""")
            .AddTask("Fine");

        var build = project.Build(Slurm, "-p:DagKeepGoing=true", "-p:DagJobs=2");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains(build.Errors, e => e.Contains("error DAG010: Task 'Throws' failed") && e.Contains("bad data"));
        Assert.Contains(build.Errors, e => e.Contains("error DAG021: Task 'Cancelled' failed") && e.Contains("its Slurm job") && e.Contains("was cancelled (CANCELLED)"));
        Assert.Contains("Fine", project.Ran);
        Assert.True(cluster.QueueEmpties(TimeSpan.FromSeconds(10)), $"Jobs left in the queue: {string.Join(", ", cluster.QueuedJobs())}");
    }

    [Fact]
    public void A_Timeout_and_Ctrl_C_leave_no_job_in_the_queue()
    {
        cluster.EnsureUp();
        var project = projects.CreateProject("stop")
            .Declare("""<DagTask Include="Slow" Timeout="00:00:02" />""")
            .AddTask("Slow", "Thread.Sleep(60_000);");

        Assert.Contains("Task 'Slow' ran longer than its Timeout", project.Build(Slurm).FailedWith("DAG022"));
        Assert.True(cluster.QueueEmpties(TimeSpan.FromSeconds(10)), $"Jobs left after the timeout: {string.Join(", ", cluster.QueuedJobs())}");

        // A project of its own: the interrupt waits for a line that the build above printed too.
        var endless = projects.CreateProject("ctrlc").Declare("""<DagTask Include="Slow" />""").AddTask("Slow", """Console.WriteLine("sleeping"); Thread.Sleep(60_000);""");
        var interrupted = endless.BuildAndInterrupt("Slow: sleeping", Slurm);
        Assert.True(interrupted.Output.Contains("error DAG023: Task 'Slow' was interrupted"), interrupted.Output);
        Assert.True(cluster.QueueEmpties(TimeSpan.FromSeconds(10)), $"Jobs left after Ctrl+C: {string.Join(", ", cluster.QueuedJobs())}");
    }

    [Fact]
    public void Ctrl_C_with_a_job_queued_interrupts_the_running_tasks_and_the_queued_one_is_not_run()
    {
        cluster.EnsureUp();
        var project = projects.CreateProject("ctrlc-queued")
            .Declare("""
                <DagTask Include="A" />
                <DagTask Include="B" />
                <DagTask Include="C" />
                """)
            .AddTask("A", "Thread.Sleep(60_000);").AddTask("B", "Thread.Sleep(60_000);").AddTask("C", "Thread.Sleep(60_000);");

        // Two nodes of one CPU: the third job waits in the queue when Ctrl+C comes.
        var build = project.BuildAndInterrupt(" queued (Slurm job ", Slurm, "-p:DagJobs=3");

        var statuses = build.Report!.Tasks.Select(t => (t.Status, t.Reason)).ToList();
        Assert.Equal(2, statuses.Count(s => s.Status == "interrupted"));
        Assert.Equal(("not-run", "interrupted before its Slurm job started"), Assert.Single(statuses, s => s.Status != "interrupted"));
        Assert.All(build.Errors, e => Assert.Contains("error DAG023:", e));
        Assert.Contains("Dag: 2 interrupted, 1 not run in", build.Output);
        Assert.NotEqual(0, build.ExitCode);
        Assert.True(cluster.QueueEmpties(TimeSpan.FromSeconds(10)), $"Jobs left after Ctrl+C: {string.Join(", ", cluster.QueuedJobs())}");
    }

    [Fact]
    public async Task A_node_lost_under_a_running_task_fails_it_naming_the_node_and_Slurm_s_state_and_the_next_build_succeeds()
    {
        cluster.EnsureUp();
        var project = projects.CreateProject("lostnode")
            .Declare("""<DagTask Include="Long" Outputs="out/Long.txt" />""")
            .AddTask("Long", """
                if (!File.Exists("lost-once.txt"))
                {
                    File.WriteAllText("lost-once.txt", Environment.GetEnvironmentVariable("SLURMD_NODENAME"));
                    Console.WriteLine("running on my node");
                    Thread.Sleep(60_000);
                }
                Directory.CreateDirectory("out");
                File.WriteAllText("out/Long.txt", "done");
                """);

        var build = System.Threading.Tasks.Task.Run(() => project.Build(Slurm));
        Assert.True(SpinWait.SpinUntil(() => project.FileExists("lost-once.txt") && project.ReadFile("lost-once.txt").Length > 0, TimeSpan.FromSeconds(60)));
        var node = project.ReadFile("lost-once.txt");
        cluster.SetDown(node);
        var lost = await build.WaitAsync(TimeSpan.FromSeconds(30));

        var error = lost.FailedWith("DAG021");
        Assert.Contains($"Task 'Long' failed after", error);
        Assert.Contains($"Slurm lost {node} under it (job ", error);
        Assert.Contains("NODE_FAIL", error);
        Assert.Equal("failed", lost.Statuses["Long"]);

        Assert.True(cluster.NodesIdle(TimeSpan.FromSeconds(60)), "The node did not come back.");
        project.Build(Slurm).Succeeded();
        Assert.Equal("done", project.ReadFile("out/Long.txt"));
    }

    // Each refused option is a core spec (ExecutorSpecs); here, that the build stops on one before any job.
    [Fact]
    public void DagSlurmArgs_that_would_take_the_worker_s_streams_are_refused_before_any_job()
    {
        cluster.EnsureUp();
        var project = projects.CreateProject("refused").Declare("""<DagTask Include="Fit" />""").AddTask("Fit");

        var error = project.Build(Slurm, "-p:DagSlurmArgs=--output=/dev/null").FailedWith("DAG027");

        Assert.Contains("DagSlurmArgs may not hold --output: it sends the worker's standard output, which carries Dagdog's messages, elsewhere", error);
        Assert.Empty(project.Ran);
    }

    [Fact]
    public void An_option_srun_refuses_is_one_error_for_the_build_in_srun_s_words_before_any_job()
    {
        cluster.EnsureUp();
        var project = projects.CreateProject("srun-refuses")
            .Declare("""
                <DagTask Include="A" />
                <DagTask Include="B" />
                """)
            .AddTasks("A", "B");

        var build = project.Build(Slurm, "-p:DagSlurmArgs=--nosuchoption", "-p:DagJobs=2");
        var error = build.FailedWith("DAG041");

        Assert.Contains("unrecognized option '--nosuchoption'", error);
        Assert.Empty(project.Ran);
        Assert.DoesNotContain("Dag: [1/", build.Output);
    }

    [Fact]
    public void Early_cutoff_and_the_shared_cache_work_as_locally()
    {
        cluster.EnsureUp();
        var store = System.IO.Directory.CreateDirectory(Path.Combine(projects.Root, $"cache-{Guid.NewGuid():N}")).FullName;
        BuildProject Clone(string name) => projects.CreateProject(name)
            .Declare("""
                <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
                <DagTask Include="Fit" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/model.txt" />
                """)
            .WriteFile("data/raw.csv", "x,y\n1,2\n")
            .AddTask("Load", """Directory.CreateDirectory("out"); File.WriteAllText("out/raw.txt", File.ReadAllText("data/raw.csv").Trim());""")
            .AddTask("Fit", """File.WriteAllText("out/model.txt", $"rows {File.ReadAllLines("out/raw.txt").Length}");""");
        var first = Clone("cutoff");
        first.Build(Slurm, $"-p:DagCache={store}").Succeeded();

        // New bytes that Load trims away: Load runs, writes what it wrote before, and Fit stays up to date.
        first.WriteFile("data/raw.csv", "x,y\n1,2\n\n");
        Assert.Equal(["Load"], first.Build(Slurm).Succeeded().Ran);

        var second = Clone("restored").Build(Slurm, $"-p:DagCache={store}").Succeeded();
        Assert.Empty(second.Ran);
        Assert.Contains("Dag: cache: 2 restored, 0 missed", second.Output);
    }

    [Fact]
    public void A_worker_serves_the_next_task_of_its_shape_and_is_released_once_idle_for_DagSlurmIdle()
    {
        cluster.EnsureUp();
        // First and Last have one shape; Middle, which asks for memory, another, and takes a while.
        var project = projects.CreateProject("idle")
            .Declare("""
                <DagTask Include="First" Outputs="out/First.txt" />
                <DagTask Include="Middle" DependsOn="First" Memory="300MB" Outputs="out/Middle.txt" />
                <DagTask Include="Last" DependsOn="Middle" Outputs="out/Last.txt" />
                """)
            .WriteFile("First.cs", Records("First"))
            .WriteFile("Middle.cs", Records("Middle", """
                // In the second build, Middle runs until First's worker is let go, so Last cannot have it.
                if (File.Exists("wait-for-release.txt"))
                {
                    var first = File.ReadAllText("out/First.txt").Split(' ')[0];
                    for (var tries = 0; tries < 300 && SlurmSays("squeue", "-h", "-j", first).Length > 0; tries++) Thread.Sleep(100);
                }
                """, SlurmSays))
            .WriteFile("Last.cs", Records("Last"));

        project.Build(Slurm).Succeeded();
        Assert.Equal(Where(project, "First").Job, Where(project, "Last").Job);

        project.WriteFile("wait-for-release.txt", "");
        project.Build(Slurm, "-p:DagForce=true", "-p:DagSlurmIdle=00:00:01").Succeeded();
        Assert.NotEqual(Where(project, "First").Job, Where(project, "Last").Job);
        Assert.NotEqual(Where(project, "Middle").Job, Where(project, "Last").Job);
    }
}
