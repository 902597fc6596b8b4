using System.Security.Cryptography;
using System.Text;
using Dagdog.Build;
using Microsoft.Build.Construction;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Exceptions;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;

namespace Dagdog.Testing;

/// <summary>
/// A Dagdog project built by the .NET SDK's own MSBuild in process (<see cref="InProcessMSBuild"/>), with Dagdog's real
/// Sdk.props and Sdk.targets, Dagdog.props, Dagdog.targets, the targets it generates at restore and its tasks: a restore,
/// then a fresh evaluation for the build, as the CLI does; Ctrl+C as MSBuild takes it. Only the .NET SDK is stood in for
/// (DotNetSdkStandIn, <see cref="BuildProjects"/>): the compiler is Roslyn in process, run before the build when a source
/// changed. What only the command line shows (the real .NET SDK, restore of packages, the loggers, the CLI, a watch) is
/// for the end-to-end specs. Tasks run in real worker processes.
/// </summary>
public sealed class BuildProject(string directory, string sdkDirectory) : ProjectFolder<BuildProject>(directory)
{
    private readonly Lock _cancel = new();
    private BuildManager? _building;
    private volatile ConsoleText? _console;

    private string AssemblyPath => PathOf("bin/Debug/net10.0/Analysis.dll");

    /// <summary>The project as the last build left it (its items and properties), for a spec that calls one of Dagdog's tasks by itself.</summary>
    internal ProjectInstance? LastProject { get; private set; }

    /// <summary>The project as the last restore evaluated it (restore's evaluations import less than the build's).</summary>
    internal ProjectInstance? LastRestore { get; private set; }

    /// <summary>
    /// Builds as <see cref="ProjectFolder{TSelf}.Build(string[])"/> does, and presses Ctrl+C (MSBuild cancels the build)
    /// once the build has printed <paramref name="line"/>.
    /// </summary>
    public BuildResult BuildAndInterrupt(string line, params string[] arguments) =>
        BuildAndThen(line, () =>
        {
            lock (_cancel) _building?.CancelAllSubmissions();
        }, arguments);

    /// <summary>
    /// Builds, and does <paramref name="then"/> (releases a lock the spec holds...) once the build has printed
    /// <paramref name="line"/>; also once the build ended, or after two minutes without the line, so that a build waiting
    /// on the spec never hangs it: the spec's assertions then say what went wrong.
    /// </summary>
    public BuildResult BuildAndThen(string line, Action then, params string[] arguments)
    {
        _console = null;
        var build = System.Threading.Tasks.Task.Run(() => Build(arguments));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!build.IsCompleted && _console?.Text.Contains(line, StringComparison.Ordinal) != true && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
        then();
        return build.GetAwaiter().GetResult();
    }

    protected override BuildResult RunBuild(string[] arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        Assert.True(environment is null, "A build in process runs with the test process's environment.");
        var command = new CommandLine(arguments);
        var console = _console = new ConsoleText(command.Shown);
        var succeeded = (!command.Restore || Run(command, ["Restore"], console, restoring: true)) && Compile(console) && Run(command, command.Targets, console, restoring: false);
        // -getProperty prints the property alone, and nothing the loggers would have.
        var output = command.GetProperty is { } name ? LastProject?.GetPropertyValue(name) ?? "" : console.Text;
        return new BuildResult($"(in process) build {string.Join(' ', arguments)}", succeeded && !console.HasErrors ? 0 : 1, output, Ran)
        {
            Report = RunReportFile.In(Directory),
        };
    }

    /// <summary>
    /// A build that prepares the project (restore, compile, fingerprints, file sets, settings) and runs no task, then RunDag
    /// alone against a fake build engine, given what the real targets would have given it.
    /// </summary>
    internal (RunDag Task, FakeBuildEngine Engine) RunDagByItself(params string[] arguments)
    {
        Build(["-t:_DagPrepare;_DagRecordFileSets;_DagSettings", .. arguments]).Succeeded();
        var engine = new FakeBuildEngine(ProjectFile, MessageImportance.High);
        ITaskItem[] Items(string type) => LastProject!.GetItems(type).ToArray<ITaskItem>();
        var task = new RunDag
        {
            BuildEngine = engine, ProjectFile = ProjectFile, AssemblyPath = AssemblyPath, StateDirectory = LastProject!.GetPropertyValue("DagStateDirectory"),
            Tasks = Items("DagTask"), ForEachItems = Items("_DagForEachItem"), Settings = Items("_DagSetting"),
        };
        return (task, engine);
    }

