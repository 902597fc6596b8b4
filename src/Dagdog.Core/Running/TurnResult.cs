using Dagdog.Cache;
using Dagdog.Graph;

namespace Dagdog.Running;

/// <summary>What became of a task in a run (or, deciding only, what would).</summary>
internal enum TurnStatus
{
    /// <summary>Nothing to do: its timestamps, or its code, inputs and upstream outputs, are as at its last run.</summary>
    UpToDate,

    /// <summary>Run() ran and succeeded.</summary>
    Ran,

    /// <summary>Its outputs came from the shared result cache; Run() was not called.</summary>
    Restored,

    Failed,

    /// <summary>Stopped by Ctrl+C before it finished.</summary>
    Interrupted,

    /// <summary>Not run: a task upstream of it failed or was interrupted (<see cref="TurnResult.Cause"/>), or the build stopped.</summary>
    NotRun,

    /// <summary>Deciding only (dry run, listing): Run() would be called, for <see cref="TurnResult.Reason"/>.</summary>
    WouldRun,

    /// <summary>Deciding only: the shared result cache holds the run it would make.</summary>
    WouldRestore,
}

/// <summary>How the shared result cache was used in a task's turn.</summary>
internal enum CacheUse
{
    None,
    Missed,
    Restored,

    /// <summary>The task's entry was damaged (warning DAG031); the task ran, and its push replaced the entry.</summary>
    Damaged,

    /// <summary>The store had failed earlier in the build (warning DAG031 then): it was not asked.</summary>
    NotAsked,

    /// <summary>Restored from what the instance wrote before it was forgotten (<see cref="ForgottenResults"/>), not from the shared cache.</summary>
    Forgotten,
}

/// <summary>
/// A task's turn in a run, as everything after it reads it: the scheduler (does its downstream go on?), the build log
/// and its summary, the GitHub step summary and the run report (<c>obj/dag/last-run.json</c>).
/// </summary>
internal sealed record TurnResult(DagNode Task, TurnStatus Status)
{
    /// <summary>For an instance of a family, its key; null for a task, or a family as a whole.</summary>
    public string? Key { get; init; }

    /// <summary>How run lines and the summary name it: <c>Fit</c>, or <c>Fit[adelie]</c> for an instance.</summary>
    public string Name => Key is null ? Task.Name : Families.InstanceKeys.Name(Task.Name, Key);

    /// <summary>For a family as a whole: each instance's turn, in key order (up-to-date ones included); empty otherwise.</summary>
    public IReadOnlyList<TurnResult> Instances { get; init; } = [];

    /// <summary>What the run did unit by unit: a family's instances, or the task itself.</summary>
    public IEnumerable<TurnResult> Units => Task.Family is not null && Key is null && Instances.Count > 0 ? Instances : [this];

    /// <summary>Why it ran, would run, or was restored; for a task not run, why not.</summary>
    public string? Reason { get; init; }

    /// <summary>True for an up-to-date task whose contents were compared: its timestamps had moved, its contents had not.</summary>
    public bool Unchanged { get; init; }

    public DateTime? StartedUtc { get; init; }

    /// <summary>How long it ran (or took to restore), as its own line in the log says.</summary>
    public double Seconds { get; init; }

    /// <summary>Its outputs are byte-identical to its last run's: its downstream stays up to date.</summary>
    public bool SameOutput { get; init; }

    /// <summary>Declared outputs a successful run did not write (warning DAG011).</summary>
    public IReadOnlyList<string> MissingOutputs { get; init; } = [];

    /// <summary>The error of a failed or interrupted turn.</summary>
    public DagProblem? Error { get; init; }

    /// <summary>The process id of the worker that ran it.</summary>
    public int? Worker { get; init; }

    /// <summary>What its downstream compares, after a run or a restore (see <see cref="FileHasher.OutputVersion"/>).</summary>
    public string? OutputVersion { get; init; }

    public CacheUse Cache { get; init; }

    /// <summary>The size of what a restore fetched.</summary>
    public long RestoredBytes { get; init; }

    /// <summary>What storing its run in the shared cache did, when it was stored.</summary>
    public PushOutcome? Pushed { get; init; }

    /// <summary>For a task not run: the task upstream whose failure stopped it; null when the build stopped.</summary>
    public DagNode? Cause { get; init; }

    /// <summary>True when the run can go on past this task: its downstream may run.</summary>
    public bool Succeeded => Status is TurnStatus.UpToDate or TurnStatus.Ran or TurnStatus.Restored or TurnStatus.WouldRun or TurnStatus.WouldRestore;

    /// <summary>True when the task was, or would be, made again: its downstream must be checked.</summary>
    public bool MadeOutput => Status is TurnStatus.Ran or TurnStatus.Restored or TurnStatus.WouldRun or TurnStatus.WouldRestore;
}
