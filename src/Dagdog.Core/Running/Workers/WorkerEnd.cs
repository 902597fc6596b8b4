namespace Dagdog.Running;

/// <summary>
/// How a worker process ended, as a run's failure says it: what the worker told before it went (a crash on a thread,
/// the task's Environment.Exit, a stack overflow), what its launcher said, or its exit code and signal.
/// </summary>
/// <param name="StackOverflow">The runtime wrote "Stack overflow." on its standard error.</param>
/// <param name="Crash">An unhandled exception ended it, on that thread.</param>
/// <param name="TaskExit">The running task's code called Environment.Exit with this code.</param>
/// <param name="Launcher">The program the worker runs behind (srun), or the dotnet host.</param>
/// <param name="LauncherErrors">What the launcher said it ended it for (see <see cref="LauncherLines"/>).</param>
internal sealed record WorkerEnd(int ExitCode, bool StackOverflow, ThreadCrash? Crash, int? TaskExit, string Launcher, string? LauncherErrors)
{
    /// <summary>How the process ended, when that was not a clean exit; null for a clean one.</summary>
    public string? Describe()
    {
        if (StackOverflow) return "its stack overflowed (unbounded recursion?), which ended its process";
        if (Crash is { } crash) return $"an unhandled exception on thread {crash.Thread} ended its process: {crash.Exception.Split('\n')[0].Trim()}";
        if (TaskExit is { } exit) return $"its code called Environment.Exit({exit}), which ended its worker process";
        if (ExitCode == 0) return null;
        // The launcher said why (Slurm refused the job, cancelled it, or lost its node): its words are the reason.
        if (LauncherErrors is { } said) return $"{Launcher} ended it: {said}";
        return OperatingSystem.IsWindows() || ExitCode is <= 128 or > 128 + 64
            ? $"its worker process ended with exit code {ExitCode}"
            : $"its process was killed by signal {ExitCode - 128}{SignalName(ExitCode - 128)}";
    }

    private static string SignalName(int signal) => signal switch
    {
        2 => " (SIGINT)",
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };
}
