namespace Dagdog.Tests;

/// <summary>dagdog's own test (tests/test_demo.py) on its demo DAG 0 -> 1, 0 -> 2, {1, 2} -> 3, plus its known flaw.</summary>
public class PlannerSpecs
{
    private static readonly Dag Demo = Dag.Create([
        new TaskDeclaration("Load", []),
        new TaskDeclaration("Clean", ["Load"]),
        new TaskDeclaration("Plot", ["Load"]),
        new TaskDeclaration("Report", ["Clean", "Plot"]),
    ]).Dag!;

    /// <summary>A state where the named tasks ran (in this order, each after its parents), and the others never did.</summary>
    private sealed class FakeState(Dag dag)
    {
        private readonly Dictionary<string, int> _ranAt = [];
        private int _clock;

        public FakeState Ran(params string[] tasks)
        {
            foreach (var task in tasks) _ranAt[task] = ++_clock;
            return this;
        }

        public string? StaleReason(DagNode task) =>
            !_ranAt.TryGetValue(task.Name, out var ranAt) ? Reasons.NeverRan
            : task.Parents.FirstOrDefault(p => !_ranAt.TryGetValue(p.Name, out var parentAt) || parentAt > ranAt) is { } parent ? Reasons.UpstreamChanged(parent.Name)
            : null;

        public IReadOnlyList<string> Select(string compact, bool force = false)
        {
            var selection = Selection.Parse(compact, null, null, null, force ? "true" : null).Selection!;
            var (task, _) = selection.ResolveTask(dag);
            return Planner.Plan(dag, selection, task, StaleReason).Select(run => run.Task.Index.ToString()).ToList();
        }
    }

    [Theory]
    [InlineData("0+", "0 1 2 3")]
    [InlineData("+3", "0 1 2 3")]
    [InlineData("(0)+", "1 2 3")]
    [InlineData("+(3)", "0 1 2")]
    [InlineData("+2", "0 2")]
    [InlineData("Load+", "0 1 2 3")]
    [InlineData("+(Report)", "0 1 2")]
    public void On_a_fresh_state_selections_match_dagdog(string selection, string expected) =>
        Assert.Equal(expected.Split(' '), new FakeState(Demo).Select(selection));

    [Fact]
    public void After_running_plus_2_plus_3_runs_only_what_is_left() =>
        Assert.Equal(["1", "3"], new FakeState(Demo).Ran("Load", "Plot").Select("+3"));

    [Fact]
    public void Force_runs_every_selected_task() =>
        Assert.Equal(["0", "1", "2", "3"], new FakeState(Demo).Ran("Load", "Clean", "Plot", "Report").Select("+3", force: true));

    [Fact]
    public void Everything_up_to_date_plans_nothing() =>
        Assert.Empty(new FakeState(Demo).Ran("Load", "Clean", "Plot", "Report").Select("+3"));

    [Fact]
    public void Only_runs_the_task_alone_whatever_its_state() =>
        Assert.Equal(["2"], new FakeState(Demo).Ran("Load", "Clean", "Plot", "Report").Select("2"));

    [Fact]
    public void Staleness_propagates_through_a_task_that_ran_alone()
    {
        // dagdog's flaw: Z -> A -> B -> K; run all, then Z alone, then B alone; +K must re-run A, B and K.
        var chain = Dag.Create([
            new TaskDeclaration("Z", []), new TaskDeclaration("A", ["Z"]), new TaskDeclaration("B", ["A"]), new TaskDeclaration("K", ["B"]),
        ]).Dag!;
        var state = new FakeState(chain).Ran("Z", "A", "B", "K").Ran("Z").Ran("B");

        var plan = Planner.Plan(chain, new Selection(SelectionMode.Upstream, "K"), chain["K"], state.StaleReason);

        Assert.Equal(["A", "B", "K"], plan.Select(r => r.Task.Name));
        Assert.Equal([Reasons.UpstreamChanged("Z"), Reasons.UpstreamRunsFirst("A"), Reasons.UpstreamChanged("B")], plan.Select(r => r.Reason));
    }

    [Fact]
    public void Each_planned_task_says_why()
    {
        var plan = Planner.Plan(Demo, new Selection(SelectionMode.Downstream, "Clean"), Demo["Clean"], _ => null);

        Assert.All(plan, run => Assert.Equal("selected (Downstream)", run.Reason));
    }
}
