using Dagdog.Families;
using Dagdog.Graph;

namespace Dagdog.State;

/// <summary>
/// The project's DAG with its state on disk: each task's data files as they are now (globs expanded when asked, see
/// <see cref="DeclaredFiles"/>), and its runs' records (<see cref="StateStore"/>). Safe to use from several threads.
/// A record that cannot be read is forgotten (the task counts as never run) and told to <paramref name="unreadable"/>.
/// </summary>
internal sealed class DagOnDisk(Dag dag, StateLayout layout, Action<string> unreadable)
{
    public Dag Dag { get; } = dag;

    public StateLayout Layout { get; } = layout;

    /// <summary>Every task's and instance's run records: read once, and kept as they are written.</summary>
    public StateStore Store { get; } = new(layout, unreadable);

    /// <summary>The task's (or one of its instances') declared files as they are on disk now.</summary>
    public TaskDataFiles FilesOf(DagNode task, Instance? instance = null) =>
        DeclaredFiles.Of(task.Family is null && !FamilyFiles.HasWildcards(task.Declaration) ? task.Declaration : FamilyFiles.Resolve(task, instance, KeysOf),
            Layout.ProjectDirectory);

    public TaskState StateOf(DagNode task) => StateOf(task.Name);

    /// <summary>A family's instance keys as its last turn recorded them, in key order.</summary>
    public IReadOnlyList<string> KeysOf(DagNode family) => StateOf(family).LastRun?.Instances ?? [];

    public TaskState StateOf(string task) => Store.State(task);

    /// <summary>
    /// The task, or one instance of a family, as the staleness rule and the run protocol see it, with its upstream as
    /// <see cref="InstanceUpstream"/> decides it for an instance.
    /// </summary>
    public TaskOnDisk OnDisk(DagNode task, Instance? instance = null) =>
        new(instance?.NameIn(task.Name) ?? task.Name,
            instance is null ? task.Parents.Select(p => p.Name).ToList()
                : InstanceUpstream.Of(task).Where(p => p.IsUpstreamOfAnInstance)
                    .Select(p => p.Paired ? InstanceKeys.Name(p.Parent.Name, p.PairedKey(instance)) : p.Parent.Name).ToList(),
            FilesOf(task, instance), Store)
        {
            Parameters = instance?.Parameters ?? new Dictionary<string, string>(),
        };

    /// <summary>A family as a whole, whose record sums up its instances' (it has no files of its own to run with).</summary>
    public TaskOnDisk FamilyOnDisk(DagNode family) => new(family.Name, family.Parents.Select(p => p.Name).ToList(), TaskDataFiles.None, Store);

    /// <summary>Warning DAG018 for a task whose run record could not be read, and was therefore forgotten.</summary>
    public static DagProblem Unreadable(StateLayout layout, string task) => new(DagCodes.StateUnreadable, null,
        $"The state of task '{task}' under {layout.StateDirectory} was unreadable and has been reset: it counts as never run.", IsWarning: true);
}
