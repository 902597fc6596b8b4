using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Dagdog.Build;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dagdog.Testing;

/// <summary>
/// A Dagdog project built by Dagdog's own MSBuild tasks, called as build/Dagdog.targets calls them, against a fake build
/// engine. What MSBuild and the .NET SDK do around them is done here their way: properties from the command line, the
/// project file and Dagdog.props (read from the SDK's own file); the generated targets' validation at restore; the
/// compiler (Roslyn, in process, only when a source changed); and the check targets' Inputs/Outputs rule, which marks
/// the tasks MSBuild would find stale. What only MSBuild can show (the targets, the loggers, the CLI) is for the
/// end-to-end specs. Tasks run in real worker processes, as in a build.
/// </summary>
public sealed partial class BuildProject(string directory) : ProjectFolder<BuildProject>(directory)
{
    private static readonly string DagdogProps = Path.Combine(Repository.Root, "sdk", "build", "Dagdog.props");

    private static readonly string DagdogTargets = Path.Combine(Repository.Root, "sdk", "build", "Dagdog.targets");

    private string AssemblyPath => PathOf("bin/Debug/net10.0/Analysis.dll");

    /// <summary>The engine of the last build, for what a spec needs beyond what it printed.</summary>
    internal FakeBuildEngine? LastEngine { get; private set; }

    private volatile RunDag? _running;

    /// <summary>Workers kept from one build to the next, as a watch keeps them between its runs; null for a build's own.</summary>
    internal Dagdog.Running.KeptExecutors? KeptWorkers { get; set; }

    /// <summary>
    /// Builds as <see cref="ProjectFolder{TSelf}.Build(string[])"/> does, and presses Ctrl+C (MSBuild cancels RunDag)
    /// once the build has printed <paramref name="line"/>.
    /// </summary>
    public BuildResult BuildAndInterrupt(string line, params string[] arguments)
    {
        var build = System.Threading.Tasks.Task.Run(() => Build(arguments));
        while (!build.IsCompleted && LastEngine?.Output.Contains(line, StringComparison.Ordinal) != true) Thread.Sleep(20);
        LastEngine!.Cancelled = true;
        _running?.Cancel();
        return build.GetAwaiter().GetResult();
    }

    protected override BuildResult RunBuild(string[] arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        Assert.True(environment is null, "A build against the fake engine runs in the test's own process, with its environment.");
        var command = new CommandLine(arguments);
        var engine = LastEngine = new FakeBuildEngine(ProjectFile, command.Shown);
        var succeeded = false;
        var properties = new Dictionary<string, string>();
        try
        {
            succeeded = Build(command, engine, properties);
        }
        finally
        {
            engine.EndBuild();
        }
        // -getProperty prints the property alone, and nothing the loggers would have.
        var output = command.GetProperty is { } name ? properties.GetValueOrDefault(name, "") : engine.Output;
        return new BuildResult($"(fake engine) build {string.Join(' ', arguments)}", succeeded && !engine.HasErrors ? 0 : 1, output, Ran)
        {
            Report = RunReportFile.In(Directory),
        };
    }

