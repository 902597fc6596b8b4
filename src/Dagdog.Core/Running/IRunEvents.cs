using Dagdog.Graph;

namespace Dagdog.Running;

/// <summary>
/// What a run tells as it happens, for the build log (the MSBuild layer's <c>RunOutput</c> renders it). Called from the
/// threads turns run on, several at once; the results themselves come back from <see cref="DagScheduler"/>.
/// </summary>
internal interface IRunEvents
{
    /// <summary>A family's instances are decided: <paramref name="toRun"/> of them will run (the progress count grows by them, less the family itself).</summary>
    void Expanded(DagNode family, int toRun);

    /// <summary>Run() of a task, or of an instance of a family (<c>Fit[adelie]</c>), is about to be called.</summary>
    void Started(string name, string reason);

    /// <summary>A started run waits for the executor (a queued Slurm job): <paramref name="why"/> says why.</summary>
    void Waiting(string name, string why);

    /// <summary>A line of what Run() wrote, to show; its log file has every line.</summary>
    void Output(string name, string line);

    /// <summary>After a run: how many lines its log file has beyond the <paramref name="shown"/> first ones.</summary>
    void NotShown(string name, long lines, int shown, string logFile);

    /// <summary>A turn that did something is over: it ran, was restored, failed, was interrupted, or found its contents unchanged.</summary>
    void Finished(TurnResult result);

    /// <summary>A warning or error that is not a turn's own outcome (DAG018, DAG031, DAG032; a late failure DAG021).</summary>
    void Problem(DagProblem problem);

    /// <summary>A line to show that is about the run, not a task (<c>Dag: cache: created the folder ...</c>).</summary>
    void Note(string line);
}
