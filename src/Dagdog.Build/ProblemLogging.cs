using Microsoft.Build.Utilities;

namespace Dagdog.Build;

internal static class ProblemLogging
{
    /// <summary>Logs a DAG problem as an MSBuild error located in <paramref name="file"/>, naming the task.</summary>
    public static void LogProblem(this TaskLoggingHelper log, DagProblem problem, string file) =>
        log.LogError(subcategory: null, problem.Code, helpKeyword: null, file, 0, 0, 0, 0, problem.Message);

    /// <summary>Logs every problem; returns true when there were none.</summary>
    public static bool LogProblems(this TaskLoggingHelper log, IEnumerable<DagProblem> problems, string file)
    {
        var any = false;
        foreach (var problem in problems)
        {
            log.LogProblem(problem, file);
            any = true;
        }
        return !any;
    }
}
