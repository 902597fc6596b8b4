using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dagdog.Testing;

/// <summary>A task in the run report, obj/dag/last-run.json, as README documents it.</summary>
public sealed record ReportedTask(int Index, string Name, string Status, string? Reason, DateTime? StartedUtc, double? Seconds, int? Worker, string? OutputVersion, string? Error,
    string? Key = null, IReadOnlyList<ReportedTask>? Instances = null);

/// <summary>The run report a build wrote, as README documents it.</summary>
public sealed record RunReportFile(int Format, string Selection, DateTime StartedUtc, DateTime FinishedUtc, int Jobs, IReadOnlyList<ReportedTask> Tasks)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The report in the project folder, or null when there is none.</summary>
    public static RunReportFile? In(string projectDirectory) =>
        Path.Combine(projectDirectory, "obj", "dag", "last-run.json") is var path && File.Exists(path)
            ? JsonSerializer.Deserialize<RunReportFile>(File.ReadAllText(path), Json)
            : null;
}

/// <summary>A build of a project, what it printed as the classic console logger prints it, and the tasks that ran in it, in order.</summary>
/// <param name="Command">The command line, or what stood for it, for messages.</param>
public sealed partial record BuildResult(string Command, int ExitCode, string Output, IReadOnlyList<string> Ran)
{
    /// <summary>The run report the build wrote (obj/dag/last-run.json), or null when it gave no task a turn.</summary>
    public RunReportFile? Report { get; init; }

    /// <summary>Each task's status in the run report, by name.</summary>
    public IReadOnlyDictionary<string, string> Statuses => Report!.Tasks.ToDictionary(t => t.Name, t => t.Status);

    /// <summary>The distinct MSBuild errors ("file(line,col): error CODE: message") the build printed.</summary>
    public IReadOnlyList<string> Errors =>
        ErrorLine().Matches(Output).Select(m => m.Groups["error"].Value.Trim()).Distinct().ToList();

    /// <summary>The distinct MSBuild warnings ("file(line,col): warning CODE: message") the build printed.</summary>
    public IReadOnlyList<string> Warnings =>
        WarningLine().Matches(Output).Select(m => m.Groups["warning"].Value.Trim()).Distinct().ToList();

    /// <summary>The tasks the build started, in order, from its "Dag: [n/N] X started (reason)" lines.</summary>
    public IReadOnlyList<string> Started => StartedLine().Matches(Output).Select(m => m.Groups["task"].Value).ToList();

    /// <summary>
    /// The tasks and instances the run report says ran in a worker (ran, failed or interrupted; not restored from a cache),
    /// in the order they started: for projects whose tasks do not write ran.txt (the demo, the template).
    /// </summary>
    public IReadOnlyList<string> RanByReport => ReadReport.Tasks
        .SelectMany(task => task.Instances ?? [task])
        .Where(task => task.Status is "ran" or "failed" or "interrupted")
        .OrderBy(task => task.StartedUtc)
        .Select(task => task.Name)
        .ToList();

    /// <summary>The task, or the instance (<c>Fit[adelie]</c>), in the run report.</summary>
    public ReportedTask Reported(string task) =>
        ReadReport.Tasks.SelectMany(entry => entry.Instances?.Prepend(entry) ?? [entry]).FirstOrDefault(entry => entry.Name == task)
        ?? throw new Xunit.Sdk.XunitException($"The run report has no task {task}:\n{this}");

    /// <summary>Why the build started the task, or the instance (<c>Fit[adelie]</c>), by its run report; null when it did not start it.</summary>
    public string? ReasonFor(string task) => Reported(task) is { Status: "ran" or "failed" or "interrupted" } started ? started.Reason : null;

    private RunReportFile ReadReport => Report ?? throw new Xunit.Sdk.XunitException($"The build wrote no run report, or it was not read:\n{this}");

    /// <summary>The tasks a dry run said would run, in order.</summary>
    public IReadOnlyList<string> WouldRun => WouldRunLine().Matches(Output).Select(m => m.Groups["task"].Value).ToList();

    /// <summary>Asserts the build succeeded, showing its whole output if not.</summary>
    public BuildResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"The build failed:\n{this}");
        return this;
    }

    /// <summary>Asserts the build failed with exactly one distinct error of this code, and returns that error line.</summary>
    public string FailedWith(string code)
    {
        Assert.True(ExitCode != 0, $"The build should have failed:\n{this}");
        var errors = Errors;
        Assert.True(errors.Count == 1 && errors[0].Contains($"error {code}:"), $"Expected exactly one error {code}, got:\n{string.Join("\n", errors)}\n\n{this}");
        return errors[0];
    }

    public override string ToString() => $"$ {Command}\n(exit code {ExitCode})\n{Output}";

    // The classic console logger repeats errors in its summary and appends " [project]"; keep one copy of each.
    [GeneratedRegex(@"^(?<error>.*?: error [A-Z]+\d+: .*?)(?: \[[^\]]+\])?$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"^(?<warning>.*?: warning [A-Z]+\d+: .*?)(?: \[[^\]]+\])?$", RegexOptions.Multiline)]
    private static partial Regex WarningLine();

    // A task, or an instance of a family: Fit[adelie].
    [GeneratedRegex(@"Dag: \[\d+/\d+\] (?<task>\w+(?:\[[^\]]*\])?) started \((?<reason>.*)\)\r?$", RegexOptions.Multiline)]
    private static partial Regex StartedLine();

    [GeneratedRegex(@"Dag: would run \d+:(?<task>\w+(?:\[[^\]]*\])?) \(")]
    private static partial Regex WouldRunLine();
}
