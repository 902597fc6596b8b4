using Dagdog.Code;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Running;
using Dagdog.State;

namespace Dagdog.Tests.Running;

/// <summary>
/// What a selection runs, and why, decided by the one path every run takes (<see cref="DagRun"/> deciding only, on
/// real state files): dagdog's own test (tests/test_demo.py) on its demo DAG 0 -> 1, 0 -> 2, {1, 2} -> 3, and its known flaw.
/// </summary>
public sealed class PlanSpecs : IDisposable
{
    private static readonly Dag Demo = Dag.Create([
        new TaskDeclaration("Load", []),
        new TaskDeclaration("Clean", ["Load"]),
        new TaskDeclaration("Plot", ["Load"]),
        new TaskDeclaration("Report", ["Clean", "Plot"]),
    ]).Dag!;

    private readonly string _root = Directory.CreateTempSubdirectory("dagdog-plan-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("0+", "0 1 2 3")]
    [InlineData("+3", "0 1 2 3")]
    [InlineData("(0)+", "1 2 3")]
    [InlineData("+(3)", "0 1 2")]
    [InlineData("+2", "0 2")]
    [InlineData("Load+", "0 1 2 3")]
    [InlineData("+(Report)", "0 1 2")]
    public async Task On_a_fresh_state_selections_match_dagdog(string selection, string expected) =>
        Assert.Equal(expected.Split(' '), (await new RecordedState(Demo, _root).Plan(selection)).Select(r => r.Task.Index.ToString()));

    [Fact]
    public async Task After_running_plus_2_plus_3_runs_only_what_is_left() =>
        Assert.Equal(["1", "3"], (await new RecordedState(Demo, _root).Ran("Load", "Plot").Plan("+3")).Select(r => r.Task.Index.ToString()));

    [Fact]
    public async Task Force_runs_every_selected_task() =>
        Assert.Equal(["0", "1", "2", "3"], (await new RecordedState(Demo, _root).Ran("Load", "Clean", "Plot", "Report").Plan("+3", force: true)).Select(r => r.Task.Index.ToString()));

    [Fact]
    public async Task Everything_up_to_date_plans_nothing() =>
        Assert.Empty(await new RecordedState(Demo, _root).Ran("Load", "Clean", "Plot", "Report").Plan("+3"));

    [Fact]
    public async Task Only_runs_the_task_alone_whatever_its_state() =>
        Assert.Equal(["2"], (await new RecordedState(Demo, _root).Ran("Load", "Clean", "Plot", "Report").Plan("2")).Select(r => r.Task.Index.ToString()));

    [Fact]
    public async Task Staleness_propagates_through_a_task_that_ran_alone()
    {
        // dagdog's flaw: Z -> A -> B -> K; run all, then Z alone, then B alone; +K must re-run A, B and K.
        var chain = Dag.Create([
            new TaskDeclaration("Z", []), new TaskDeclaration("A", ["Z"]), new TaskDeclaration("B", ["A"]), new TaskDeclaration("K", ["B"]),
        ]).Dag!;

        var plan = await new RecordedState(chain, _root).Ran("Z", "A", "B", "K").Ran("Z").Ran("B").Plan("+K");

        Assert.Equal(["A", "B", "K"], plan.Select(r => r.Task.Name));
        Assert.Equal([Reasons.UpstreamChanged("Z"), Reasons.UpstreamRunsFirst("A"), Reasons.UpstreamChanged("B")], plan.Select(r => r.Reason));
    }

    [Fact]
    public async Task Each_planned_task_says_why() =>
        Assert.All(await new RecordedState(Demo, _root).Ran("Load", "Clean", "Plot", "Report").Plan("Clean+"), run => Assert.Equal("selected (Downstream)", run.Reason));

    [Fact]
    public async Task With_two_jobs_the_plan_is_the_order_the_scheduler_starts_parallel_branches_in()
    {
        // Load -> {A, B, C} -> Report, where A takes both jobs: it runs alone, then B and C together.
        var wide = Dag.Create([
            new TaskDeclaration("Load", []), new TaskDeclaration("A", ["Load"], Jobs: "2"), new TaskDeclaration("B", ["Load"]),
            new TaskDeclaration("C", ["Load"]), new TaskDeclaration("Report", ["A", "B", "C"]),
        ]).Dag!;

        var plan = await new RecordedState(wide, _root).Plan("+Report", jobs: 2);

        Assert.Equal(["Load", "A", "B", "C", "Report"], plan.Select(r => r.Task.Name));
    }

    /// <summary>A project's state on disk where the named tasks ran, in this order, each at a later time, and the others never did.</summary>
    private sealed class RecordedState
    {
        private readonly Dag _dag;
        private readonly StateLayout _layout;
        private readonly DateTime _start = DateTime.UtcNow.AddHours(-1);
        private int _clock;

        public RecordedState(Dag dag, string root)
        {
            _dag = dag;
            var directory = Directory.CreateDirectory(Path.Combine(root, Guid.NewGuid().ToString("N"))).FullName;
            _layout = new StateLayout(Path.Combine(directory, "obj", "dag"), directory);
            foreach (var task in dag.Tasks)
            {
                StateFiles.WriteAtomically(_layout.CodeFile(task.Name), Code(task));
                File.SetLastWriteTimeUtc(_layout.CodeFile(task.Name), _start);
            }
        }

        private static string Code(DagNode task) => $"{CodeFingerprint.TypeLinePrefix}Analysis.{task.Name}\n";

        public RecordedState Ran(params string[] tasks)
        {
            foreach (var name in tasks)
            {
                var task = _dag[name];
                var time = _start.AddSeconds(++_clock);
                var upstream = task.Parents.ToDictionary(p => p.Name, p => TaskState.Read(_layout, p.Name).LastRun!.OutputVersion!);
                TaskState.RecordSuccess(_layout, new RunRecord(name, true, time, time, 0.1, Reasons.NeverRan, Code: Code(task),
                    Inputs: [], Outputs: [], OutputVersion: $"run {_clock}", Upstream: upstream));
                File.SetLastWriteTimeUtc(_layout.StampFile(name), time);
            }
            return this;
        }

        /// <summary>What the selection would run, in the order a real run would start it.</summary>
        public async Task<IReadOnlyList<TurnResult>> Plan(string compact, bool force = false, int jobs = 1)
        {
            var (selection, problem) = Selection.Parse(compact, null, null, null, force ? "true" : null);
            Assert.Null(problem);
            var (task, _) = selection!.ResolveTask(_dag);
            var tasks = DagScheduler.Schedule(SelectionScope.Of(_dag, selection, task), _dag, _ => true);
            var project = new DagOnDisk(_dag, _layout, unreadable => Assert.Fail($"{unreadable}'s state was unreadable"));
            var settings = new RunSettings("", jobs, KeepGoing: false, Cache: null, Push: false, OutputLines: 0, DecideOnly: true);
            var results = await DagRun.Run(project, tasks, settings, new NoEvents(), workers: null, CancellationToken.None);
            return results.Where(r => r.Status == TurnStatus.WouldRun).ToList();
        }
    }

    private sealed class NoEvents : IRunEvents
    {
        public void Expanded(DagNode family, int toRun) => Assert.Fail("Nothing runs when deciding only.");

        public void Started(string name, string reason) => Assert.Fail("Nothing starts when deciding only.");

        public void Waiting(string name, string why) => Assert.Fail("Nothing waits when deciding only.");

        public void Output(string name, string line) => Assert.Fail("Nothing runs when deciding only.");

        public void NotShown(string name, long lines, int shown, string logFile) => Assert.Fail("Nothing runs when deciding only.");

        public void Finished(TurnResult result) => Assert.Fail($"{result.Task.Name} {result.Status}: {result.Error}");

        public void Problem(DagProblem problem) => Assert.Fail(problem.ToString());

        public void Note(string line) => Assert.Fail(line);
    }
}
