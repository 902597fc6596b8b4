using System.Diagnostics;
using Dagdog.Running;

namespace Dagdog.Tests;

/// <summary>
/// Each Run() executes in a worker process: whatever a task does to its process ends that run alone, and the build
/// hears how (an exit code, a signal, the exception and its thread, a stack overflow), never the next task.
/// </summary>
public class WorkerProcessSpecs
{
    private static TaskProject Fit(string body, string more = "") => new(("Fit.cs", $$"""
        public class Fit
        {
            public void Run()
            {
                {{body}}
            }
            {{more}}
        }
        """));

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task A_task_that_calls_Environment_Exit_ends_its_run_with_its_exit_code(int code)
    {
        using var project = Fit($"Environment.Exit({code});");

        var (execution, _) = await project.Run("Fit");

        Assert.Equal($"its code called Environment.Exit({code}), which ended its worker process", Assert.IsType<Execution.Died>(execution).How);
    }

    // A worker that ends without answering fails its run at once, with what ended it; the build never waits on it.
    // (It takes about half a second; the bound leaves room for a loaded machine, and a worker the build waited on never ends.)
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_worker_killed_before_it_answers_fails_its_run_at_once_naming_the_signal()
    {
        using var project = Fit("""Console.WriteLine("fitting"); Thread.Sleep(Timeout.Infinite);""");
        var running = project.Run("Fit");
        await project.OutputSeen("fitting");

        var clock = Stopwatch.StartNew();
        Process.GetProcessById(Assert.Single(project.WorkersStarted)).Kill();
        var (execution, _) = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("its process was killed by signal 9 (SIGKILL)", Assert.IsType<Execution.Died>(execution).How);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_worker_whose_message_stream_closes_while_its_process_runs_on_fails_its_run_at_once_and_is_stopped()
    {
        // The task closes the worker's message stream, then runs on: every descriptor of the pipe the worker copied its
        // standard output to, right after it copied its standard input (a read end and a write end of two pipes, side by side).
        using var project = Fit("""
            string Pipe(int fd) => new FileInfo($"/proc/self/fd/{fd}").LinkTarget ?? "";
            int Access(int fd) => Convert.ToInt32(File.ReadLines($"/proc/self/fdinfo/{fd}").First(l => l.StartsWith("flags:"))[6..].Trim(), 8) & 3;
            var open = Directory.GetFiles("/proc/self/fd").Select(f => int.Parse(Path.GetFileName(f))).Where(fd => fd > 2).Order().ToList();
            var requests = open.First(fd => open.Contains(fd + 1) && Pipe(fd).StartsWith("pipe:") && Pipe(fd + 1).StartsWith("pipe:")
                                            && Pipe(fd) != Pipe(fd + 1) && Access(fd) == 0 && Access(fd + 1) == 1);
            foreach (var fd in open.Where(fd => Pipe(fd) == Pipe(requests + 1)).ToList()) close(fd);
            Console.WriteLine("closed");
            Thread.Sleep(Timeout.Infinite);
            """, """[System.Runtime.InteropServices.DllImport("libc")] private static extern int close(int fd);""");

        var running = project.Run("Fit");
        await project.OutputSeen("closed");
        var clock = Stopwatch.StartNew();
        var (execution, _) = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("its worker process closed its message stream before Run() returned, and was stopped", Assert.IsType<Execution.Died>(execution).How);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
        Assert.True(WorkerEnded(Assert.Single(project.WorkersStarted)), "The worker still runs.");
    }

    [Fact]
    public async Task A_worker_that_exits_early_with_code_0_but_not_through_Environment_Exit_says_so()
    {
        using var project = Fit("_exit(0);", """[System.Runtime.InteropServices.DllImport("libc")] private static extern void _exit(int code);""");

        var (execution, _) = await project.Run("Fit");

        Assert.Equal("its worker process ended with exit code 0 before Run() returned", Assert.IsType<Execution.Died>(execution).How);
    }

    private static bool WorkerEnded(int id)
    {
        try
        {
            using var process = Process.GetProcessById(id);
            return process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    [Fact]
    public async Task A_thread_that_throws_after_Run_returned_fails_its_own_run()
    {
        using var project = Fit("""new Thread(() => { Thread.Sleep(300); throw new InvalidOperationException("late failure"); }) { Name = "Fitter" }.Start();""");

        var (execution, _) = await project.Run("Fit");

        var died = Assert.IsType<Execution.Died>(execution);
        Assert.True(died.AfterRunReturned);
        Assert.StartsWith("an unhandled exception on thread 'Fitter' (managed thread ", died.How);
        Assert.Contains("System.InvalidOperationException: late failure", died.How);
    }

    // An object the task leaves behind, whose finalizer throws on the runtime's finalizer thread.
    private const string ThrowingFinalizer = """
        private sealed class Leftover
        {
            ~Leftover() => throw new InvalidOperationException("finalizer failed");
        }
        """;

    [Fact]
    public async Task A_finalizer_that_throws_after_the_run_was_settled_is_told_afterwards()
    {
        using var project = Fit("_ = new Leftover();", ThrowingFinalizer);

        var (execution, _) = await project.Run("Fit");
        project.EndWorkers();

        Assert.Null(Assert.IsType<Execution.Finished>(execution).Result.Error);
        var (task, how) = Assert.Single(project.EndedAfterwards);
        Assert.Equal("Fit", task);
        Assert.Contains("System.InvalidOperationException: finalizer failed", how);
    }

    [Fact]
    public async Task A_finalizer_that_throws_while_the_worker_proves_a_busy_run_clean_fails_it_as_after_Run_returned()
    {
        // The thread the task leaves (asleep for good, so however slow the machine it is still there) makes the worker
        // prove itself clean before it gives the outcome; the finalizer throws during that proof, after Run() returned.
        using var project = Fit("new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = true }.Start(); _ = new Leftover();", ThrowingFinalizer);

        var (execution, _) = await project.Run("Fit");

        var died = Assert.IsType<Execution.Died>(execution);
        Assert.True(died.AfterRunReturned, died.How);
        Assert.StartsWith("an unhandled exception on thread ", died.How);
        Assert.Contains("System.InvalidOperationException: finalizer failed", died.How);
    }

    [Fact]
    public async Task An_unhandled_exception_on_another_thread_during_Run_ends_the_run()
    {
        using var project = Fit("""
            new Thread(() => throw new InvalidOperationException("worker thread failed")) { Name = "Loader" }.Start();
            Thread.Sleep(5000);
            """);

        var (execution, _) = await project.Run("Fit");

        Assert.Matches(@"^an unhandled exception on thread 'Loader' \(managed thread \d+\) ended its process: System\.InvalidOperationException: worker thread failed",
            Assert.IsType<Execution.Died>(execution).How);
    }

    [Fact]
    public async Task A_stack_overflow_is_named_and_its_stack_is_the_task_s_output()
    {
        using var project = Fit("Console.WriteLine(Depth(0));", "private static int Depth(int n) => Depth(n + 1) + 1;");

        var (execution, output) = await project.Run("Fit");

        Assert.Equal("its stack overflowed (unbounded recursion?), which ended its process", Assert.IsType<Execution.Died>(execution).How);
        Assert.Contains("at Fit.Depth(Int32)", output);
    }

    [Fact]
    public async Task A_task_that_throws_is_a_finished_run_with_its_exception_and_the_line_in_the_user_s_code()
    {
        using var project = Fit("""throw new InvalidOperationException("no data");""");

        var (execution, _) = await project.Run("Fit");

        var result = Assert.IsType<Execution.Finished>(execution).Result;
        Assert.Equal("System.InvalidOperationException: no data", result.Error);
        Assert.Equal("/src/Fit.cs", result.File);
        Assert.Equal(5, result.Line);
    }

    [Fact]
    public async Task Run_with_a_cancellation_token_and_an_async_Run_run()
    {
        using var project = new TaskProject(("Fit.cs", """
            public class Fit
            {
                public async Task Run(CancellationToken cancellation)
                {
                    await Task.Delay(10, cancellation);
                    Console.WriteLine("fitted");
                }
            }
            """));

        var (execution, output) = await project.Run("Fit");

        Assert.Null(Assert.IsType<Execution.Finished>(execution).Result.Error);
        Assert.Equal("fitted\n", output);
    }

    [Fact]
    public async Task What_a_task_writes_to_its_output_and_error_comes_in_the_order_it_wrote_it()
    {
        using var project = Fit("""
            Console.WriteLine("one");
            Console.Error.WriteLine("two");
            Console.Write("three, unfinished");
            """);

        var (_, output) = await project.Run("Fit");

        Assert.Equal("one\ntwo\nthree, unfinished\n", output);
    }

    // Each task writes its process id and what it sees of the process-wide state.
    private const string Observe = """
        File.WriteAllText($"seen-{GetType().Name}.txt", string.Join("\n",
            Environment.ProcessId,
            Environment.GetEnvironmentVariable("DAGDOG_LEAK") ?? "no variable",
            AppDomain.CurrentDomain.GetData("leak") ?? "no data",
            System.Globalization.CultureInfo.DefaultThreadCurrentCulture?.Name ?? "no default culture",
            System.Globalization.CultureInfo.CurrentCulture.Name));
        """;

    private static TaskProject Leaking(string leak) => new(
        ("First.cs", $$"""public class First { public void Run() { {{Observe}} {{leak}} } }"""),
        ("Second.cs", $$"""public class Second { public void Run() { {{Observe}} } }"""));

    [Fact]
    public async Task Environment_variables_and_cultures_a_task_sets_are_put_back_before_the_next_task_in_the_same_worker()
    {
        using var project = Leaking("""
            Environment.SetEnvironmentVariable("DAGDOG_LEAK", "leaked");
            System.Globalization.CultureInfo.DefaultThreadCurrentCulture = new System.Globalization.CultureInfo("de-DE");
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            """);

        await project.Run("First");
        await project.Run("Second");

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
    public async Task A_task_that_leaves_something_behind_in_its_worker_is_followed_by_a_fresh_worker(string leak)
    {
        using var project = Leaking(leak);

        await project.Run("First");
        await project.Run("Second");

        var first = project.ReadFile("seen-First.txt").Split('\n');
        var second = project.ReadFile("seen-Second.txt").Split('\n');
        Assert.NotEqual(first[0], second[0]);
        Assert.Equal("no data", second[2]);
    }

    [Fact]
    public async Task A_worker_a_finished_run_left_unclean_ends_quietly_with_the_build_and_the_run_stands()
    {
        // A leftover that starts a thread once the run's outcome was given (here from a finalizer, run by the worker's
        // clean proof): the worker is not clean, serves no more runs, and ends when the build does.
        using var project = Fit("_ = new Leftover();", """
            private sealed class Leftover
            {
                ~Leftover() => new Thread(() => Thread.Sleep(Timeout.Infinite)).Start();
            }
            """);

        var (execution, _) = await project.Run("Fit");
        project.EndWorkers();

        Assert.Null(Assert.IsType<Execution.Finished>(execution).Result.Error);
        Assert.Empty(project.EndedAfterwards);
    }

    [Fact]
    public async Task A_task_past_its_Timeout_sees_its_token_cancelled_and_is_stopped_within_a_second_after()
    {
        using var project = new TaskProject(("Fit.cs", """
            public class Fit
            {
                public void Run(CancellationToken cancellation)
                {
                    while (!cancellation.IsCancellationRequested) Thread.Sleep(20);
                    File.WriteAllText("saw-cancellation.txt", "yes");
                    while (true) { }
                }
            }
            """));

        // The Timeout counts from the request, loading the task included: 3 s leave a loaded machine time to start it.
        var clock = Stopwatch.StartNew();
        var (execution, _) = await project.Run("Fit", timeout: TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), Assert.IsType<Execution.TimedOut>(execution).Limit);
        Assert.Equal("yes", project.ReadFile("saw-cancellation.txt"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task An_interrupt_stops_an_endless_task_within_about_a_second()
    {
        using var project = Fit("""Console.WriteLine("fitting forever"); while (true) { }""");
        using var interrupt = new CancellationTokenSource();

        var running = project.Run("Fit", interrupt: interrupt.Token);
        await project.OutputSeen("fitting forever");
        var clock = Stopwatch.StartNew();
        await interrupt.CancelAsync();
        var (execution, output) = await running;

        Assert.IsType<Execution.Interrupted>(execution);
        Assert.Equal("fitting forever\n", output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), clock.Elapsed.ToString());
    }
}
