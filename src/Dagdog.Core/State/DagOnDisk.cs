namespace Dagdog;

/// <summary>
/// The project's DAG with its state on disk: each task's data files as they are now (globs expanded when asked, see
/// <see cref="DeclaredFiles"/>), and its last run, read once until it runs again. Safe to use from several threads.
/// A state file that cannot be read is forgotten (the task counts as never run) and told to <paramref name="unreadable"/>.
/// </summary>
internal sealed class DagOnDisk(Dag dag, StateLayout layout, Action<string> unreadable)
{
    private readonly Dictionary<string, TaskState> _states = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public Dag Dag { get; } = dag;

    public StateLayout Layout { get; } = layout;

    /// <summary>The task's declared files as they are on disk now.</summary>
    public TaskDataFiles FilesOf(DagNode task) => DeclaredFiles.Of(task.Declaration, Layout.ProjectDirectory);

    public TaskState StateOf(DagNode task) => StateOf(task.Name);

    // Every read of a task's state goes through here, once per task until it runs again.
    private TaskState StateOf(string task)
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
    public void Recorded(DagNode task, RunRecord? record)
    {
        lock (_gate)
        {
            if (record is null) _states.Remove(task.Name);
            else _states[task.Name] = new TaskState(record, Unreadable: false);
        }
    }

    /// <summary>The task as the staleness rule and the run protocol see it.</summary>
    public TaskOnDisk OnDisk(DagNode task) => new(task.Name, task.Parents.Select(p => p.Name).ToList(), FilesOf(task), Layout, StateOf);

    /// <summary>Warning DAG018 for a task whose run record could not be read, and was therefore forgotten.</summary>
    public static DagProblem Unreadable(StateLayout layout, string task) => new(DagCodes.StateUnreadable, null,
        $"The state of task '{task}' under {layout.StateDirectory} was unreadable and has been reset: it counts as never run.", IsWarning: true);
}
