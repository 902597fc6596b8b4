using System.Collections;
using Microsoft.Build.Framework;

namespace Dagdog.Build.Board;

/// <summary>A build engine that hears nothing: for the board's reading of the project, whose problems the run has told already.</summary>
internal sealed class SilentEngine : IBuildEngine
{
    /// <summary>The Dag target's steps over <paramref name="project"/>, telling nothing: what the board reads with.</summary>
    public static DagCycle Reading(IBuildEngine3 engine, string projectFile, DagProject project)
    {
        var silent = new SilentEngine();
        return new DagCycle(new Microsoft.Build.Utilities.TaskLoggingHelper(silent, "DagBoard"), new LiveMessages(silent, "DagBoard"), engine, projectFile, project);
    }

    public bool ContinueOnError => true;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public void LogErrorEvent(BuildErrorEventArgs e)
    {
    }

    public void LogMessageEvent(BuildMessageEventArgs e)
    {
    }

    public void LogWarningEvent(BuildWarningEventArgs e)
    {
    }
}
