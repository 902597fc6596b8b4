namespace Dagdog.Running;

/// <summary>How a task's turn ended, as the runner reports it.</summary>
internal enum TurnOutcome
{
    /// <summary>Run() ran and succeeded.</summary>
    Ran,

    /// <summary>Checked and found up to date: Run() was not needed.</summary>
    UpToDate,

    Failed,

    /// <summary>Stopped by Ctrl+C before it finished.</summary>
    Interrupted,
}

/// <summary>What became of each task in a scheduled run, for the summary.</summary>
internal enum RunStatus
{
    Ran,
    UpToDate,
    Failed,
    Interrupted,

    /// <summary>Not run because a task upstream of it failed or was interrupted.</summary>
    UpstreamFailed,

    /// <summary>Not started because the build stopped after a failure (without keep-going) or was interrupted.</summary>
    NotStarted,
}

/// <summary>A task of the selection, and whether it must be checked whatever happens upstream of it.</summary>
/// <param name="Check">True for tasks MSBuild found stale, or that the selection runs regardless of state.</param>
/// <param name="Reason">Why the selection runs it regardless of state (forced, selected); null when its state decides.</param>
/// <param name="Weight">How many of the build's jobs it takes while it runs (its <c>Jobs</c> metadata, at most the build's).</param>
internal sealed record ScheduledTask(DagNode Node, bool Check, string? Reason = null, int Weight = 1);

/// <summary>A task's fate in a run.</summary>
internal sealed record TaskResult(DagNode Node, RunStatus Status, TimeSpan Duration, DagNode? Cause = null);

/// <summary>
/// Runs a selection's tasks in dependency order, independent ones at the same time, up to a number of jobs. A task is
/// handed to the runner when all its parents in the selection are done and it must be checked: MSBuild found it stale,
/// or a parent was checked (its output may be new). Other tasks are up to date without a look.
/// After a failure no new task starts (make's rule) unless keep-going is on; then only the failed task's downstream is left out.
/// </summary>
internal sealed class DagScheduler(int jobs, bool keepGoing)
{
    private readonly int _jobs = Math.Max(1, jobs);

    /// <summary>How many tasks may run at most: those to check, and everything downstream of them in the selection.</summary>
    public static int MayRun(IReadOnlyList<ScheduledTask> tasks)
    {
        var inScope = tasks.Select(t => t.Node).ToHashSet();
        var may = new HashSet<DagNode>();
        foreach (var task in tasks)
        {
            if (task.Check || task.Node.Parents.Any(may.Contains)) may.Add(task.Node);
        }
        return may.Count(inScope.Contains);
    }

    /// <param name="tasks">The selection, in topological order.</param>
    /// <param name="runTurn">Checks and, if needed, runs one task; called on the thread pool, several at once.</param>
    public async Task<IReadOnlyList<TaskResult>> Run(IReadOnlyList<ScheduledTask> tasks,
        Func<ScheduledTask, CancellationToken, Task<TurnOutcome>> runTurn, CancellationToken cancellation)
    {
        var scheduled = tasks.ToDictionary(t => t.Node);
        var waitingFor = tasks.ToDictionary(t => t.Node, t => t.Node.Parents.Count(scheduled.ContainsKey));
        var mustCheck = tasks.Where(t => t.Check).Select(t => t.Node).ToHashSet();
        var results = new Dictionary<DagNode, TaskResult>();
        var ready = new SortedSet<DagNode>(Comparer<DagNode>.Create((a, b) => a.Index.CompareTo(b.Index)));
        var running = new Dictionary<Task<TurnOutcome>, (ScheduledTask Task, DateTime Started)>();
        var busy = 0;
        var stopping = false;

        void Finish(DagNode node, RunStatus status, TimeSpan duration, DagNode? cause = null)
        {
            results[node] = new TaskResult(node, status, duration, cause);
            foreach (var child in node.Children.Where(scheduled.ContainsKey))
            {
                if (status is RunStatus.Ran or RunStatus.UpToDate && mustCheck.Contains(node)) mustCheck.Add(child);
                if (--waitingFor[child] == 0) ready.Add(child);
            }
        }

        foreach (var task in tasks.Where(t => waitingFor[t.Node] == 0)) ready.Add(task.Node);
        while (ready.Count > 0 || running.Count > 0)
        {
            stopping |= cancellation.IsCancellationRequested;
            // Settle, start or hold each ready task, in index order; one that does not fit holds the rest back.
            while (ready.Min is { } next)
            {
                var failedParent = next.Parents.FirstOrDefault(p => results.TryGetValue(p, out var r) && r.Status is not (RunStatus.Ran or RunStatus.UpToDate));
                if (failedParent is not null)
                {
                    var cause = results[failedParent].Cause ?? failedParent;
                    ready.Remove(next);
                    Finish(next, results[failedParent].Status == RunStatus.NotStarted ? RunStatus.NotStarted : RunStatus.UpstreamFailed, TimeSpan.Zero, cause);
                }
                else if (stopping)
                {
                    ready.Remove(next);
                    Finish(next, RunStatus.NotStarted, TimeSpan.Zero);
                }
                else if (!mustCheck.Contains(next))
                {
                    ready.Remove(next);
                    Finish(next, RunStatus.UpToDate, TimeSpan.Zero);
                }
                else
                {
                    var task = scheduled[next];
                    var weight = Math.Clamp(task.Weight, 1, _jobs);
                    if (busy + weight > _jobs) break;
                    ready.Remove(next);
                    busy += weight;
                    running.Add(System.Threading.Tasks.Task.Run(() => runTurn(task, cancellation), CancellationToken.None), (task, DateTime.UtcNow));
                }
            }
            if (running.Count == 0) break;

            var done = await System.Threading.Tasks.Task.WhenAny(running.Keys).ConfigureAwait(false);
            var (turn, started) = running[done];
            running.Remove(done);
            busy -= Math.Clamp(turn.Weight, 1, _jobs);
            var outcome = done.IsCompletedSuccessfully ? done.Result : TurnOutcome.Failed;
            var status = outcome switch
            {
                TurnOutcome.Ran => RunStatus.Ran,
                TurnOutcome.UpToDate => RunStatus.UpToDate,
                TurnOutcome.Interrupted => RunStatus.Interrupted,
                _ => RunStatus.Failed,
            };
            if (status is RunStatus.Failed or RunStatus.Interrupted && !keepGoing) stopping = true;
            Finish(turn.Node, status, DateTime.UtcNow - started);
        }
        return tasks.Select(t => results[t.Node]).ToList();
    }
}
