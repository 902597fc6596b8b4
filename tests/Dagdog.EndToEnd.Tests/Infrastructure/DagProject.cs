using System.Text.RegularExpressions;

namespace Dagdog.EndToEnd.Infrastructure;

/// <summary>
/// A real project using Dagdog.Sdk in a folder of its own. Each task written with <see cref="AddTask"/> appends its
/// name to ran.txt when it runs, so a build's result says exactly which tasks ran, in which order.
/// </summary>
public sealed partial class DagProject(string directory)
{
    private const string RanFile = "ran.txt";

    public string Directory { get; } = System.IO.Directory.CreateDirectory(directory).FullName;

    public string ProjectFile => Path.Combine(Directory, "Analysis.csproj");

    /// <summary>Writes the project file with these DagTask items (and anything else) inside an ItemGroup.</summary>
    public DagProject Declare(string items, string properties = "")
    {
        File.WriteAllText(ProjectFile, $"""
            <Project Sdk="Dagdog.Sdk/{SdkFeed.Version}">
              <PropertyGroup>
            {properties}
              </PropertyGroup>
              <ItemGroup>
            {items}
              </ItemGroup>
            </Project>
            """);
        return this;
    }

    /// <summary>Writes Name.cs: a class Name whose Run() records that it ran, then runs <paramref name="body"/>.</summary>
    public DagProject AddTask(string name, string body = "", string @namespace = "Analysis")
    {
        WriteFile($"{name}.cs", $$"""
            namespace {{@namespace}};

            public class {{name}}
            {
                public void Run()
                {
                    File.AppendAllText("{{RanFile}}", "{{name}}\n");
                    {{body}}
                }
            }
            """);
        return this;
    }

    public DagProject AddTasks(params string[] names)
    {
        foreach (var name in names) AddTask(name);
        return this;
    }

    public DagProject WriteFile(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public string ReadFile(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public bool FileExists(string relativePath) => File.Exists(PathOf(relativePath));

    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    /// <summary>
    /// Runs 'dotnet build' on the project with these arguments and reports which tasks ran. Tasks run one at a time
    /// (-p:DagJobs=1), so that the order they ran in is the same every time, unless the arguments set DagJobs or -m.
    /// </summary>
    public BuildResult Build(params string[] arguments) => Build(arguments, environment: null);

    public BuildResult Build(string[] arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        ForgetRuns();
        return Result(Dotnet.Run(Directory, BuildArguments(arguments), environment));
    }

    /// <summary>Starts 'dotnet build' in a process group of its own, as from a terminal, and returns at once.</summary>
    public RunningCommand Start(params string[] arguments)
    {
        ForgetRuns();
        return Dotnet.Start(Directory, BuildArguments(arguments), newProcessGroup: true);
    }

    /// <summary>What a build started with <see cref="Start"/> did, once it ended.</summary>
    public BuildResult Result(CommandResult command) => new(command, Ran);

    /// <summary>The tasks that ran since the last build started, in the order they started.</summary>
    public IReadOnlyList<string> Ran => File.Exists(PathOf(RanFile)) ? File.ReadAllLines(PathOf(RanFile)) : [];

    private void ForgetRuns()
    {
        if (File.Exists(PathOf(RanFile))) File.Delete(PathOf(RanFile));
    }

    private string[] BuildArguments(string[] arguments)
    {
        var jobs = arguments.Any(a => a.Contains("DagJobs", StringComparison.Ordinal) || a.StartsWith("-m", StringComparison.Ordinal)) ? [] : new[] { "-p:DagJobs=1" };
        return ["build", ProjectFile, "-nologo", .. jobs, .. arguments];
    }
}

/// <summary>A 'dotnet build' and the tasks that ran in it, in order.</summary>
public sealed partial record BuildResult(CommandResult Command, IReadOnlyList<string> Ran)
{
    public string Output => Command.Output;

    public int ExitCode => Command.ExitCode;

    /// <summary>The distinct MSBuild errors ("file(line,col): error CODE: message") the build printed.</summary>
    public IReadOnlyList<string> Errors =>
        ErrorLine().Matches(Output).Select(m => m.Groups["error"].Value.Trim()).Distinct().ToList();

    /// <summary>The distinct MSBuild warnings ("file(line,col): warning CODE: message") the build printed.</summary>
    public IReadOnlyList<string> Warnings =>
        WarningLine().Matches(Output).Select(m => m.Groups["warning"].Value.Trim()).Distinct().ToList();

    /// <summary>The tasks the build started, in order, from its "Dag: [n/N] X started (reason)" lines.</summary>
    public IReadOnlyList<string> Started => StartedLine().Matches(Output).Select(m => m.Groups["task"].Value).ToList();

    /// <summary>Why the build said it started the task, or null when it did not start it.</summary>
    public string? ReasonFor(string task) =>
        StartedLine().Matches(Output).FirstOrDefault(m => m.Groups["task"].Value == task)?.Groups["reason"].Value;

    /// <summary>The tasks a dry run said would run, in order.</summary>
    public IReadOnlyList<string> WouldRun => WouldRunLine().Matches(Output).Select(m => m.Groups["task"].Value).ToList();

    /// <summary>Asserts the build succeeded, showing its whole output if not.</summary>
    public BuildResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"The build failed:\n{Command}");
        return this;
    }

    /// <summary>Asserts the build failed with exactly one distinct error of this code, and returns that error line.</summary>
    public string FailedWith(string code)
    {
        Assert.True(ExitCode != 0, $"The build should have failed:\n{Command}");
        var errors = Errors;
        Assert.True(errors.Count == 1 && errors[0].Contains($"error {code}:"), $"Expected exactly one error {code}, got:\n{string.Join("\n", errors)}\n\n{Command}");
        return errors[0];
    }

    public override string ToString() => Command.ToString();

    // The classic console logger repeats errors in its summary and appends " [project]"; keep one copy of each.
    [GeneratedRegex(@"^(?<error>.*?: error [A-Z]+\d+: .*?)(?: \[[^\]]+\])?$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"^(?<warning>.*?: warning [A-Z]+\d+: .*?)(?: \[[^\]]+\])?$", RegexOptions.Multiline)]
    private static partial Regex WarningLine();

    [GeneratedRegex(@"Dag: \[\d+/\d+\] (?<task>\w+) started \((?<reason>.*)\)\r?$", RegexOptions.Multiline)]
    private static partial Regex StartedLine();

    [GeneratedRegex(@"Dag: would run \d+:(?<task>\w+) \(")]
    private static partial Regex WouldRunLine();
}
