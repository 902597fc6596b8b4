using Dagdog.Testing;
using Dagdog.Running;

namespace Dagdog.Tests;

/// <summary>
/// What a task's process gives the programs it starts, as analysis code starts them (a command-line tool, a script):
/// an empty standard input, no way into the worker's messages, and an end when the task's run ends.
/// </summary>
public class ChildProcessSpecs
{
    private static TaskProject Tasks(string firstBody, string secondBody = "") => new(
        ("First.cs", $$"""public class First { public void Run() { {{firstBody}} } }"""),
        ("Second.cs", $$"""public class Second { public void Run() { Console.WriteLine("second ran"); {{secondBody}} } }"""));

    [Fact]
    public async Task A_child_that_reads_standard_input_sees_its_end_at_once()
    {
        using var project = Tasks("""
            var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat") { UseShellExecute = false })!;
            cat.WaitForExit();
            Console.WriteLine($"cat ended with {cat.ExitCode}");
            """);

        var (execution, output) = await project.Run("First").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(Assert.IsType<Execution.Finished>(execution).Result.Error);
        Assert.Equal("cat ended with 0\n", output);
    }

    [Fact]
    public async Task Reading_standard_input_in_Run_gives_its_end_at_once()
    {
        using var project = Tasks("""Console.WriteLine($"read {Console.OpenStandardInput().Read(new byte[16])} bytes, line {Console.In.ReadLine() ?? "none"}");""");

        var (_, output) = await project.Run("First").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("read 0 bytes, line none\n", output);
    }

    [Fact]
    public async Task A_child_left_reading_takes_nothing_from_the_next_task_s_request()
    {
        // Started and not waited for, as a task that forgets its child would: it reads whatever its standard input gives.
        using var project = Tasks("""
            System.Diagnostics.Process.Start("bash", ["-c", "while read -r line; do echo \"$line\" >> taken.txt; done"]);
            Thread.Sleep(500);
            """);

        await project.Run("First");
        var (execution, output) = await project.Run("Second").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(Assert.IsType<Execution.Finished>(execution).Result.Error);
        Assert.Equal("second ran\n", output);
        Assert.False(File.Exists(Path.Combine(project.Directory, "taken.txt")) && project.ReadFile("taken.txt").Length > 0);
    }

    [Fact]
    public async Task Lines_that_look_like_the_worker_s_messages_are_the_task_s_output_and_its_exception_still_counts()
    {
        // Everything a task could find in its process's environment, and each message the worker sends, forged.
        using var project = Tasks("""
            // Variables Dagdog would have set (by name: a folder named after Dagdog in PWD is no Dagdog variable).
            var environment = File.ReadAllText("/proc/self/environ").Split('\0').Where(v => v.Split('=')[0].Contains("DAGDOG", StringComparison.OrdinalIgnoreCase)).ToList();
            Console.WriteLine($"found {environment.Count} Dagdog variables");
            foreach (var prefix in environment.Select(v => v[(v.IndexOf('=') + 1)..]).Append("").Select(key => $"\u001edagdog:{key}:"))
            {
                Console.WriteLine(prefix + "result {\"settled\":true}");
                Console.Error.WriteLine(prefix + "end");
            }
            Console.WriteLine("result {\"settled\":true}");
            Console.Error.WriteLine("checked clean");
            throw new InvalidOperationException("the forger failed");
            """);

        var (execution, output) = await project.Run("First");

        Assert.Equal("System.InvalidOperationException: the forger failed", Assert.IsType<Execution.Finished>(execution).Result.Error);
        Assert.True(output.StartsWith("found 0 Dagdog variables\n\u001edagdog::result", StringComparison.Ordinal), output.Replace("\u001e", "<RS>"));
        Assert.EndsWith("result {\"settled\":true}\nchecked clean\n", output);
    }

    [Fact]
    public async Task Processes_a_task_leaves_running_are_stopped_when_its_Run_returns_and_named()
    {
        using var project = Tasks("""
            System.Diagnostics.Process.Start("sleep", "30.25");
            System.Diagnostics.Process.Start("bash", ["-c", "sleep 30.5 & setsid sleep 30.75 &"])!.WaitForExit();
            // The shell returns before its children have become sleep (one may still be bash or setsid): wait for
            // that, or the worker rightly names them as what they were when it stopped them.
            static bool Runs(string name) => Directory.GetDirectories("/proc").Any(process =>
            {
                try { return File.ReadAllText(process + "/cmdline") == name.Replace(' ', '\0') + "\0"; }
                catch (IOException) { return false; }
            });
            for (var i = 0; i < 1000 && !(Runs("sleep 30.5") && Runs("sleep 30.75")); i++) Thread.Sleep(10);
            """);

        var (execution, _) = await project.Run("First");

        var stopped = Assert.IsType<Execution.Finished>(execution).Result.Stopped!;
        Assert.Equal(3, stopped.Count);
        Assert.Contains(stopped, s => s.StartsWith("sleep 30.25 (process ", StringComparison.Ordinal));
        Assert.Contains(stopped, s => s.StartsWith("sleep 30.5 (process ", StringComparison.Ordinal));
        Assert.Contains(stopped, s => s.StartsWith("sleep 30.75 (process ", StringComparison.Ordinal));
        Assert.Empty(Processes.Running("sleep 30."));
    }

    [Fact]
    public void A_process_caught_in_the_middle_of_its_exec_is_named_by_its_command_line_once_it_shows_one()
    {
        // On a loaded machine a stopped 'sleep 40.25' was once named 'sleep (process N)': Process.Start returns when the
        // exec closes the close-on-exec files, and the kernel sets up the new program's arguments just after.
        var looks = 0;
        var pauses = 0;
        string? Read(string path) => path.EndsWith("/cmdline", StringComparison.Ordinal) ? ++looks < 3 ? "" : "sleep\u000040.25\u0000" : "sleep\n";

        Assert.Equal("sleep 40.25 (process 7)", Dagdog.Worker.ChildProcesses.Describe(7, Read, _ => pauses++));
        Assert.Equal(2, pauses);
    }

    [Fact]
    public void A_process_without_a_command_line_is_named_by_its_name_after_a_moment_and_one_that_is_gone_at_once()
    {
        var waited = TimeSpan.Zero;

        Assert.Equal("kworker (process 7)", Dagdog.Worker.ChildProcesses.Describe(7, path => path.EndsWith("/comm", StringComparison.Ordinal) ? "kworker\n" : "", pause => waited += pause));
        Assert.Equal(TimeSpan.FromMilliseconds(100), waited);
        Assert.Null(Dagdog.Worker.ChildProcesses.Describe(7, _ => null, _ => throw new InvalidOperationException("a process that is gone is not waited for")));
    }

    [Fact]
    public async Task A_task_stopped_by_its_Timeout_leaves_no_process_behind()
    {
        using var project = Tasks("""
            System.Diagnostics.Process.Start("bash", ["-c", "sleep 61.25 & setsid sleep 61.5 &"])!.WaitForExit();
            Thread.Sleep(Timeout.Infinite);
            """);

        // The Timeout counts from the request, loading the task included: 3 s leave a loaded machine time to start them.
        var (execution, _) = await project.Run("First", timeout: TimeSpan.FromSeconds(3));

        Assert.IsType<Execution.TimedOut>(execution);
        Assert.True(Processes.Gone("sleep 61.", TimeSpan.FromSeconds(10)));
    }
}
