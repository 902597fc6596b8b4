using System.Xml.Linq;
using System.Xml;
using Dagdog.Graph;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dagdog.Build;

internal static class ProblemLogging
{
    /// <summary>
    /// Logs a DAG problem as an MSBuild error or warning where it is (the user's line that threw), or else at the DagTask
    /// item it is about, so editors jump to it; its detail (a stack trace) at normal verbosity.
    /// </summary>
    public static void LogProblem(this TaskLoggingHelper log, DagProblem problem, string projectFile)
    {
        var (file, line, column) = problem.Location is { } at ? (at.File, at.Line, at.Column) : (projectFile, 0, 0);
        if (problem.Location is null && problem.TaskName is not null) (line, column) = LocateDeclaration(projectFile, problem.TaskName);
        if (problem.IsWarning) log.LogWarning(subcategory: null, problem.Code, helpKeyword: null, file, line, column, 0, 0, problem.Message);
        else log.LogError(subcategory: null, problem.Code, helpKeyword: null, file, line, column, 0, 0, problem.Message);
        if (problem.Detail is not null) log.LogMessage(MessageImportance.Normal, problem.Detail);
    }

    /// <summary>Logs the problem when there is one; true when the step goes on: there was none, or only a warning.</summary>
    public static bool GoesOn(this TaskLoggingHelper log, DagProblem? problem, string projectFile)
    {
        if (problem is null) return true;
        log.LogProblem(problem, projectFile);
        return problem.IsWarning;
    }

    /// <summary>Logs the errors among the problems, and the warnings too if asked; returns true when there was no error.</summary>
    public static bool LogProblems(this TaskLoggingHelper log, IEnumerable<DagProblem> problems, string projectFile, bool warnings = false)
    {
        var errors = false;
        foreach (var problem in problems.Where(p => warnings || !p.IsWarning))
        {
            log.LogProblem(problem, projectFile);
            errors |= !problem.IsWarning;
        }
        return !errors;
    }

    // The line and column of the '<' of the first <DagTask Include="..."> naming the task in the project file; (0, 0) when it is declared elsewhere.
    private static (int Line, int Column) LocateDeclaration(string projectFile, string taskName)
    {
        try
        {
            var element = XDocument.Load(projectFile, LoadOptions.SetLineInfo).Descendants()
                .FirstOrDefault(e => e.Name.LocalName == "DagTask"
                    && TaskDeclaration.SplitList((string?)e.Attribute("Include")).Contains(taskName));
            IXmlLineInfo? info = element;
            return info is not null && info.HasLineInfo() ? (info.LineNumber, info.LinePosition - 1) : (0, 0);
        }
        catch (Exception e) when (e is IOException or XmlException)
        {
            return (0, 0);
        }
    }
}
