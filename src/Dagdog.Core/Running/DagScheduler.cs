using Dagdog.Graph;
using Dagdog.Planning;

namespace Dagdog.Running;

/// <summary>A task of the selection, and whether it must be checked whatever happens upstream of it.</summary>
/// <param name="NeedsTurn">True for tasks MSBuild found stale, that the selection runs regardless of state, or (deciding only) every task.</param>
/// <param name="Reason">Why the selection runs it regardless of state (forced, selected); null when its state decides.</param>
/// <param name="Weight">
/// How many of the build's jobs it takes while it runs (its <c>Jobs</c> metadata, at most the build's); 0 for a family,
/// whose turn takes its instances' jobs as each runs.
/// </param>
/// <param name="Keys">For a family: the instances the selection names (<c>Fit[adelie]</c>, <c>Fit[ad*]</c>); null for all.</param>
internal sealed record ScheduledTask(DagNode Node, bool NeedsTurn, string? Reason = null, int Weight = 1, Families.KeySelection? Keys = null);

/// <summary>
/// Runs a selection's tasks in dependency order, independent ones at the same time, up to a number of jobs. A task is
/// given its turn when all its parents in the selection are done and it must be checked: MSBuild found it stale, or a
/// parent was checked (its output may be new). Other tasks are up to date without a look. The same order serves a real
/// run and one that only decides (a dry run, a listing): the turn is what differs.
/// After a failure no new task starts (make's rule) unless keep-going is on; then only the failed task's downstream is left out.
/// </summary>
internal sealed class DagScheduler(JobSlots slots, bool keepGoing)
{
    /// <summary>
    /// The tasks in the selection's scope, in topological order, as the scheduler takes them: each must be checked when
    /// the selection runs it whatever its state, or when <paramref name="needsTurn"/> says so (MSBuild found it stale,
    /// or a dry run decides every task itself).
    /// </summary>
    public static IReadOnlyList<ScheduledTask> Schedule(SelectionScope scope, Dag dag, Func<DagNode, bool> needsTurn) =>
        dag.Tasks.Where(scope.Tasks.Contains)
            .Select(task => new ScheduledTask(task, NeedsTurn: scope.GivenReason is not null || needsTurn(task), scope.GivenReason,
                Weight: task.Family is null ? task.Jobs : 0, scope.KeysOf(task)))
            .ToList();

    /// <summary>How many tasks may run at most: those to check, and everything downstream of them in the selection.</summary>
    public static int MayRun(IReadOnlyList<ScheduledTask> tasks) => MayRunInOrder(tasks).Count;

    /// <summary>
    /// At most how many of them may run at the same time: all of them but the longest chain's others, as a chain's tasks
    /// run one after another (a chain of stale tasks needs one worker, not one per job). The exact number, the largest
    /// set of tasks none of which is upstream of another, costs a matching over the whole DAG; this bound is never below it.
    /// </summary>
    public static int MayRunAtOnce(IReadOnlyList<ScheduledTask> tasks)
    {
        var may = MayRunInOrder(tasks);
        var longestChainTo = new Dictionary<DagNode, int>();
        foreach (var node in may) longestChainTo[node] = 1 + node.Parents.Select(p => longestChainTo.GetValueOrDefault(p)).DefaultIfEmpty().Max();
        return may.Count == 0 ? 0 : may.Count - longestChainTo.Values.Max() + 1;
    }

    // The tasks that may run, in the selection's (topological) order.
    private static List<DagNode> MayRunInOrder(IReadOnlyList<ScheduledTask> tasks)
    {
        var may = new HashSet<DagNode>();
        var inOrder = new List<DagNode>();
        foreach (var task in tasks)
        {
            if ((task.NeedsTurn || task.Node.Parents.Any(may.Contains)) && may.Add(task.Node)) inOrder.Add(task.Node);
        }
        return inOrder;
    }