    /// <summary>
    /// Runs the DAG as a watch's cycle does, on workers kept between cycles: the real targets verify the state, fingerprint
    /// the code and record the file sets (<see cref="RunDagByItself"/>); then every task decides by itself, no check target run.
    /// </summary>
    internal BuildResult RunAsWatchCycle(Dagdog.Running.KeptExecutors kept)
    {
        var (run, engine) = RunDagByItself();
        var succeeded = run.Cycle(AssemblyPath)
            .Run("", [], new WatchRun(kept, System.Diagnostics.Stopwatch.GetTimestamp(), new Dagdog.Running.RunningUnits()), CancellationToken.None);
        return new BuildResult("(a watch's cycle)", succeeded && !engine.HasErrors ? 0 : 1, engine.Output, Ran) { Report = RunReportFile.In(Directory) };
    }

    // Evaluates the project afresh (as the CLI does for a restore and again for the build) and builds these targets.
    private bool Run(CommandLine command, string[] targets, ConsoleText console, bool restoring)
    {
        using var collection = new ProjectCollection();
        var properties = new Dictionary<string, string>(command.Properties, StringComparer.OrdinalIgnoreCase)
        {
            ["DagdogTasksAssembly"] = typeof(RunDag).Assembly.Location,
        };
        if (restoring) properties["MSBuildIsRestoring"] = "true";
        ProjectInstance project;
        try
        {
            project = new ProjectInstance(OnStandInSdk(collection), properties, toolsVersion: null, collection);
        }
        catch (InvalidProjectFileException e)
        {
            console.Error(new BuildErrorEventArgs(null, e.ErrorCode, e.ProjectFile, e.LineNumber, e.ColumnNumber, 0, 0, e.BaseMessage, null, "MSBuild"));
            return false;
        }
        if (restoring) LastRestore = project;
        else LastProject = project;
        return InProcessMSBuild.Build(collection, project, targets, [console], command.Nodes, manager =>
        {
            lock (_cancel) _building = manager;
        });
    }

    // The project file as written, its Sdk attribute's imports made explicit, with the stand-in for the .NET SDK below
    // Dagdog's (as MSBuild expands Sdk="..." into an import at the top and one at the bottom).
    private ProjectRootElement OnStandInSdk(ProjectCollection collection)
    {
        var root = ProjectRootElement.Open(ProjectFile, collection, preserveFormatting: true);
        Assert.StartsWith("Dagdog.Sdk/", root.Sdk);
        root.Sdk = "";
        root.PrependChild(root.CreateImportElement(Path.Combine(sdkDirectory, "Sdk", "Sdk.props")));
        root.AppendChild(root.CreateImportElement(Path.Combine(sdkDirectory, "Sdk", "Sdk.targets")));
        return root;
    }

