using Dagdog.Graph;

namespace Dagdog.Planning;

/// <summary>
/// What a selection covers, worked out once for every path that needs it (the check targets MSBuild runs, the real run,
/// the dry run, the listing, the picture): the tasks that may get a turn, the tasks whose check targets MSBuild must run
/// first (their own checks run their upstream's), and the reason the selection gives when it runs tasks whatever their
/// state (<c>forced</c>, <c>selected (Only)</c>), which then need no check at all.
/// </summary>
/// <param name="Selected">The task the selection names, whose instances <paramref name="Keys"/> may narrow (a family's).</param>
/// <param name="Paired">The families in scope paired with <paramref name="Selected"/> instance by instance, whose instances the keys narrow too.</param>
internal sealed record SelectionScope(IReadOnlySet<DagNode> Tasks, IReadOnlyList<DagNode> CheckRoots, string? GivenReason,
    DagNode? Selected = null, Families.KeyFilter? Keys = null, IReadOnlySet<DagNode>? Paired = null)
{
    public static SelectionScope Of(Dag dag, Selection selection, DagNode? selected)
    {
        var givenReason = selection.Force ? Reasons.Forced : selection.RunsRegardlessOfState ? Reasons.Selected(selection.Mode.ToString()) : null;
        if (selection.Mode == SelectionMode.All || selected is null)
            return new(dag.Tasks.ToHashSet(), givenReason is null ? dag.Tasks : [], givenReason);
        var tasks = selection.Mode switch
        {
            SelectionMode.Upstream => Reachable(selected, t => t.Parents),
            SelectionMode.Downstream => Reachable(selected, t => t.Children),
            _ => [selected],
        };
        if (selection.Exclusive) tasks.Remove(selected);
        // A task's check target runs its upstream's checks first; without the task itself (exclusive), its parents' do.
        IReadOnlyList<DagNode> roots = givenReason is not null ? [] : selection.Exclusive ? selected.Parents : [selected];
        return new(tasks, roots, givenReason, selected, selection.Keys, selection.Keys is null ? null : PairedWith(selected, selection.Mode));
    }

    // The families paired with the selected one, instance by instance, along the way the selection goes: downstream,
    // each family paired with one already found (its instances have the selected family's values as their own);
    // upstream, each paired parent with the same wildcards (whose keys are the selected family's keys).
    private static HashSet<DagNode> PairedWith(DagNode selected, SelectionMode mode)
    {
        var paired = new HashSet<DagNode>();
        var wildcards = selected.Family?.Wildcards.ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var pending = new Stack<DagNode>([selected]);
        while (pending.TryPop(out var task))
        {
            var next = mode switch
            {
                SelectionMode.Downstream => task.Children.Where(child => child.PairedParents.Contains(task)),
                SelectionMode.Upstream => task.PairedParents.Where(parent => wildcards.SetEquals(parent.Family!.Wildcards)),
                _ => [],
            };
            foreach (var family in next)
            {
                if (paired.Add(family)) pending.Push(family);
            }
        }
        return paired;
    }

    /// <summary>Which of a family's keys the selection names for this task: the selected family's, or a paired one's; null for all.</summary>
    public Families.KeySelection? KeysOf(DagNode task) =>
        Keys is null || Selected?.Family is null ? null
        : task == Selected ? new(Keys, Selected.Family.Wildcards, Names: true)
        : Paired?.Contains(task) == true ? new(Keys, Selected.Family.Wildcards, Names: false)
        : null;

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
