using Dagdog.Graph;

namespace Dagdog.State;

/// <summary>
/// What a task's globs matched, one file per task that has globs (<see cref="StateLayout.FileSetFile"/>), among the
/// Inputs of its check target. MSBuild compares times only: a file that stops matching, or starts matching with an
/// old time, would go unseen. This file is rewritten exactly when the matches change, and its new time makes MSBuild
/// check the task; what changed is then told by comparing with the last run's record (<c>input added: data/x.csv</c>).
/// </summary>
internal static class FileSets
{
    /// <summary>Writes the task's file set when it has globs and the matches differ from the file; true when it wrote.</summary>
    public static bool Record(StateLayout layout, string task, TaskDataFiles files) =>
        files.Globbed && StateFiles.WriteIfChanged(layout.FileSetFile(task),
            string.Concat(files.Inputs.Select(path => $"input\t{path}\n").Concat(files.Outputs.Select(path => $"output\t{path}\n"))));
}
