using System.Collections;
using Dagdog.Watching;
using Microsoft.Build.Framework;

namespace Dagdog.Build.Watching;

/// <summary>
/// The build engine a watch cycle's steps log to (<see cref="DagCycle"/>, the Dag target's steps). A cycle's errors and warnings
/// belong to that cycle: logged as MSBuild errors, they would fail the whole watch at its end though a later save fixed
/// them, and the terminal logger would hold them back until then. So each is printed at once as the line the classic
/// logger would print (<c>Fit.cs(3,5): error CS1002: ...</c>), through <see cref="LiveMessages"/>, and counted. The
/// watch keeps its MSBuild node until it ends (it has nothing to give back between cycles, and a node given back cannot
/// be taken again once Ctrl+C cancelled the build), so the run's Yield and Reacquire do nothing.
/// </summary>
internal sealed class CycleEngine(IBuildEngine4 engine, LiveMessages live) : IBuildEngine4
{
    public int Errors { get; private set; }

    public void LogErrorEvent(BuildErrorEventArgs e)
    {
        Errors++;
        live.Print(BuildMessage.Canonical(e.File, e.LineNumber, e.ColumnNumber, "error", e.Code, e.Message));
    }

    public void LogWarningEvent(BuildWarningEventArgs e) => live.Print(BuildMessage.Canonical(e.File, e.LineNumber, e.ColumnNumber, "warning", e.Code, e.Message));

    public void LogMessageEvent(BuildMessageEventArgs e) => engine.LogMessageEvent(e);

    public void LogCustomEvent(CustomBuildEventArgs e) => engine.LogCustomEvent(e);

    public bool ContinueOnError => engine.ContinueOnError;

    public int LineNumberOfTaskNode => engine.LineNumberOfTaskNode;

    public int ColumnNumberOfTaskNode => engine.ColumnNumberOfTaskNode;

    public string ProjectFileOfTaskNode => engine.ProjectFileOfTaskNode;

    public bool IsRunningMultipleNodes => engine.IsRunningMultipleNodes;

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        engine.BuildProjectFile(projectFileName, targetNames, globalProperties, targetOutputs);

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) =>
        engine.BuildProjectFile(projectFileName, targetNames, globalProperties, targetOutputs, toolsVersion);

    public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject,
        string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) =>
        engine.BuildProjectFilesInParallel(projectFileNames, targetNames, globalProperties, targetOutputsPerProject, toolsVersion, useResultsCache, unloadProjectsOnCompletion);

    public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties,
        IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) =>
        engine.BuildProjectFilesInParallel(projectFileNames, targetNames, globalProperties, removeGlobalProperties, toolsVersion, returnTargetOutputs);

    public void Yield()
    {
    }

    public void Reacquire()
    {
    }

    public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollection) =>
        engine.RegisterTaskObject(key, obj, lifetime, allowEarlyCollection);

    public object GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => engine.GetRegisteredTaskObject(key, lifetime);

    public object UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => engine.UnregisterTaskObject(key, lifetime);
}