    /// <param name="tasks">The selection, in topological order.</param>
    /// <param name="takeTurn">
    /// Checks and, if needed, runs one task, given its parents' results; called on the thread pool, several at once. It
    /// must not throw (<see cref="TaskTurns.Take"/> does not); if it does, the task counts as failed.
    /// </param>
    /// <returns>
    /// Each task's result, in the order the tasks were given their turn (or settled without one): the order a dry run
    /// says they would start in.
    /// </returns>
    public async Task<IReadOnlyList<TurnResult>> Run(IReadOnlyList<ScheduledTask> tasks,
        Func<ScheduledTask, IReadOnlyList<TurnResult>, CancellationToken, Task<TurnResult>> takeTurn, CancellationToken cancellation)
    {
        var scheduled = tasks.ToDictionary(t => t.Node);
        var waitingFor = tasks.ToDictionary(t => t.Node, t => t.Node.Parents.Count(scheduled.ContainsKey));
        var needsTurn = tasks.Where(t => t.NeedsTurn).Select(t => t.Node).ToHashSet();
        var results = new Dictionary<DagNode, TurnResult>();
        var order = new List<DagNode>(tasks.Count);
        var ready = new SortedSet<DagNode>(Comparer<DagNode>.Create((a, b) => a.Index.CompareTo(b.Index)));
        var running = new Dictionary<Task<TurnResult>, ScheduledTask>();
        var stopping = false;

        void Finish(TurnResult result)
        {
            results[result.Task] = result;
            foreach (var child in result.Task.Children.Where(scheduled.ContainsKey))
            {
                if (result.Succeeded && needsTurn.Contains(result.Task)) needsTurn.Add(child);
                if (--waitingFor[child] == 0) ready.Add(child);
            }
        }

        foreach (var task in tasks.Where(t => waitingFor[t.Node] == 0)) ready.Add(task.Node);
        while (ready.Count > 0 || running.Count > 0)
        {
            stopping |= cancellation.IsCancellationRequested;
            // Taken before trying to start tasks, so that jobs freed meanwhile by a family's instance are not missed.
            var returned = slots.Returned;
            // Settle, start or hold each ready task, in index order; one that does not fit holds the rest back.
            while (ready.Min is { } next)
            {
                var parents = next.Parents.Where(results.ContainsKey).Select(p => results[p]).ToList();
                if (parents.FirstOrDefault(p => !p.Succeeded) is { } failed)
                {
                    ready.Remove(next);
                    order.Add(next);
                    // The task upstream that failed, or, when that one was not run either, what stopped it.
                    Finish(new TurnResult(next, TurnStatus.NotRun) { Cause = failed.Status == TurnStatus.NotRun ? failed.Cause ?? failed.Task : failed.Task });
                }
                else if (stopping)
                {
                    ready.Remove(next);
                    order.Add(next);
                    Finish(new TurnResult(next, TurnStatus.NotRun));
                }
                else if (!needsTurn.Contains(next))
                {
                    ready.Remove(next);
                    order.Add(next);
                    Finish(new TurnResult(next, TurnStatus.UpToDate));
                }
                else
                {
                    var task = scheduled[next];
                    if (task.Weight > 0 && !slots.TryTake(task.Weight)) break;
                    ready.Remove(next);
                    order.Add(next);
                    running.Add(Task.Run(() => takeTurn(task, parents, cancellation), CancellationToken.None), task);
                }
            }
            if (running.Count == 0) break;

            // A family's instance that ends frees jobs too: a task held back may start then.
            var done = await Task.WhenAny([.. running.Keys, returned]).ConfigureAwait(false);
            if (done == returned) continue;
            var turn = running[(Task<TurnResult>)done];
            running.Remove((Task<TurnResult>)done);
            if (turn.Weight > 0) slots.Return(turn.Weight);
            var result = done.IsCompletedSuccessfully ? ((Task<TurnResult>)done).Result : new TurnResult(turn.Node, TurnStatus.Failed);
            if (!result.Succeeded && !keepGoing) stopping = true;
            Finish(result);
        }
        return order.Select(task => results[task]).ToList();
    }
}
