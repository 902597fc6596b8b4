using Dagdog.State;

namespace Dagdog.Running;

/// <summary>
/// A run of a selection, real or deciding only: the scheduler gives each task its turn (<see cref="TaskTurns"/>) on the
/// executor's workers. The one path behind <c>dotnet build</c>, the dry run, <c>DagList</c> and <c>DagGraph</c>.
/// </summary>
internal static class DagRun
{
    /// <param name="workers">Where a real run runs its tasks (settled at its end; its maker ends it); null when deciding only.</param>
    /// <returns>Each task's result, in the order the tasks were given their turn (see <see cref="DagScheduler.Run"/>).</returns>
    public static async Task<IReadOnlyList<TurnResult>> Run(DagOnDisk project, IReadOnlyList<ScheduledTask> tasks, RunSettings settings,
        IRunEvents events, ITaskExecutor? workers, CancellationToken interrupt)
    {
        var slots = new JobSlots(settings.Jobs);
        var turns = new TaskTurns(project, settings, workers, events, slots);
        IReadOnlyList<TurnResult> results;
        try
        {
            // A family is checked in every build, but starts workers only when an instance is stale.
            workers?.Warm(Math.Min(settings.Jobs, DagScheduler.MayRunAtOnce(tasks.Where(t => t.Node.Family is null).ToList())));
            results = await new DagScheduler(slots, settings.KeepGoing).Run(tasks, turns.Take, interrupt).ConfigureAwait(false);
        }
        finally
        {
            // Each worker has said how its last run ended before the results are final (a late failure is one of them).
            workers?.Settle();
        }
        return turns.WithLateFailures(results);
    }
}
