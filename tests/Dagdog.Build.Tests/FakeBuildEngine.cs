using System.Collections;
using System.Text;
using Microsoft.Build.Framework;

namespace Dagdog.Testing;

/// <summary>
/// The build engine Dagdog's MSBuild tasks see in these specs: it keeps what they log as the classic console logger
/// prints it (errors and warnings as <c>file(line,col): error CODE: message</c>, messages of the importance the
/// verbosity shows), the objects they register for the build, and whether they yielded the node.
/// </summary>
internal sealed class FakeBuildEngine(string projectFile, MessageImportance shown) : IBuildEngine4
{
    private readonly StringBuilder _output = new();
    private readonly Dictionary<object, object> _registered = [];

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasErrors { get; private set; }

    /// <summary>Yield and Reacquire calls, in order.</summary>
    public List<string> NodeCalls { get; } = [];

    /// <summary>The threads that logged, by managed thread id: MSBuild's loggers may only be called from the task's own.</summary>
    public HashSet<int> LoggingThreads { get; } = [];

    private void Print(string line)
    {
        lock (_output)
        {
            LoggingThreads.Add(Environment.CurrentManagedThreadId);
            _output.AppendLine(line);
        }
    }

    private static string At(string? file, int line, int column) =>
        line > 0 ? $"{file}({line},{column})" : file ?? "";

    public void LogErrorEvent(BuildErrorEventArgs e)
    {
        HasErrors = true;
        Print($"{At(e.File, e.LineNumber, e.ColumnNumber)}: error {e.Code}: {e.Message}");
    }

    public void LogWarningEvent(BuildWarningEventArgs e) => Print($"{At(e.File, e.LineNumber, e.ColumnNumber)}: warning {e.Code}: {e.Message}");

    public void LogMessageEvent(BuildMessageEventArgs e)
    {
        if (e.Importance <= shown) Print($"  {e.Message}");
    }

    public void LogCustomEvent(CustomBuildEventArgs e) => Print(e.Message ?? "");

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

    /// <summary>Set by Ctrl+C: MSBuild then cancels the running task and refuses it the node back, as here.</summary>
    public volatile bool Cancelled;

    public void Reacquire()
    {
        NodeCalls.Add(nameof(Reacquire));
        if (Cancelled) throw new Microsoft.Build.Exceptions.BuildAbortedException();
    }

    public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollection) => _registered[key] = obj;

    public object? GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _registered.GetValueOrDefault(key);

    public object? UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _registered.Remove(key, out var obj) ? obj : null;

    /// <summary>What MSBuild does with registered objects when the build ends: disposes them (the project lock).</summary>
    public void EndBuild()
    {
        foreach (var disposable in _registered.Values.OfType<IDisposable>()) disposable.Dispose();
        _registered.Clear();
    }
}