    // The targets' Output properties land in outputs.
    private bool Build(CommandLine command, FakeBuildEngine engine, Dictionary<string, string> outputs)
    {
        var (tasks, items, properties) = Evaluate(command.Properties);
        string Property(string name) => properties.GetValueOrDefault(name, "");
        var settings = Settings(properties);
        T Task<T>(T task) where T : DagdogTask
        {
            task.BuildEngine = engine;
            task.ProjectFile = ProjectFile;
            if (task is DagStateTask state)
            {
                state.StateDirectory = Property("DagStateDirectory");
                state.Tasks = tasks;
                state.ForEachItems = items;
                state.Settings = settings;
            }
            return task;
        }

        // Restore: the generated targets are written, and a wrong declaration fails the build; then the build's first
        // target checks them against the declarations and reports the declarations' warnings, once.
        var generated = PathOf("obj/Analysis.dag.g.targets");
        if (command.Restore && !Task(new GenerateDagTargets { TargetsFile = generated, Tasks = tasks }).Execute()) return false;
        var signature = File.Exists(generated) ? XDocument.Load(generated).Descendants("_DagGeneratedSignature").Single().Value : "";
        if (!Task(new CheckDagDeclarations { TargetsFile = generated, GeneratedSignature = signature, Tasks = tasks }).Execute()) return false;
        if (!Compile(engine)) return false;
        if (!Task(new LockDagProject()).Execute()) return false;

        var ranFor = (string?)null;
        foreach (var target in command.Targets)
        {
            var ok = target switch
            {
                "Build" => Property("DagRun") == "false" || Dag(""),
                "Dag" => Dag(""),
                "DagList" => Prepare() && Task(new ListDagTasks()) is var list
                             && list.Execute() && (outputs["DagListJson"] = list.Json) is not null,
                "DagGraph" => Prepare() && Task(new DrawDagGraph()) is var graph && graph.Execute() && (outputs["DagGraph"] = graph.Graph) is not null,
                "DagReset" => Task(new ResetDagState()).Execute(),
                _ when target.StartsWith("Dag_", StringComparison.Ordinal) => Dag(target["Dag_".Length..])
                                                                             && Task(new CheckDagTarget { Task = target["Dag_".Length..], RanFor = ranFor! }).Execute(),
                _ => throw new NotSupportedException($"The fake build knows no target {target}."),
            };
            if (!ok) return false;
        }
        return true;

        bool Prepare() =>
            Task(new VerifyDagState { AssemblyPath = AssemblyPath }).Execute()
            && Task(new InspectDagAssembly { AssemblyPath = AssemblyPath }).Execute()
            && Task(new RecordDagFileSets()).Execute();

        // The Dag target: the check targets of the selection first, then RunDag; it runs once per build.
        bool Dag(string target)
        {
            if (ranFor is not null) return true;
            if (!Prepare()) return false;
            var plan = Task(new PlanDagRun { DagTarget = target });
            if (!plan.Execute()) return false;
            var run = Task(new RunDag
            {
                DagTarget = target, AssemblyPath = AssemblyPath, Stale = StaleByTimestamps(tasks, Property("DagStateDirectory"), plan.CheckTargets),
            });
            _running = run;
            // With kept workers, the run a watch's cycle makes: each task decides by itself, on the workers kept between runs.
            var ran = KeptWorkers is { } kept
                ? run.Cycle(AssemblyPath).Run(target, [], new WatchRun(kept, System.Diagnostics.Stopwatch.GetTimestamp(), new Dagdog.Running.RunningUnits()), CancellationToken.None)
                : run.Execute();
            if (!ran) return false;
            ranFor = target;
            return true;
        }
    }

    // Dagdog's settings as the real targets gather them (@(_DagSetting)), each value's property references taken from this build's properties.
    private static ITaskItem[] Settings(IReadOnlyDictionary<string, string> properties) =>
        XDocument.Load(DagdogTargets).Root!.Elements("Target").Single(target => target.Attribute("Name")?.Value == "_DagSettings").Descendants("_DagSetting")
            .Where(setting => setting.Attribute("Include") is not null)
            .Select(setting => (ITaskItem)new TaskItem(setting.Attribute("Include")!.Value, new Dictionary<string, string>
            {
                ["Value"] = PropertyReference().Replace(setting.Attribute("Value")!.Value, reference => properties.GetValueOrDefault(reference.Groups["name"].Value, "")),
            }))
            .ToArray();

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial System.Text.RegularExpressions.Regex PropertyReference();

    // The tasks whose check targets MSBuild runs (the roots' and, through DependsOnTargets, their upstream's) and finds
    // stale by their Inputs/Outputs: a missing output, or an input newer than the oldest output. A family's check has
    // no Inputs/Outputs: it always runs.
    private ITaskItem[] StaleByTimestamps(ITaskItem[] items, string stateDirectory, string[] checkTargets)
    {
        var dag = Dagdog.Dag.Create(Declarations.FromItems(items)).Dag!;
        var project = new DagOnDisk(dag, new StateLayout(stateDirectory, Directory), _ => { });
        var checkedTasks = new HashSet<DagNode>();
        var pending = new Stack<DagNode>(checkTargets.Select(target => dag[target["_DagCheck_".Length..]]));
        while (pending.TryPop(out var task))
        {
            if (checkedTasks.Add(task)) foreach (var parent in task.Parents) pending.Push(parent);
        }
        return checkedTasks
            .Where(task => task.Family is not null || Staleness.ByTimestamps(project.OnDisk(task), Staleness.FileTime) is var (reason, newer) && (reason is not null || newer))
            .Select(task => (ITaskItem)new TaskItem(task.Name))
            .ToArray();
    }

