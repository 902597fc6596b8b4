using System.Collections;
using Microsoft.Build.Framework;

namespace Dagdog.Testing;

/// <summary>
/// The build engine one Dagdog MSBuild task sees when a spec calls it by itself, for what only the task shows: whether it
/// yields the node, from which threads it logs, what a watch's cycle prints (<see cref="ConsoleText"/>). Builds of whole
/// projects run in the real MSBuild (<see cref="BuildProject"/>).
/// </summary>
internal sealed class FakeBuildEngine(string projectFile, MessageImportance shown) : IBuildEngine4
{
    private readonly ConsoleText _console = new(shown);
    private readonly Dictionary<object, object> _registered = [];

    public string Output => _console.Text;

    public bool HasErrors => _console.HasErrors;

    /// <summary>Yield and Reacquire calls, in order.</summary>
    public List<string> NodeCalls { get; } = [];

    /// <summary>The threads that logged, by managed thread id: MSBuild's loggers may only be called from the task's own.</summary>
    public HashSet<int> LoggingThreads => _console.PrintingThreads;

    public void LogErrorEvent(BuildErrorEventArgs e) => _console.Error(e);

    public void LogWarningEvent(BuildWarningEventArgs e) => _console.Warning(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => _console.Message(e);

    public void LogCustomEvent(CustomBuildEventArgs e) => _console.Custom(e);

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => projectFile;

    public bool IsRunningMultipleNodes => false;

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException("Dagdog's tasks build no other project.");

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) =>
        throw new NotSupportedException("Dagdog's tasks build no other project.");

    public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject,
        string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) => throw new NotSupportedException("Dagdog's tasks build no other project.");

    public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties,
        IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) => throw new NotSupportedException("Dagdog's tasks build no other project.");

    public void Yield() => NodeCalls.Add(nameof(Yield));

    public void Reacquire() => NodeCalls.Add(nameof(Reacquire));

    public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollection) => _registered[key] = obj;

    public object? GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _registered.GetValueOrDefault(key);

    public object? UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _registered.Remove(key, out var obj) ? obj : null;
}
