using Dagdog.Families;
using Dagdog.Graph;
using Dagdog.Running;
using Dagdog.State;

namespace Dagdog.Board;

/// <summary>
/// The board's document of a project now: each task's status as the picture says it (<see cref="StatusWords.Picture"/>),
/// why it would run, its last run (with the error its record keeps), its declared files as they are on disk, its log,
/// the command line that runs it alone, and its durations and output numbers over the kept runs (<see cref="KeptRuns"/>).
/// </summary>
internal static class BoardDocuments
{
    public static BoardDocument Of(DagOnDisk project, string projectName, IReadOnlyList<TurnResult> foreseen, IReadOnlyList<FamilyItem> items, string? cycle)
    {
        var history = KeptRuns.Read(project.Layout);
        var tasks = foreseen.OrderBy(result => result.Task.Index).Select(result => Task(project, result, items, history)).ToList();
        return new BoardDocument(BoardFeed.Format, projectName, project.Layout.ProjectDirectory, DateTime.UtcNow, cycle,
            DagPicture.Statuses.Select(s => new BoardStatus(s.Class, s.Label, s.Fill, s.Stroke)).ToList(), tasks);
    }

    private static BoardTask Task(DagOnDisk project, TurnResult result, IReadOnlyList<FamilyItem> items, IReadOnlyDictionary<string, KeptRuns.UnitHistory> history)
    {
        var task = result.Task;
        var instances = task.Family is null ? null : InstancesOf(project, result, items, history);
        return Unit(project, result, task.Name, key: null, task.Family is null ? project.FilesOf(task) : Union(instances!), history) with { Instances = instances };
    }

    private static List<BoardTask> InstancesOf(DagOnDisk project, TurnResult family, IReadOnlyList<FamilyItem> items, IReadOnlyDictionary<string, KeptRuns.UnitHistory> history)
    {
        var now = Instances.Of(family.Task, project.Layout.ProjectDirectory, items).Instances.ToDictionary(i => i.Key, StringComparer.Ordinal);
        return family.Instances.Select(instance => Unit(project, instance, instance.Name, instance.Key,
            project.FilesOf(family.Task, now.GetValueOrDefault(instance.Key!)), history)).ToList();
    }

    private static BoardTask Unit(DagOnDisk project, TurnResult result, string name, string? key, TaskDataFiles files, IReadOnlyDictionary<string, KeptRuns.UnitHistory> history)
    {
        var lastRun = project.StateOf(name).LastRun;
        var status = DagPicture.Style(StatusWords.Picture(result, lastRun)).Class;
        var run = lastRun is null ? null : new BoardRun(lastRun.StartedUtc, lastRun.Seconds, lastRun.Succeeded,
            lastRun.Error is null ? null : lastRun.Code is null ? lastRun.Error : $"{lastRun.Code}: {lastRun.Error}");
        var selection = key is null ? $"-p:Dag={name}" : $"'-p:Dag={name}'";
        return new BoardTask(result.Task.Index, name, result.Task.Parents.Select(p => p.Name).ToList(), status,
            result.Status is TurnStatus.WouldRun or TurnStatus.WouldRestore ? result.Reason : null, run,
            Files(project, files.Inputs), Files(project, files.Outputs), Relative(project, project.Layout.LogFile(name)),
            $"dotnet build {selection}", history.GetValueOrDefault(name)?.Seconds ?? [], Metrics(history.GetValueOrDefault(name)), key);
    }

    // The numbers of its last kept run with any, each with its value the run before and over every kept run.
    private static List<BoardMetric> Metrics(KeptRuns.UnitHistory? history)
    {
        if (history is not { Metrics: [.., var last] } runs) return [];
        var previous = runs.Metrics.Count > 1 ? runs.Metrics[^2] : null;
        return last.SelectMany(file => file.Value.Select(number => new BoardMetric(file.Key, number.Key, number.Value,
                previous?.GetValueOrDefault(file.Key)?.TryGetValue(number.Key, out var before) == true ? before : null,
                runs.Metrics.Select(run => run.GetValueOrDefault(file.Key)?.TryGetValue(number.Key, out var value) == true ? value : double.NaN)
                    .Where(value => !double.IsNaN(value)).ToList())))
            .ToList();
    }

    // A family's files are its instances' together, each once.
    private static TaskDataFiles Union(IReadOnlyList<BoardTask> instances) =>
        new(instances.SelectMany(i => i.Inputs).Select(f => f.Path).Distinct().ToList(), instances.SelectMany(i => i.Outputs).Select(f => f.Path).Distinct().ToList());

    private static List<BoardFile> Files(DagOnDisk project, IReadOnlyList<string> paths) => paths.Select(path =>
    {
        var file = new FileInfo(Path.GetFullPath(path, project.Layout.ProjectDirectory));
        return file.Exists ? new BoardFile(Relative(project, file.FullName), file.Length, file.LastWriteTimeUtc) : new BoardFile(Relative(project, file.FullName), null, null);
    }).ToList();

    private static string Relative(DagOnDisk project, string path) => Path.GetRelativePath(project.Layout.ProjectDirectory, path).Replace('\\', '/');
}
