using System.Diagnostics;
using Dagdog.Running;

namespace Dagdog.Watching;

/// <summary>What a <c>dotnet</c> command a watch runs (the compiler, a child build) printed, and how it ended.</summary>
internal sealed record CommandOutput(int ExitCode, string Output, string Error);

/// <summary>Runs a <c>dotnet</c> command with the build's own host, its standard input empty; Ctrl+C kills it with its processes.</summary>
internal static class DotnetCommand
{
    public static async Task<CommandOutput> Run(IEnumerable<string> arguments, string workingDirectory, CancellationToken stop)
    {
        var start = new ProcessStartInfo(WorkerLaunch.DotnetHost)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(stop);
        var error = process.StandardError.ReadToEndAsync(stop);
        try
        {
            await process.WaitForExitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or AggregateException)
            {
                // It ended meanwhile.
            }
            throw;
        }
        return new CommandOutput(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
