using Dagdog.Build.Running;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Running;
using Dagdog.State;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// The one template every Dagdog MSBuild task runs through, so that none ends in MSB4018 and a stack trace: a file it
/// cannot read or write (locked by another program, no permission, a read-only or full disk, a folder where a file
/// should be) is DAG019 with the file named, anything else unexpected is DAG030 naming the task, with the stack trace
/// at normal verbosity.
/// </summary>
public abstract class DagdogTask : Microsoft.Build.Utilities.Task
{
    private string? _projectFile;
    private LiveMessages? _live;

    /// <summary>The project being built, where errors point (the targets file calling the task when not given).</summary>
    public string ProjectFile
    {
        get => _projectFile ?? BuildEngine?.ProjectFileOfTaskNode ?? "";
        set => _projectFile = value;
    }

    /// <summary>Where the lines a user must see go, so that the terminal logger shows them too.</summary>
    internal LiveMessages Live => _live ??= new(BuildEngine, GetType().Name);

    public sealed override bool Execute() => Guarded(ExecuteDagdog, Log, ProjectFile, GetType().Name);

    /// <summary>
    /// Runs a step of Dagdog's (a task's, or one of a watch cycle's <see cref="DagCycle"/> steps) so that nothing escapes
    /// it: a file it cannot use is DAG019, anything else DAG030 naming <paramref name="what"/>. False when it failed.
    /// </summary>
    internal static bool Guarded(Func<bool> step, Microsoft.Build.Utilities.TaskLoggingHelper log, string projectFile, string what)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogProblem(DagProblem.FileUnusable(null, e), projectFile);
            return false;
        }
        catch (Exception e)
        {
            log.LogProblem(DagProblem.Internal(e, $"Dagdog's {what}", null), projectFile);
            return false;
        }
    }

    protected abstract bool ExecuteDagdog();

    /// <summary>Logs the problem when there is one; true when the task goes on (see <see cref="ProblemLogging.GoesOn"/>).</summary>
    internal bool GoesOn(DagProblem? problem) => Log.GoesOn(problem, ProjectFile);
}

/// <summary>A Dagdog task that reads or writes task state under <see cref="StateDirectory"/>.</summary>
public abstract class DagStateTask : DagdogTask
{
    /// <summary>Where task state lives (<c>obj/dag/</c>); see <see cref="StateLayout"/>.</summary>
    [Required] public string StateDirectory { get; set; } = "";

    /// <summary>The build's Dagdog settings, <c>@(_DagSetting)</c>: one item per property, its value in <c>Value</c> (see <see cref="DagSettings"/>).</summary>
    public ITaskItem[] Settings { get; set; } = [];

    /// <summary>The settings, read.</summary>
    internal DagSettings Setting => Declarations.Settings(Settings);

    public ITaskItem[] Tasks { get; set; } = [];

    /// <summary>The items of the types families are for each of (<c>@(_DagForEachItem)</c>, see <see cref="Declarations.FamilyItems"/>).</summary>
    public ITaskItem[] ForEachItems { get; set; } = [];

    /// <summary>The Dag target's steps over this task's parameters (<paramref name="assemblyPath"/> for the steps that need the compiled tasks).</summary>
    internal DagCycle Cycle(string assemblyPath = "") =>
        new(Log, Live, BuildEngine3, ProjectFile, new DagProject(Tasks, ForEachItems, Settings, StateDirectory, assemblyPath));

    /// <summary>The DAG from the DagTask items, with its state on disk; null after logging the declarations' errors (see <see cref="DagCycle.Load"/>).</summary>
    internal DagOnDisk? LoadProject() => Cycle().Load();
}

/// <summary>A Dagdog task that shows what a plain build would do now (<c>DagList</c>, <c>DagGraph</c>).</summary>
public abstract class DagStatusTask : DagStateTask
{
    /// <summary>What a plain build would do to each task now (see <see cref="DagCycle.Foresee"/>).</summary>
    internal IReadOnlyList<TurnResult> Foresee(DagOnDisk project) => Cycle().Foresee(project);
}

/// <summary>
/// A Dagdog task that runs a selection: the selection settings (<see cref="DagSettings.Selection"/>) and the task target
/// asked for.
/// </summary>
public abstract class DagSelectionTask : DagStateTask
{
    /// <summary>The task whose target (<c>-t:Dag_Fit</c>) was asked for, which selects <c>+Fit</c>.</summary>
    public string DagTarget { get; set; } = "";

    /// <summary>The selection and what it covers; null after logging why it cannot be read or met.</summary>
    internal (Selection Selection, DagNode? Task, SelectionScope Scope)? Select(DagOnDisk project) => Cycle().Select(project, DagTarget);
}
