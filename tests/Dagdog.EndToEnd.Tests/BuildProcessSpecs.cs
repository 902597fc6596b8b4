using System.Diagnostics;

namespace Dagdog.EndToEnd;

/// <summary>
/// What only a real build shows of a task's processes (the rest is in Dagdog.Worker.Tests): a build killed with kill -9
/// leaves none behind, and what a task prints does not grow the build process's memory.
/// </summary>
[Collection(LongEndToEndCollection.Name)]
public class BuildProcessSpecs(SdkFeed feed)
{
    // First -> Second -> Third, where First does what the spec is about.
    private DagProject Chain(string name, string firstBody) => feed.CreateProject(name)
        .Declare("""
            <DagTask Include="First" />
            <DagTask Include="Second" DependsOn="First" />
            <DagTask Include="Third" DependsOn="Second" />
            """)
        .AddTask("First", firstBody)
        .AddTasks("Second", "Third");

    [Fact]
    public void A_build_killed_with_kill_9_leaves_no_process_of_its_tasks_behind()
    {
        var project = Chain("killed", """
            System.Diagnostics.Process.Start("bash", ["-c", "sleep 61.25 & setsid sleep 61.5 &"])!.WaitForExit();
            Console.WriteLine("children started");
            Thread.Sleep(Timeout.Infinite);
            """);

        using (var build = project.Start())
        {
            Assert.True(build.WaitForOutput("First: children started", TimeSpan.FromMinutes(2)), build.Output);
            Process.GetProcessById(build.Id).Kill();
            build.WaitForExit(TimeSpan.FromSeconds(30));
        }

        Assert.True(Processes.Gone("sleep 61.", TimeSpan.FromSeconds(10)), string.Join("\n", Processes.Running("sleep 61.")));
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
}
