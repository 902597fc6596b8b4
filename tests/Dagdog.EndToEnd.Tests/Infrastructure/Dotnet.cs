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
    private static readonly string[] InheritedBuildVariables =
        ["MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "MSBUILDNOINPROCNODE"];

    public static CommandResult Run(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in InheritedBuildVariables) start.Environment.Remove(name);
        // Quiet, repeatable child builds by default; a test that needs node reuse or the server says so.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var outputClosed = new TaskCompletionSource();
        var errorClosed = new TaskCompletionSource();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Collect(e.Data, output, outputClosed);
        process.ErrorDataReceived += (_, e) => Collect(e.Data, output, errorClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet {string.Join(' ', arguments)}' did not finish within {Timeout}.\n{output}");
        }
        // A reused MSBuild node inherits the pipes and keeps them open after 'dotnet' exits, so do not wait for
        // end-of-stream for long: what 'dotnet' wrote is already in the pipe and read within moments.
        Task.WaitAll([outputClosed.Task, errorClosed.Task], TimeSpan.FromSeconds(3));
        lock (output) return new CommandResult($"dotnet {string.Join(' ', start.ArgumentList)}", process.ExitCode, output.ToString());
    }

    private static void Collect(string? line, StringBuilder output, TaskCompletionSource closed)
    {
        if (line is null) closed.TrySetResult();
        else lock (output) output.AppendLine(line);
    }
}
