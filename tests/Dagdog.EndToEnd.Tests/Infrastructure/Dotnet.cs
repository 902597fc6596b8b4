using System.Diagnostics;
using System.Text;

namespace Dagdog.EndToEnd.Infrastructure;

/// <summary>What one 'dotnet' command did.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output)
{
    public override string ToString() => $"$ {CommandLine}\n(exit code {ExitCode})\n{Output}";
}

/// <summary>Runs the real 'dotnet' CLI as a child process, the way a user or CI would.</summary>
public static class Dotnet
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    // Variables the test host inherits from the 'dotnet test' build that started it; a user's shell has none of them.
    // MSBuild's own (set when the tests run under 'dotnet test'), and GitHub Actions' job summary, which a spec sets itself.
    public static readonly IReadOnlyList<string> InheritedBuildVariables =
        ["MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "MSBUILDNOINPROCNODE", "GITHUB_STEP_SUMMARY"];

    public static CommandResult Run(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var command = Start(workingDirectory, arguments, environment, newProcessGroup: false);
        return command.WaitForExit(Timeout);
    }

    /// <summary>
    /// Starts 'dotnet' and returns at once. With <paramref name="newProcessGroup"/> it leads a process group of its own
    /// (setsid), as a command typed in a terminal does, so a spec can send it Ctrl+C's signal the way a terminal does.
    /// </summary>
    public static RunningCommand Start(string workingDirectory, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null, bool newProcessGroup = false)
    {
        var start = new ProcessStartInfo(newProcessGroup ? "setsid" : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (newProcessGroup) start.ArgumentList.Add("dotnet");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in InheritedBuildVariables) start.Environment.Remove(name);
        // Quiet, repeatable child builds by default; a test that needs node reuse or the server says so.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The compiler server, as on a user's machine: without it every one of these builds pays a cold csc (about 2.5 s here).
        start.Environment["UseSharedCompilation"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return new RunningCommand(start);
    }

}

/// <summary>A 'dotnet' command still running: its output so far, signals, and its end.</summary>
public sealed class RunningCommand : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _outputClosed = new();
    private readonly TaskCompletionSource _errorClosed = new();
    private readonly string _commandLine;

    public RunningCommand(ProcessStartInfo start)
    {
        _commandLine = string.Join(' ', start.ArgumentList.Prepend(start.FileName));
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Collect(e.Data, _outputClosed);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data, _errorClosed);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Waits until the output so far contains <paramref name="text"/>; false if the command ended or time ran out first.</summary>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) return Output.Contains(text, StringComparison.Ordinal);
            Thread.Sleep(50);
        }
        return false;
    }

    /// <summary>Sends a signal (INT for Ctrl+C, KILL for kill -9) to the command's whole process group.</summary>
    public void SignalGroup(string signal)
    {
        // A process started in the background by a non-interactive shell ignores SIGINT, its children too, and .NET
        // keeps an ignored signal ignored: the build would never see Ctrl+C. Say so rather than wait for a timeout.
        if (signal == "INT" && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } ignored
            && (Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16) & 0x2) != 0)
            throw new InvalidOperationException("This test process ignores SIGINT (it was started in the background by a non-interactive shell), " +
                                                "so no build it starts can see Ctrl+C. Run the tests in the foreground.");
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, "--", $"-{_process.Id}"]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    public CommandResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{_commandLine}' did not finish within {timeout}.\n{Output}");
        }
        // A reused MSBuild node inherits the pipes and keeps them open after 'dotnet' exits, so do not wait for
        // end-of-stream for long: what 'dotnet' wrote is already in the pipe and read within moments.
        Task.WaitAll([_outputClosed.Task, _errorClosed.Task], TimeSpan.FromSeconds(3));
        return new CommandResult(_commandLine, _process.ExitCode, Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Collect(string? line, TaskCompletionSource closed)
    {
        if (line is null) closed.TrySetResult();
        else lock (_output) _output.AppendLine(line);
    }
}
