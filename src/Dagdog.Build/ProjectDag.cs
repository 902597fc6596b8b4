using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dagdog.Build;

/// <summary>
/// The project's DAG with its state on disk, as the planning and listing tasks need it: each task's data files as they
/// are now (globs expanded when asked, see <see cref="DeclaredFiles"/>), its last run, and why it is stale. Unreadable state is reported once, as warning DAG018, and forgotten.
/// </summary>
internal sealed class ProjectDag
{
    private readonly Dictionary<string, TaskState> _states = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly TaskLoggingHelper _log;
    private readonly string _projectFile;

    private ProjectDag(Dag dag, StateLayout layout, TaskLoggingHelper log, string projectFile)
    {
        Dag = dag;
        Layout = layout;
        _log = log;
        _projectFile = projectFile;
    }

    public Dag Dag { get; }

    public StateLayout Layout { get; }

    /// <summary>Builds the DAG from the DagTask items; null after logging errors.</summary>
    public static ProjectDag? Load(ITaskItem[] tasks, string stateDirectory, string projectFile, TaskLoggingHelper log)
    {
        var validation = Dag.Create(Declarations.FromItems(tasks));
        if (!log.LogProblems(validation.Problems, projectFile)) return null;
        return new ProjectDag(validation.Dag!, new StateLayout(stateDirectory, Path.GetDirectoryName(projectFile)!), log, projectFile);
    }

    /// <summary>The task's declared files as they are on disk now.</summary>
    public TaskDataFiles FilesOf(DagNode task) => DeclaredFiles.Of(task.Declaration, Layout.ProjectDirectory);

    /// <summary>Where log calls go: straight to MSBuild, or, while tasks run on other threads, to the run's output.</summary>
    public Action<Action> Dispatch { get; set; } = log => log();

    public TaskState StateOf(DagNode task) => StateOf(task.Name);

    // Every read of a task's state goes through here, once per task until it runs again: safe from several threads.
    private TaskState StateOf(string task)
    {
        lock (_gate)
        {
            if (_states.TryGetValue(task, out var state)) return state;
            state = TaskState.Read(Layout, task);
            if (state.Unreadable) Dispatch(() => LogUnreadable(_log, _projectFile, Layout, task));
            return _states[task] = state;
        }
    }

    /// <summary>Warning DAG018 for a task whose run record could not be read, and was therefore forgotten.</summary>
    public static void LogUnreadable(TaskLoggingHelper log, string projectFile, StateLayout layout, string task) =>
        log.LogWarning(subcategory: null, DagCodes.StateUnreadable, helpKeyword: null, projectFile, 0, 0, 0, 0,
            $"The state of task '{task}' under {layout.StateDirectory} was unreadable and has been reset: it counts as never run.");

    /// <summary>Forgets what was read of a task's state, after its turn recorded a new run.</summary>
    public void Reread(DagNode task)
    {
        lock (_gate) _states.Remove(task.Name);
    }

    /// <summary>The task as the staleness rule and the run protocol see it.</summary>
    public TaskOnDisk OnDisk(DagNode task) => new(task.Name, task.Parents.Select(p => p.Name).ToList(), FilesOf(task), Layout, StateOf);

    /// <summary>
    /// Each task with why a plain build would run it (or <c>up to date</c>), and its last run: what DagList and DagGraph
    /// show. A status names staleness downstream too (<c>if upstream Clean produces new output</c>).
    /// </summary>
    public IReadOnlyList<(DagNode Task, string Status, RunRecord? LastRun)> Statuses()
    {
        // Records first: an unreadable one is forgotten (DAG018) before the status is worked out.
        var lastRuns = Dag.Tasks.ToDictionary(task => task, task => StateOf(task).LastRun);
        var plan = Planner.Plan(Dag, Selection.Everything, null, StaleReason).ToDictionary(run => run.Task, run => run.Reason);
        return Dag.Tasks.Select(task => (task, plan.GetValueOrDefault(task, Reasons.UpToDate), lastRuns[task])).ToList();
    }

    /// <summary>Why the task is stale judging by the files on disk, or null when it is up to date.</summary>
    public string? StaleReason(DagNode task) => Staleness.Reason(OnDisk(task), Staleness.FileTime);

    /// <summary>Parses the selection properties and finds the task they name; null after logging the problem.</summary>
    public (Selection Selection, DagNode? Task)? Select(string? compact, string? from, string? mode, string? exclusive, string? force)
    {
        var (selection, problem) = Selection.Parse(compact, from, mode, exclusive, force);
        if (problem is not null)
        {
            _log.LogProblem(problem, _projectFile);
            return null;
        }
        var (task, resolveProblem) = selection!.ResolveTask(Dag);
        if (resolveProblem is not null)
        {
            _log.LogProblem(resolveProblem, _projectFile);
            return null;
        }
        return (selection, task);
    }
}
