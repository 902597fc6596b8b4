namespace Dagdog;

/// <summary>A task a build will run, and why.</summary>
internal sealed record PlannedRun(DagNode Task, string Reason);

/// <summary>
/// Decides which tasks a selection runs, in topological order, and why: the plan a dry run prints and the real run
/// follows. In the modes that respect state, a task runs when it is stale or when a parent runs before it.
/// </summary>
internal static class Planner
{
    public static IReadOnlyList<PlannedRun> Plan(Dag dag, Selection selection, DagNode? selected, Func<DagNode, string?> staleReason)
    {
        var scope = Scope(dag, selection, selected);
        var plan = new List<PlannedRun>();
        var running = new HashSet<DagNode>();
        foreach (var task in dag.Tasks.Where(scope.Contains))
        {
            var reason = selection.Force ? Reasons.Forced
                : selection.RunsRegardlessOfState ? Reasons.Selected(selection.Mode)
                : staleReason(task) ?? task.Parents.Where(running.Contains).Select(p => Reasons.UpstreamRunsFirst(p.Name)).FirstOrDefault();
            if (reason is null) continue;
            plan.Add(new PlannedRun(task, reason));
            running.Add(task);
        }
        return plan;
    }

    /// <summary>The tasks a selection may run, before looking at their state.</summary>
    public static HashSet<DagNode> Scope(Dag dag, Selection selection, DagNode? selected)
    {
        if (selection.Mode == SelectionMode.All || selected is null) return dag.Tasks.ToHashSet();
        var scope = selection.Mode switch
        {
            SelectionMode.Upstream => Reachable(selected, t => t.Parents),
            SelectionMode.Downstream => Reachable(selected, t => t.Children),
            _ => [selected],
        };
        if (selection.Exclusive) scope.Remove(selected);
        return scope;
    }

    // Iterative, so a 10,000-task chain cannot overflow the stack.
    private static HashSet<DagNode> Reachable(DagNode start, Func<DagNode, IReadOnlyList<DagNode>> next)
    {
        var seen = new HashSet<DagNode> { start };
        var pending = new Stack<DagNode>([start]);
        while (pending.TryPop(out var task))
        {
            foreach (var neighbour in next(task))
            {
                if (seen.Add(neighbour)) pending.Push(neighbour);
            }
        }
        return seen;
    }
}