    // Compiles every .cs file of the project when one changed since the last build, as the compiler would.
    private bool Compile(ConsoleText console)
    {
        var sources = System.IO.Directory.EnumerateFiles(Directory, "*.cs", SearchOption.AllDirectories)
            .Where(path => Path.GetRelativePath(Directory, path).Split(Path.DirectorySeparatorChar)[0] is not ("bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(path => (Name: path, Text: File.ReadAllText(path)))
            .ToArray();
        var stamp = PathOf("obj/sources.sha256");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(sources.Select(s => $"{s.Name}\n{s.Text}\n")))));
        if (File.Exists(AssemblyPath) && File.Exists(stamp) && File.ReadAllText(stamp) == hash) return true;
        var (_, errors) = CompiledTasks.TryCompile("Analysis", sources, [], System.IO.Directory.CreateDirectory(Path.GetDirectoryName(AssemblyPath)!).FullName);
        foreach (var error in errors) console.Error(new BuildErrorEventArgs(null, null, null, 0, 0, 0, 0, error, null, "Csc"));
        if (errors.Count == 0) File.WriteAllText(stamp, hash);
        return errors.Count == 0;
    }

    /// <summary>The parts of a 'dotnet build' command line these builds read.</summary>
    private sealed class CommandLine
    {
        public CommandLine(string[] arguments)
        {
            foreach (var argument in arguments)
            {
                if (argument.StartsWith("-p:", StringComparison.Ordinal) && argument[3..].Split('=', 2) is [var name, var value]) Properties[name] = value;
                else if (argument.StartsWith("-t:", StringComparison.Ordinal)) Targets = argument[3..].Split(';', StringSplitOptions.RemoveEmptyEntries);
                else if (argument.StartsWith("-m:", StringComparison.Ordinal)) Nodes = int.Parse(argument[3..], System.Globalization.CultureInfo.InvariantCulture);
                else if (argument == "--no-restore") Restore = false;
                else if (argument.StartsWith("-getProperty:", StringComparison.Ordinal)) GetProperty = argument["-getProperty:".Length..];
                else if (argument.StartsWith("-v:", StringComparison.Ordinal)) Shown = argument[3..] switch
                {
                    "q" or "quiet" or "m" or "minimal" => MessageImportance.High,
                    "n" or "normal" => MessageImportance.Normal,
                    _ => MessageImportance.Low,
                };
                else throw new NotSupportedException($"These builds do not read '{argument}'.");
            }
        }

        public Dictionary<string, string> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string[] Targets { get; } = ["Build"];

        /// <summary>MSBuild's node count (-m), as the CLI's default: one per core.</summary>
        public int Nodes { get; } = Environment.ProcessorCount;

        public MessageImportance Shown { get; } = MessageImportance.High;

        /// <summary>False with --no-restore: the generated targets stay as they are.</summary>
        public bool Restore { get; } = true;

        /// <summary>The property -getProperty asks for, printed alone.</summary>
        public string? GetProperty { get; }
    }
}

/// <summary>New project folders for the specs, each in a folder of its own under one temporary folder per test class.</summary>
public sealed class BuildProjects : IDisposable
{
    private static readonly string StandIn = Path.Combine(Repository.Root, "tests", "Dagdog.Build.Tests", "DotNetSdkStandIn");

    /// <summary>The folder the projects are in.</summary>
    public string Root { get; } = System.IO.Directory.CreateTempSubdirectory("dagdog-build-").FullName;

    private readonly string _sdk;

    public BuildProjects() => _sdk = DagdogSdkOnStandIn(Path.Combine(Root, "Dagdog.Sdk"));

    public BuildProject CreateProject(string name) => new(Path.Combine(Root, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]), _sdk);

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);

    // Dagdog's Sdk.props and Sdk.targets as they are, but for two imports: the .NET SDK's (the stand-in's instead) and
    // Dagdog's build folder (the repository's, which the package puts beside them).
    private static string DagdogSdkOnStandIn(string directory)
    {
        foreach (var file in new[] { "Sdk.props", "Sdk.targets" })
        {
            var text = File.ReadAllText(Path.Combine(Repository.Root, "sdk", "Sdk", file));
            text = Replaced(text, $"""<Import Project="{file}" Sdk="Microsoft.NET.Sdk" />""", $"""<Import Project="{Path.Combine(StandIn, file)}" />""");
            text = Replaced(text, @"$(MSBuildThisFileDirectory)..\build\", Path.Combine(Repository.Root, "sdk", "build") + Path.DirectorySeparatorChar);
            System.IO.Directory.CreateDirectory(Path.Combine(directory, "Sdk"));
            File.WriteAllText(Path.Combine(directory, "Sdk", file), text);
        }
        return directory;

        static string Replaced(string text, string what, string with) =>
            text.Contains(what, StringComparison.Ordinal) ? text.Replace(what, with, StringComparison.Ordinal)
                : throw new InvalidOperationException($"Dagdog's Sdk files no longer contain '{what}': update the Build tier's stand-in.");
    }
}
