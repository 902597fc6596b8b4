namespace Dagdog.Running;

/// <summary>
/// A run of a selection, real or deciding only: the scheduler gives each task its turn (<see cref="TaskTurns"/>) on the
/// executor's workers. The one path behind <c>dotnet build</c>, the dry run, <c>DagList</c> and <c>DagGraph</c>.
/// </summary>
internal static class DagRun
{
    /// <param name="executor">Makes the executor a real run runs its tasks on; not called when deciding only.</param>
    /// <returns>Each task's result, in the order the tasks were given their turn (see <see cref="DagScheduler.Run"/>).</returns>
    public static async Task<IReadOnlyList<TurnResult>> Run(DagOnDisk project, IReadOnlyList<ScheduledTask> tasks, RunSettings settings,
        IRunEvents events, Func<ITaskExecutor> executor, CancellationToken interrupt)
    {
        var workers = settings.DecideOnly ? null : executor();
        var turns = new TaskTurns(project, settings, workers, events);
        IReadOnlyList<TurnResult> results;
        try
        {
            workers?.Warm(Math.Min(settings.Jobs, DagScheduler.MayRun(tasks)));
            results = await new DagScheduler(settings.Jobs, settings.KeepGoing).Run(tasks, turns.Take, interrupt).ConfigureAwait(false);
        }
        finally
        {
            // Ends the workers, once each has said how its last run ended.
            workers?.Dispose();
        }
        return turns.WithLateFailures(results);
    }
}
