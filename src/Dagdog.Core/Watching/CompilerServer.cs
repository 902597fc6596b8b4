using System.Globalization;
using System.Text.RegularExpressions;

namespace Dagdog.Watching;

/// <summary>
/// An error or warning a compiler or a child build printed, in the form MSBuild's console logger and the compiler both
/// use (the one owner of it: <see cref="Parse"/> reads it, <see cref="ToString"/> writes it); <see cref="File"/> is null
/// for one about no file.
/// </summary>
internal sealed partial record BuildMessage(string? File, int Line, int Column, bool IsError, string Code, string Text)
{
    /// <summary>The line MSBuild's console logger prints for it: <c>Fit.cs(3,5): error CS1002: ; expected</c>.</summary>
    public override string ToString() => Canonical(File, Line, Column, IsError ? "error" : "warning", Code, Text);

    public static string Canonical(string? file, int line, int column, string severity, string? code, string? text) =>
        $"{file}{(line > 0 ? $"({line},{column})" : "")}: {severity} {code}: {text}";

    /// <summary>The message a line holds, or null for any other line.</summary>
    public static BuildMessage? Parse(string line) =>
        Form().Match(line.TrimEnd('\r')) is not { Success: true } match ? null : new BuildMessage(
            match.Groups["file"].Value.Trim() is { Length: > 0 } file && file != "MSBUILD" ? file : null,
            match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture) : 0,
            match.Groups["column"].Success ? int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture) : 0,
            match.Groups["severity"].Value == "error", match.Groups["code"].Value, match.Groups["text"].Value);

    // "Fit.cs(12,9): error CS1002: ; expected", "/p/Analysis.csproj : error DAG003: ... [/p/Analysis.csproj]",
    // "error CS0006: ...", "MSBUILD : error MSB1009: ...".
    [GeneratedRegex(@"^\s*(?:(?<file>[^(]+?)(?:\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\))?\s*:\s*)?(?<severity>error|warning)\s+(?<code>[A-Za-z]+\d+)\s*:\s*(?<text>.*?)(?:\s+\[[^\]]+\])?$")]
    private static partial Regex Form();
}

/// <summary>How a compilation ended, and what the compiler said.</summary>
internal sealed record Compilation(bool Succeeded, IReadOnlyList<BuildMessage> Messages, string Output);

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
        string[] command = ["exec", compiler, .. noConfig ? ["/noconfig"] : Array.Empty<string>(), "-shared", $"@{responseFile}"];
        var ran = await DotnetCommand.Run(command, projectDirectory, stop).ConfigureAwait(false);
        var text = ran.Output + ran.Error;
        var messages = text.Split('\n').Select(BuildMessage.Parse).OfType<BuildMessage>().Distinct().ToList();
        return new Compilation(ran.ExitCode == 0, messages, text);
    }

    /// <summary>The SDK's compiler beside its targets, or null when this SDK has none there.</summary>
    public static CompilerServer? Of(string roslynTargetsPath) =>
        Path.Combine(roslynTargetsPath, "bincore", "csc.dll") is var compiler && File.Exists(compiler) ? new CompilerServer(compiler) : null;

    // MSBuild's items hold the arguments as the response file had them, outer quotes removed: a path with a space, a
    // comma or a semicolon needs them back, or the compiler would read two files (or a list).
    internal static string Quoted(string argument)
    {
        if (argument.Contains('"') || argument.IndexOfAny([' ', ',', ';']) < 0) return argument;
        return OptionWithValue().Match(argument) is { Success: true } option
            ? $"{option.Groups["option"].Value}\"{option.Groups["value"].Value}\""
            : $"\"{argument}\"";
    }

    [GeneratedRegex(@"^(?<option>[/-][A-Za-z]+:)(?<value>.+)$")]
    private static partial Regex OptionWithValue();
}
