using System.Diagnostics;

namespace Dagdog.EndToEnd;

/// <summary>
/// What a task's process gives the programs it starts, as analysis code starts them (a command-line tool, a script):
/// an empty standard input, no way into the worker's messages, and an end when the task's run ends.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class ChildProcessSpecs(SdkFeed feed)
{
    // First -> Second -> Third, where First does what the spec is about.
    private DagProject Chain(string name, string firstBody, string firstAttributes = "") => feed.CreateProject(name)
        .Declare($"""
            <DagTask Include="First" {firstAttributes} />
            <DagTask Include="Second" DependsOn="First" />
            <DagTask Include="Third" DependsOn="Second" />
            """)
        .AddTask("First", firstBody)
        .AddTasks("Second", "Third");

    [Fact]
    public void A_child_that_reads_standard_input_sees_its_end_at_once_and_the_build_goes_on()
    {
        var project = Chain("cat", """
            var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat") { UseShellExecute = false })!;
            cat.WaitForExit();
            Console.WriteLine($"cat ended with {cat.ExitCode}");
            """);

        var build = project.Build();

        build.Succeeded();
        Assert.Equal(["First", "Second", "Third"], build.Ran);
        Assert.Contains("First: cat ended with 0", build.Output);
    }

    [Fact]
    public void Reading_standard_input_in_Run_gives_its_end_at_once()
    {
        var project = Chain("stdin", """
            Console.WriteLine($"read {Console.OpenStandardInput().Read(new byte[16])} bytes, line {Console.In.ReadLine() ?? "none"}");
            """);

        var build = project.Build().Succeeded();

        Assert.Contains("First: read 0 bytes, line none", build.Output);
    }

    [Fact]
    public void A_background_child_that_reads_takes_nothing_from_the_next_tasks()
    {
        // Started and not waited for, as a task that forgets its child would: it reads whatever its standard input gives.
        var project = Chain("background", """
            System.Diagnostics.Process.Start("bash", ["-c", "while read -r line; do echo \"$line\" >> taken.txt; done"]);
            Thread.Sleep(500);
            """);

        var build = project.Build().Succeeded();

        Assert.Equal(["First", "Second", "Third"], build.Ran);
        Assert.False(project.FileExists("taken.txt") && project.ReadFile("taken.txt").Length > 0, project.FileExists("taken.txt") ? project.ReadFile("taken.txt") : "");
    }

    [Fact]
    public void A_task_that_prints_what_looks_like_the_worker_s_messages_and_throws_fails()
    {
        // Everything a task could find in its process's environment, and each message the worker sends, forged.
        var project = Chain("forger", """
            var environment = File.ReadAllText("/proc/self/environ").Split('\0').Where(v => v.Contains("DAGDOG", StringComparison.OrdinalIgnoreCase)).ToList();
            Console.WriteLine($"found {environment.Count} Dagdog variables");
            foreach (var prefix in environment.Select(v => v[(v.IndexOf('=') + 1)..]).Append("").Select(key => $"\u001edagdog:{key}:"))
            {
                Console.WriteLine(prefix + "result {\"settled\":true}");
                Console.Error.WriteLine(prefix + "end");
                Console.WriteLine(prefix + "checked clean");
            }
            Console.WriteLine("result {\"settled\":true}");
            Console.Error.WriteLine("checked clean");
            throw new InvalidOperationException("the forger failed");
            """);

        var build = project.Build();

        Assert.Contains("the forger failed", build.FailedWith("DAG010"));
        Assert.Equal(["First"], build.Ran);
        Assert.Contains("First: found 0 Dagdog variables", build.Output);
        Assert.False(project.FileExists("obj/dag/stamps/First.stamp"));
    }

    [Fact]
    public void Processes_a_task_leaves_running_are_stopped_when_its_Run_returns_with_a_warning_naming_them()
    {
        var project = Chain("orphans", """
            System.Diagnostics.Process.Start("sleep", "30.25");
            System.Diagnostics.Process.Start("bash", ["-c", "sleep 30.5 & setsid sleep 30.75 &"])!.WaitForExit();
            """);

        var build = project.Build().Succeeded();

        Assert.Equal(["First", "Second", "Third"], build.Ran);
        var warning = Assert.Single(build.Warnings);
        Assert.Contains("warning DAG032: Task 'First' left 3 process(es) running when its Run() returned; Dagdog stopped them: ", warning);
        Assert.Contains("sleep 30.25 (process ", warning);
        Assert.Contains("sleep 30.5 (process ", warning);
        Assert.Contains("sleep 30.75 (process ", warning);
        Assert.Empty(Running("sleep 30."));
    }

    [Theory]
    [InlineData("timeout")]
    [InlineData("kill -9")]
    public void A_task_stopped_by_its_Timeout_or_a_build_killed_with_kill_9_leaves_no_process_behind(string how)
    {
        var project = Chain($"leaves {how}", """
            System.Diagnostics.Process.Start("bash", ["-c", "sleep 61.25 & setsid sleep 61.5 &"])!.WaitForExit();
            Console.WriteLine("children started");
            Thread.Sleep(Timeout.Infinite);
            """, how == "timeout" ? """Timeout="00:00:02" """ : "");

        if (how == "timeout") project.Build().FailedWith("DAG022");
        else
        {
            using var build = project.Start();
            Assert.True(build.WaitForOutput("First: children started", TimeSpan.FromMinutes(2)), build.Output);
            Process.GetProcessById(build.Id).Kill();
            build.WaitForExit(TimeSpan.FromSeconds(30));
        }

        var clock = Stopwatch.StartNew();
        while (Running("sleep 61.").Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(100);
        Assert.Empty(Running("sleep 61."));
    }

    [Fact]
    public void The_build_log_shows_the_first_DagOutputLines_lines_of_a_task_and_its_log_file_has_them_all()
    {
        var project = Chain("talkative", """
            for (var i = 1; i <= 30; i++) Console.WriteLine($"line {i}");
            Console.WriteLine(new string('x', 3000));
            """);

        var build = project.Build("-p:DagOutputLines=10").Succeeded();

        Assert.Contains("First: line 10", build.Output);
        Assert.DoesNotContain("First: line 11", build.Output);
        Assert.Contains("First: ... and 21 more line(s), in obj/dag/logs/First.log (the build log shows the first 10: DagOutputLines)", build.Output);
        var log = project.ReadFile("obj/dag/logs/First.log").Split('\n');
        Assert.Equal("line 30", log[29]);
        Assert.Equal(3000, log[30].Length);
    }

    [Fact]
    public void A_long_line_shows_cut_and_whole_in_the_log_file()
    {
        var project = Chain("long line", """Console.WriteLine(new string('y', 100_000));""");

        var build = project.Build().Succeeded();

        Assert.Contains($"First: {new string('y', 2000)}... (98000 more characters in the log file)", build.Output);
        Assert.Equal(100_001, project.ReadFile("obj/dag/logs/First.log").Length);
    }

    [Fact]
    public void Printing_a_hundred_megabytes_does_not_grow_the_build_s_memory_with_it()
    {
        var silent = Chain("silent", "");
        var loud = Chain("loud", """
            var line = new string('z', 99);
            for (var i = 0; i < 1_000_000; i++) Console.WriteLine(line);
            """);

        var quiet = PeakMemory(silent);
        var talking = PeakMemory(loud);

        Assert.Equal(100_000_000, new FileInfo(loud.PathOf("obj/dag/logs/First.log")).Length);
        // Before output was bounded, the lines queued in the build: 100 MB of output grew it by about 350 MB.
        Assert.True(talking - quiet < 100_000_000, $"The build peaked at {talking / 1_000_000} MB with 100 MB of output, {quiet / 1_000_000} MB without.");
    }

    // The peak resident memory of a build's own process, read until it ends (the kernel keeps the peak: VmHWM).
    private static long PeakMemory(DagProject project)
    {
        using var build = project.Start();
        long peak = 0;
        while (!build.HasExited)
        {
            try
            {
                var line = File.ReadLines($"/proc/{build.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null) peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024);
            }
            catch (IOException)
            {
                // Ended meanwhile.
            }
            Thread.Sleep(20);
        }
        Assert.Equal(0, build.WaitForExit(TimeSpan.FromMinutes(2)).ExitCode);
        return peak;
    }

    // The processes whose command line starts with this text, as ps shows them.
    private static List<string> Running(string commandLine) =>
        Directory.EnumerateDirectories("/proc")
            .Select(folder => Path.GetFileName(folder))
            .Where(name => name.All(char.IsAsciiDigit))
            .Select(pid =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    var state = stat[stat.LastIndexOf(')') + 2];
                    return state is 'Z' or 'X' ? "" : File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
                }
                catch (IOException)
                {
                    return "";
                }
            })
            .Where(line => line.StartsWith(commandLine, StringComparison.Ordinal))
            .ToList();
}
