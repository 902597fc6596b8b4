using System.Diagnostics;
using System.Text.RegularExpressions;
using Dagdog.Running;

namespace Dagdog.Watching;

/// <summary>An error or warning the compiler printed; <see cref="File"/> is null for one about the whole compilation.</summary>
internal sealed record CompilerMessage(string? File, int Line, int Column, bool IsError, string Code, string Text);

/// <summary>How a compilation ended, and what the compiler said.</summary>
internal sealed record Compilation(bool Succeeded, IReadOnlyList<CompilerMessage> Messages, string Output);

/// <summary>
/// Compiles a project the way its build's <c>CoreCompile</c> does, with the very arguments the build gave the C#
/// compiler (MSBuild's <c>@(CscCommandLineArgs)</c>) and the SDK's own compiler, through the compiler server
/// (<c>-shared</c>), which stays running between builds with the references loaded and its code compiled: a small
/// project compiles in about 0.3 s, where a new compiler process takes seconds. The compiler is deterministic, so the
/// assembly is byte for byte what <c>dotnet build</c> would write. Should the server be unavailable, the compiler
/// compiles in its own process.
/// </summary>
/// <param name="compiler">The SDK's <c>csc.dll</c> (<c>$(RoslynTargetsPath)/bincore/csc.dll</c>).</param>
internal sealed partial class CompilerServer(string compiler)
{
    /// <summary>Compiles in <paramref name="projectDirectory"/>, which the arguments' relative paths are relative to.</summary>
    /// <param name="responseFile">Where the arguments are written for the compiler to read.</param>
    public async Task<Compilation> Compile(IReadOnlyList<string> arguments, string projectDirectory, string responseFile, CancellationToken stop)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(responseFile)!);
        // /noconfig is only taken from the command line (warning CS2023 in a response file), as MSBuild's Csc task gives it.
        var noConfig = arguments.Contains("/noconfig", StringComparer.OrdinalIgnoreCase);
        await File.WriteAllLinesAsync(responseFile, arguments.Where(a => !a.Equals("/noconfig", StringComparison.OrdinalIgnoreCase)).Select(Quoted), stop)
            .ConfigureAwait(false);
        var start = new ProcessStartInfo(WorkerLaunch.DotnetHost)
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in (string[])["exec", compiler, .. noConfig ? ["/noconfig"] : Array.Empty<string>(), "-shared", $"@{responseFile}"])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName} {compiler}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(stop);
        var error = process.StandardError.ReadToEndAsync(stop);
        try
        {
            await process.WaitForExitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var text = await output.ConfigureAwait(false) + await error.ConfigureAwait(false);
        var messages = text.Split('\n').Select(line => line.TrimEnd('\r')).Select(Message).OfType<CompilerMessage>().Distinct().ToList();
        return new Compilation(process.ExitCode == 0, messages, text);
    }

    /// <summary>The SDK's compiler beside its targets, or null when this SDK has none there.</summary>
    public static CompilerServer? Of(string roslynTargetsPath) =>
        Path.Combine(roslynTargetsPath, "bincore", "csc.dll") is var compiler && File.Exists(compiler) ? new CompilerServer(compiler) : null;

    // MSBuild's items hold the arguments as the response file had them, outer quotes removed: a path with a space, a
    // comma or a semicolon needs them back, or the compiler would read two files (or a list).
    private static string Quoted(string argument)
    {
        if (argument.Contains('"') || argument.IndexOfAny([' ', ',', ';']) < 0) return argument;
        return OptionWithValue().Match(argument) is { Success: true } option
            ? $"{option.Groups["option"].Value}\"{option.Groups["value"].Value}\""
            : $"\"{argument}\"";
    }

    private static CompilerMessage? Message(string line) =>
        Diagnostic().Match(line) is not { Success: true } match ? null : new CompilerMessage(
            match.Groups["file"].Success ? match.Groups["file"].Value : null,
            match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
            match.Groups["column"].Success ? int.Parse(match.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
            match.Groups["severity"].Value == "error", match.Groups["code"].Value, match.Groups["text"].Value);

    [GeneratedRegex(@"^(?<option>[/-][A-Za-z]+:)(?<value>.+)$")]
    private static partial Regex OptionWithValue();

    // The compiler's own format: "Fit.cs(12,9): error CS1002: ; expected", or "error CS0006: ..." without a place.
    [GeneratedRegex(@"^(?:(?<file>.+?)\((?<line>\d+),(?<column>\d+)\): )?(?<severity>error|warning) (?<code>[A-Z]+\d+): (?<text>.*)$")]
    private static partial Regex Diagnostic();
}
