using Dagdog.Graph;
using Dagdog.Running;
using Dagdog.State;
using Dagdog.Watching;
using Microsoft.Build.Framework;

namespace Dagdog.Build.Watching;

/// <summary>
/// What a watch keeps from cycle to cycle: the last evaluation and what it says to watch, compile and copy, the folders
/// watched, and the workers.
/// </summary>
internal sealed class WatchSession
{
    private readonly string _projectFile;
    private readonly FolderWatch _folders;

    public WatchSession(string projectFile, IReadOnlyDictionary<string, string> globals, int nodes, FolderWatch folders, KeptExecutors workers)
    {
        (_projectFile, Globals, Nodes, _folders, Workers) = (projectFile, globals, nodes, folders, workers);
        ProjectDirectory = Path.GetDirectoryName(projectFile)!;
        // From the start, so that a save during the first evaluation starts the next cycle.
        folders.Watch(new WatchedFiles(projectFile, new HashSet<string>(), [], _ => false).Folders([]));
    }

    public string ProjectDirectory { get; }

    public IReadOnlyDictionary<string, string> Globals { get; }

    public int Nodes { get; }

    public KeptExecutors Workers { get; }

    /// <summary>The last evaluation that told the project's properties and items; null before the first.</summary>
    public ProjectEvaluation? Evaluation { get; private set; }

    /// <summary>What a save of each file makes a cycle redo, as <see cref="Evaluation"/> says; null before the first.</summary>
    public WatchedFiles? Files { get; private set; }

    /// <summary>Where the state lives before an evaluation says it: <c>obj/dag/</c>, Dagdog's default.</summary>
    public StateLayout Layout => Evaluation?.Settings.StateDirectory is { Length: > 0 } state ? new(state, ProjectDirectory) : StateLayout.Default(ProjectDirectory);

    /// <summary>Takes what an evaluation told, even one whose build failed: a new source file with an error is watched too.</summary>
    public void Evaluated(ProjectEvaluation evaluation)
    {
        if (evaluation.Properties.Count == 0) return;
        Evaluation = evaluation;
        var dag = Dag.Create(Declarations.FromItems(evaluation.Item("DagTask"))).Dag;
        var compiled = evaluation.Item("Compile")
            .Concat(evaluation.Item("EmbeddedResource").Where(item => !item.ItemSpec.EndsWith(".resx", StringComparison.OrdinalIgnoreCase)))
            .Select(item => FullPath(item.ItemSpec)).ToHashSet(StringComparer.Ordinal);
        // What the build and the watch write: a save there is never a reason for a cycle.
        string[] generated = [FullPath(evaluation.Property("BaseIntermediateOutputPath")), FullPath(evaluation.Property("BaseOutputPath")), Layout.StateDirectory];
        Files = new WatchedFiles(_projectFile, compiled, generated.Where(path => path != ProjectDirectory).ToList(),
            dag is null ? _ => false : DataFlow.IsSourceInput(dag.Tasks));
        _folders.Watch(Files.Folders(dag is null ? [] : DataFlow.SourceInputs(dag.Tasks)));
    }

    /// <summary>
    /// True when what the last evaluation's build wrote is still there: the compiler's generated inputs under <c>obj/</c>
    /// (its sources and analyzer configuration) and the built assembly in <c>bin/</c> with what it needs beside it. A
    /// <c>dotnet clean</c>, a <c>git clean</c> or a user tidying up removes them; then only a child build writes them again.
    /// </summary>
    public bool BuildIsIntact()
    {
        if (Evaluation is not { } evaluation || !File.Exists(FullPath(evaluation.Property("TargetPath")))) return false;
        foreach (var argument in evaluation.Item("CscCommandLineArgs").Select(item => item.ItemSpec))
        {
            var path = argument.StartsWith("/analyzerconfig:", StringComparison.Ordinal) ? argument["/analyzerconfig:".Length..]
                : argument.StartsWith('/') || argument.StartsWith('-') ? null : argument;
            if (path is not null && !File.Exists(FullPath(path))) return false;
        }
        return true;
    }

    /// <summary>Compiles the project as its last evaluation's build did, through the compiler server.</summary>
    public Compilation Compile(CancellationToken stop)
    {
        var evaluation = Evaluation!;
        var compiler = CompilerServer.Of(evaluation.Property("RoslynTargetsPath"))
            ?? throw new InvalidOperationException($"The SDK's compiler is not in {evaluation.Property("RoslynTargetsPath")}/bincore.");
        var arguments = evaluation.Item("CscCommandLineArgs").Select(item => item.ItemSpec).ToList();
        return compiler.Compile(arguments, ProjectDirectory, Layout.WatchResponseFile, stop).GetAwaiter().GetResult();
    }

    /// <summary>Copies what the compiler wrote to where the build puts it.</summary>
    public void CopyOutputs()
    {
        var evaluation = Evaluation!;
        string? Single(string item) => evaluation.Item(item) is [var one] ? FullPath(one.ItemSpec) : null;
        (string?, string?)[] files =
        [
            (Single("IntermediateAssembly"), FullPath(evaluation.Property("TargetPath"))),
            (Single("_DebugSymbolsIntermediatePath"), Single("_DebugSymbolsOutputPath")),
            (Single("IntermediateRefAssembly"), evaluation.Property("TargetRefPath") is { Length: > 0 } reference ? FullPath(reference) : null),
        ];
        new OutputCopies(files.Where(f => f.Item1 is not null && f.Item2 is not null && f.Item1 != f.Item2).Select(f => (f.Item1!, f.Item2!)).ToList()).Copy();
    }

    private string FullPath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(ProjectDirectory, path)));
}
