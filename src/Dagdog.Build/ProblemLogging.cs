using System.Xml;
using System.Xml.Linq;
using Microsoft.Build.Utilities;

namespace Dagdog.Build;

internal static class ProblemLogging
{
    /// <summary>Logs a DAG problem as an MSBuild error at the DagTask item it is about, so editors jump to it.</summary>
    public static void LogProblem(this TaskLoggingHelper log, DagProblem problem, string projectFile)
    {
        var (line, column) = problem.TaskName is null ? (0, 0) : LocateDeclaration(projectFile, problem.TaskName);
        log.LogError(subcategory: null, problem.Code, helpKeyword: null, projectFile, line, column, 0, 0, problem.Message);
    }

    /// <summary>Logs every problem; returns true when there were none.</summary>
    public static bool LogProblems(this TaskLoggingHelper log, IEnumerable<DagProblem> problems, string projectFile)
    {
        var any = false;
        foreach (var problem in problems)
        {
            log.LogProblem(problem, projectFile);
            any = true;
        }
        return !any;
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
