using Dagdog.Running;

namespace Dagdog.Tests.Running;

/// <summary>How a run's failure says its worker ended, and what a launcher's lines are.</summary>
public class WorkerEndSpecs
{
    [Theory]
    [InlineData(0, null)]
    [InlineData(3, "its worker process ended with exit code 3")]
    [InlineData(137, "its process was killed by signal 9 (SIGKILL)")]
    [InlineData(130, "its process was killed by signal 2 (SIGINT)")]
    [InlineData(200, "its worker process ended with exit code 200")]
    public void An_exit_code_says_how_the_process_ended_and_a_signal_is_named(int exitCode, string? said)
    {
        if (OperatingSystem.IsWindows()) return;

        Assert.Equal(said, new WorkerEnd(exitCode, false, null, null, "dotnet", null).Describe());
    }

    [Fact]
    public void What_the_worker_or_its_launcher_told_comes_before_the_exit_code()
    {
        Assert.Equal("its stack overflowed (unbounded recursion?), which ended its process", new WorkerEnd(134, true, new ThreadCrash("t", "x"), 2, "srun", "e").Describe());
        Assert.Equal("an unhandled exception on thread 'pool' ended its process: System.Exception: boom",
            new WorkerEnd(134, false, new ThreadCrash("'pool'", "System.Exception: boom\n   at X"), null, "srun", null).Describe());
        Assert.Equal("its code called Environment.Exit(0), which ended its worker process", new WorkerEnd(0, false, null, 0, "dotnet", null).Describe());
        Assert.Equal("srun ended it: srun: error: Unable to allocate resources", new WorkerEnd(1, false, null, null, "srun", "srun: error: Unable to allocate resources").Describe());
    }

    [Fact]
    public void A_launcher_s_lines_are_told_apart_by_their_prefix_and_its_last_three_errors_kept()
    {
        var heard = new List<string>();
        var lines = new LauncherLines(new WorkerLaunch("srun", [], LauncherPrefix: "srun: "), heard.Add);

        Assert.False(lines.Take("the task's own line"));
        Assert.True(lines.Take("srun: jobid 42"));
        foreach (var n in new[] { 1, 2, 2, 3, 4 }) Assert.True(lines.Take($"srun: error: failure {n}\n"));

        Assert.Equal("srun: error: failure 2 / srun: error: failure 3 / srun: error: failure 4", lines.Errors);
        Assert.Equal("srun: jobid 42", heard[0]);
        // A worker without a launcher: every line is the task's.
        var local = new LauncherLines(WorkerLaunch.Local("Dagdog.Worker.dll"), null);
        Assert.False(local.Take("srun: error: x"));
        Assert.Null(local.Errors);
    }
}
