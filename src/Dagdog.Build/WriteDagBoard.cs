using Dagdog.Build.Board;
using Dagdog.Graph;

namespace Dagdog.Build;

/// <summary>
/// <c>-p:DagBoardFile=board.html</c>: after the run (or its failure), the board as one self-contained HTML file, to keep
/// from CI or send; named in GitHub's step summary when there is one.
/// </summary>
public sealed class WriteDagBoard : DagStatusTask
{
    protected override bool ExecuteDagdog()
    {
        var file = Setting.BoardFile;
        if (file.Length == 0) return true;
        var directory = System.IO.Path.GetDirectoryName(ProjectFile)!;
        var target = System.IO.Path.GetFullPath(file, directory);
        // Read silently: the run told the DAG's problems already.
        var project = new DagProject(Tasks, ForEachItems, Settings, StateDirectory, AssemblyPath: "");
        if (SilentEngine.Reading(BuildEngine3, ProjectFile, project).Board($"{DateTime.Now:yyyy-MM-dd HH:mm:ss} build") is not { } document)
            return GoesOn(new DagProblem(DagCodes.BoardUnavailable, null, $"The board file {target} was not written: the DAG could not be read (see the errors above).", IsWarning: true));
        try
        {
            BoardProcess.Snapshot(target, document, directory);
        }
        catch (BoardException e)
        {
            return GoesOn(new DagProblem(DagCodes.BoardUnavailable, null, $"{e.Message} Check that the folder of DagBoardFile can be written."));
        }
        Live.Print($"Dag: board written to {target}");
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
            File.AppendAllText(summary, $"\nThe board of this run: `{System.IO.Path.GetRelativePath(Environment.CurrentDirectory, target)}` (one HTML file; upload it as an artifact to open it).\n");
        return true;
    }
}
