using Dagdog.Families;

namespace Dagdog;

/// <summary>
/// The project's DAG with its state on disk: each task's data files as they are now (globs expanded when asked, see
/// <see cref="DeclaredFiles"/>), and its last run, read once until it runs again. Safe to use from several threads.
/// A state file that cannot be read is forgotten (the task counts as never run) and told to <paramref name="unreadable"/>.
/// </summary>
internal sealed class DagOnDisk(Dag dag, StateLayout layout, Action<string> unreadable)
{
    private readonly Dictionary<string, TaskState> _states = new(TaskNames.Comparer);
    private readonly object _gate = new();

    public Dag Dag { get; } = dag;

    public StateLayout Layout { get; } = layout;

    /// <summary>The task's (or one of its instances') declared files as they are on disk now.</summary>
    public TaskDataFiles FilesOf(DagNode task, Instance? instance = null) =>
        DeclaredFiles.Of(task.Family is null && !FamilyFiles.HasWildcards(task.Declaration) ? task.Declaration : FamilyFiles.Resolve(task, instance, KeysOf),
            Layout.ProjectDirectory);

    public TaskState StateOf(DagNode task) => StateOf(task.Name);

    /// <summary>A family's instance keys as its last turn recorded them, in key order.</summary>
    public IReadOnlyList<string> KeysOf(DagNode family) => StateOf(family).LastRun?.Instances ?? [];

    // Every read of a task's state goes through here, once per task until it runs again.
    public TaskState StateOf(string task)
    {
        lock (_gate)
        {
            if (_states.TryGetValue(task, out var state)) return state;
            state = TaskState.Read(Layout, task);
            if (state.Unreadable) unreadable(task);
            return _states[task] = state;
        }
    }

    /// <summary>
    /// After a task's turn: the run it recorded is its state from now on (its downstream reads it next), or, when the
    /// turn recorded nothing it knows of, what is on disk is read again when needed.
    /// </summary>
    public void Recorded(string task, RunRecord? record)
    {
        lock (_gate)
        {
            if (record is null) _states.Remove(task);
            else _states[task] = new TaskState(record, Unreadable: false);
        }
    }

    /// <summary>
    /// The task, or one instance of a family, as the staleness rule and the run protocol see it. An instance's upstream
    /// is the paired instance of a parent family it is paired with, and every other parent as a whole, except a parent
    /// that writes the instance's own file (a dynamic family): that file, one of its inputs, stands for it.
    /// </summary>
    public TaskOnDisk OnDisk(DagNode task, Instance? instance = null) =>
        new(instance?.NameIn(task.Name) ?? task.Name,
            task.Parents.Where(p => instance is null || !task.InstanceSources.Contains(p) || task.PairedParents.Contains(p))
                .Select(p => instance is not null && task.PairedParents.Contains(p) ? InstanceKeys.Name(p.Name, FamilyFiles.PairedKey(p, instance)) : p.Name).ToList(),
            FilesOf(task, instance), Layout, StateOf)
        {
            Parameters = instance?.Parameters ?? new Dictionary<string, string>(),
        };

    /// <summary>Warning DAG018 for a task whose run record could not be read, and was therefore forgotten.</summary>
    public static DagProblem Unreadable(StateLayout layout, string task) => new(DagCodes.StateUnreadable, null,
        $"The state of task '{task}' under {layout.StateDirectory} was unreadable and has been reset: it counts as never run.", IsWarning: true);
}