    // The project's DagTask items, the items its families are for each of (as the generated targets gather them into
    // _DagForEachItem), and its properties: the command line's, then the project file's, then Dagdog.props'.
    private (ITaskItem[] Tasks, ITaskItem[] Items, Dictionary<string, string> Properties) Evaluate(IReadOnlyDictionary<string, string> global)
    {
        var project = XDocument.Load(ProjectFile);
        var properties = new Dictionary<string, string>(global, StringComparer.OrdinalIgnoreCase);
        foreach (var property in project.Root!.Elements("PropertyGroup").Elements()) properties.TryAdd(property.Name.LocalName, property.Value.Trim());
        properties.TryAdd("DagStateDirectory", PathOf("obj/dag/"));
        foreach (var property in XDocument.Load(DagdogProps).Root!.Elements("PropertyGroup").Elements())
        {
            properties.TryAdd(property.Name.LocalName, property.Value.Trim().Replace("$(MSBuildNodeCount)", "2"));
        }
        // Dagdog.targets' default, which depends on the executor the project may choose.
        properties.TryAdd("DagJobs", properties.GetValueOrDefault("DagExecutor") == "slurm" ? "32" : "2");
        var tasks = project.Root.Elements("ItemGroup").Elements("DagTask")
            .SelectMany(element => element.Attribute("Include")!.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(name => (ITaskItem)new TaskItem(name, element.Attributes().Where(a => a.Name != "Include").ToDictionary(a => a.Name.LocalName, a => a.Value))))
            .ToArray();
        var itemTypes = tasks.SelectMany(task => TaskDeclaration.SplitList(task.GetMetadata("ForEachItem"))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var items = project.Root.Elements("ItemGroup").Elements().Where(element => itemTypes.Contains(element.Name.LocalName))
            .SelectMany(element => element.Attribute("Include")!.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(identity => (ITaskItem)new TaskItem(identity, element.Attributes().Where(a => a.Name != "Include").Select(a => (a.Name.LocalName, a.Value))
                    .Concat(element.Elements().Select(e => (e.Name.LocalName, e.Value)))
                    .Append((Declarations.ItemTypeMetadata, element.Name.LocalName))
                    .ToDictionary(m => m.Item1, m => m.Item2))))
            .ToArray();
        return (tasks, items, properties);
    }

    // Compiles every .cs file of the project when one changed since the last build, as the compiler would.
    private bool Compile(FakeBuildEngine engine)
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
        foreach (var error in errors) engine.LogErrorEvent(new BuildErrorEventArgs(null, null, null, 0, 0, 0, 0, error, null, "Csc"));
        if (errors.Count == 0) File.WriteAllText(stamp, hash);
        return errors.Count == 0;
    }

    /// <summary>The parts of a 'dotnet build' command line the fake build reads.</summary>
    private sealed class CommandLine
    {
        public CommandLine(string[] arguments)
        {
            foreach (var argument in arguments)
            {
                if (argument.StartsWith("-p:", StringComparison.Ordinal) && argument[3..].Split('=', 2) is [var name, var value]) Properties[name] = value;
                else if (argument.StartsWith("-t:", StringComparison.Ordinal)) Targets = argument[3..].Split(';', StringSplitOptions.RemoveEmptyEntries);
                else if (argument.StartsWith("-m:", StringComparison.Ordinal)) Properties.TryAdd("DagJobs", argument[3..]);
                else if (argument == "--no-restore") Restore = false;
                else if (argument.StartsWith("-getProperty:", StringComparison.Ordinal)) GetProperty = argument["-getProperty:".Length..];
                else if (argument.StartsWith("-v:", StringComparison.Ordinal)) Shown = argument[3..] switch
                {
                    "q" or "quiet" or "m" or "minimal" => MessageImportance.High,
                    "n" or "normal" => MessageImportance.Normal,
                    _ => MessageImportance.Low,
                };
                else throw new NotSupportedException($"The fake build does not read '{argument}'.");
            }
        }

        public Dictionary<string, string> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string[] Targets { get; } = ["Build"];

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
    /// <summary>The folder the projects are in.</summary>
    public string Root { get; } = System.IO.Directory.CreateTempSubdirectory("dagdog-build-").FullName;

    public BuildProject CreateProject(string name) => new(Path.Combine(Root, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]));

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);
}
