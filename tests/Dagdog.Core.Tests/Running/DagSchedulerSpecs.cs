using CsCheck;
using Dagdog.Graph;
using Dagdog.Running;

namespace Dagdog.Tests.Running;

/// <summary>
/// Which tasks the scheduler hands out, when, and what becomes of the rest: parallel branches up to the jobs, a failure
/// stopping new starts (or only its downstream, with keep-going), weights, Ctrl+C, and tasks nothing made stale.
/// </summary>
public class DagSchedulerSpecs
{
    // Load -> {Fit, Plot}; Fit -> Report; Plot -> Report; Load -> Audit (independent of Fit and Plot).
    private static readonly Dag Analysis = Dag.Create([
        new TaskDeclaration("Load", []),
        new TaskDeclaration("Fit", ["Load"]),
        new TaskDeclaration("Plot", ["Load"]),
        new TaskDeclaration("Audit", ["Load"]),
        new TaskDeclaration("Report", ["Fit", "Plot"]),
    ]).Dag!;

    /// <summary>A runner that records starts and ends, and fails or hangs the tasks it is told to.</summary>
    private sealed class Recorder(string[] failing, int milliseconds = 30)
    {
        private readonly object _gate = new();
        private int _running;

        public List<string> Started { get; } = [];

        public int MostAtOnce { get; private set; }

        public HashSet<string> Hanging { get; } = [];

        public async Task<TurnResult> Turn(ScheduledTask task, IReadOnlyList<TurnResult> parents, CancellationToken interrupt)
        {
            lock (_gate)
            {
                Started.Add(task.Node.Name);
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
            }
            try
            {
                await Task.Delay(Hanging.Contains(task.Node.Name) ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds), interrupt);
                return new TurnResult(task.Node, failing.Contains(task.Node.Name) ? TurnStatus.Failed : TurnStatus.Ran);
            }
            catch (OperationCanceledException)
            {
                return new TurnResult(task.Node, TurnStatus.Interrupted);
            }
            finally
            {
                lock (_gate) _running--;
            }
        }
    }

    private static List<ScheduledTask> All(Dag dag, Func<DagNode, int>? weight = null) =>
        dag.Tasks.Select(t => new ScheduledTask(t, NeedsTurn: true, Weight: weight?.Invoke(t) ?? 1)).ToList();

    private static Dictionary<string, TurnStatus> Statuses(IEnumerable<TurnResult> results) => results.ToDictionary(r => r.Task.Name, r => r.Status);

    private static string? CauseOf(IEnumerable<TurnResult> results, string task) => results.Single(r => r.Task.Name == task).Cause?.Name;

    [Fact]
    public async Task Independent_tasks_run_at_the_same_time_up_to_the_jobs()
    {
        var recorder = new Recorder([]);

        await new DagScheduler(new JobSlots(2), keepGoing: false).Run(All(Analysis), recorder.Turn, CancellationToken.None);

        Assert.Equal(2, recorder.MostAtOnce);
        Assert.Equal("Load", recorder.Started[0]);
        // Audit depends on Load alone: on a loaded machine its turn may begin after Report's, which waits for Fit and Plot.
        Assert.True(recorder.Started.IndexOf("Report") > Math.Max(recorder.Started.IndexOf("Fit"), recorder.Started.IndexOf("Plot")), string.Join(", ", recorder.Started));
    }

    [Fact]
    public async Task One_job_runs_the_tasks_one_at_a_time_in_index_order()
    {
        var recorder = new Recorder([]);

        await new DagScheduler(new JobSlots(1), keepGoing: false).Run(All(Analysis), recorder.Turn, CancellationToken.None);

        Assert.Equal(1, recorder.MostAtOnce);
        Assert.Equal(Analysis.Tasks.Select(t => t.Name), recorder.Started);
    }

    [Fact]
    public async Task After_a_failure_no_new_task_starts_and_its_downstream_does_not_run()
    {
        var recorder = new Recorder(["Fit"]);

        var results = await new DagScheduler(new JobSlots(1), keepGoing: false).Run(All(Analysis), recorder.Turn, CancellationToken.None);

        Assert.Equal(["Load", "Fit"], recorder.Started);
        var statuses = Statuses(results);
        Assert.Equal(TurnStatus.Failed, statuses["Fit"]);
        Assert.Equal(TurnStatus.NotRun, statuses["Plot"]);
        Assert.Null(CauseOf(results, "Plot"));
        Assert.Equal(TurnStatus.NotRun, statuses["Audit"]);
        Assert.Equal(TurnStatus.NotRun, statuses["Report"]);
        Assert.Equal("Fit", CauseOf(results, "Report"));
    }

    [Fact]
    public async Task Keep_going_runs_everything_that_does_not_depend_on_the_failure()
    {
        var recorder = new Recorder(["Fit"]);

        var results = await new DagScheduler(new JobSlots(1), keepGoing: true).Run(All(Analysis), recorder.Turn, CancellationToken.None);

        Assert.Equal(["Load", "Fit", "Plot", "Audit"], recorder.Started);
        Assert.Equal(TurnStatus.NotRun, Statuses(results)["Report"]);
        Assert.Equal("Fit", CauseOf(results, "Report"));
    }

    [Fact]
    public async Task A_task_that_takes_two_jobs_runs_alone_when_there_are_two()
    {
        var recorder = new Recorder([]);
        var heavy = All(Analysis, t => t.Name == "Fit" ? 2 : 1);

        await new DagScheduler(new JobSlots(2), keepGoing: false).Run(heavy, recorder.Turn, CancellationToken.None);

        // Fit comes first among Load's children and takes both jobs: Plot and Audit wait for it, then run together.
        Assert.Equal(["Load", "Fit"], recorder.Started.Take(2));
        Assert.Equal(2, recorder.MostAtOnce);
    }

    [Fact]
    public async Task A_task_heavier_than_the_build_still_runs_alone()
    {
        var recorder = new Recorder([]);

        var results = await new DagScheduler(new JobSlots(1), keepGoing: false).Run(All(Analysis, _ => 8), recorder.Turn, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(TurnStatus.Ran, r.Status));
    }

    [Fact]
    public async Task Tasks_that_are_not_stale_and_whose_parents_were_not_checked_get_no_turn()
    {
        var recorder = new Recorder([]);
        var onlyPlot = Analysis.Tasks.Select(t => new ScheduledTask(t, NeedsTurn: t.Name == "Plot")).ToList();

        var results = await new DagScheduler(new JobSlots(2), keepGoing: false).Run(onlyPlot, recorder.Turn, CancellationToken.None);

        // Report may have new input from Plot, so it is checked too; nothing else is.
        Assert.Equal(["Plot", "Report"], recorder.Started);
        Assert.Equal(TurnStatus.UpToDate, Statuses(results)["Fit"]);
        Assert.Equal(2, DagScheduler.MayRun(onlyPlot));
        Assert.Equal(1, DagScheduler.MayRunAtOnce(onlyPlot));
    }

    [Fact]
    public void As_many_tasks_may_run_at_once_as_the_widest_part_of_the_DAG_below_what_is_stale_and_none_when_nothing_is()
    {
        // Fit, Plot and Audit after Load: three at once, however many jobs the build has.
        Assert.Equal(3, DagScheduler.MayRunAtOnce(All(Analysis)));
        // Fit stale: the chain Fit, Report, one after the other.
        Assert.Equal(1, DagScheduler.MayRunAtOnce(Analysis.Tasks.Select(t => new ScheduledTask(t, NeedsTurn: t.Name == "Fit")).ToList()));
        // Fit and Audit are independent; Report comes after Fit.
        Assert.Equal(2, DagScheduler.MayRunAtOnce(Analysis.Tasks.Select(t => new ScheduledTask(t, NeedsTurn: t.Name is "Fit" or "Audit")).ToList()));
        Assert.Equal(0, DagScheduler.MayRunAtOnce(Analysis.Tasks.Select(t => new ScheduledTask(t, NeedsTurn: false)).ToList()));
    }

    [Fact]
    public async Task A_turn_that_throws_fails_its_task_and_stops_its_downstream()
    {
        var results = await new DagScheduler(new JobSlots(1), keepGoing: true).Run(All(Analysis),
            (task, _, _) => task.Node.Name == "Fit" ? throw new InvalidOperationException("broken") : Task.FromResult(new TurnResult(task.Node, TurnStatus.Ran)),
            CancellationToken.None);

        Assert.Equal(TurnStatus.Failed, Statuses(results)["Fit"]);
        Assert.Equal("Fit", CauseOf(results, "Report"));
    }

    [Fact]
    public async Task Each_turn_is_given_its_parents_results()
    {
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();

        await new DagScheduler(new JobSlots(2), keepGoing: false).Run(All(Analysis), (task, parents, _) =>
        {
            seen[task.Node.Name] = string.Join(",", parents.Select(p => $"{p.Task.Name}:{p.Status}"));
            return Task.FromResult(new TurnResult(task.Node, TurnStatus.Ran));
        }, CancellationToken.None);

        Assert.Equal("", seen["Load"]);
        Assert.Equal("Fit:Ran,Plot:Ran", seen["Report"]);
    }

    [Fact]
    public async Task Ctrl_C_interrupts_running_tasks_and_starts_no_more()
    {
        var recorder = new Recorder([]);
        recorder.Hanging.Add("Fit");
        using var interrupt = new CancellationTokenSource();
        var scheduler = new DagScheduler(new JobSlots(1), keepGoing: true);

        var running = scheduler.Run(All(Analysis), recorder.Turn, interrupt.Token);
        while (!recorder.Started.Contains("Fit")) await Task.Delay(10);
        interrupt.Cancel();
        var results = await running;

        var statuses = Statuses(results);
        Assert.Equal(TurnStatus.Interrupted, statuses["Fit"]);
        Assert.Equal(TurnStatus.NotRun, statuses["Plot"]);
        Assert.Null(CauseOf(results, "Plot"));
        Assert.Equal(["Load", "Fit"], recorder.Started);
    }

    [Fact]
    public void Any_DAG_any_jobs_any_failures_parents_first_never_more_than_the_jobs_never_downstream_of_a_failure()
    {
        var cases = from size in Gen.Int[1, 12]
                    from parents in Gen.Int[0, 1000].Array[size]
                    from failing in Gen.Bool.Array[size]
                    from jobs in Gen.Int[1, 4]
                    from keepGoing in Gen.Bool
                    select (size, parents, failing, jobs, keepGoing);

        cases.Sample(c =>
        {
            // Task i depends on up to two earlier tasks, picked from the random number.
            var declarations = Enumerable.Range(0, c.size).Select(i => new TaskDeclaration($"T{i}",
                i == 0 ? [] : new[] { $"T{c.parents[i] % i}", $"T{c.parents[i] / 7 % i}" }.Distinct().ToList())).ToList();
            var dag = Dag.Create(declarations).Dag!;
            var failing = dag.Tasks.Where(t => c.failing[t.DeclarationOrder]).Select(t => t.Name).ToArray();
            var recorder = new Recorder(failing, milliseconds: 1);

            var results = new DagScheduler(new JobSlots(c.jobs), c.keepGoing).Run(All(dag), recorder.Turn, CancellationToken.None).GetAwaiter().GetResult();

            Assert.True(recorder.MostAtOnce <= c.jobs);
            var statuses = Statuses(results);
            foreach (var task in dag.Tasks)
            {
                var position = recorder.Started.IndexOf(task.Name);
                if (position >= 0) Assert.All(task.Parents, p => Assert.Equal(TurnStatus.Ran, statuses[p.Name]));
                var anyFailureUpstream = task.Parents.Any(p => statuses[p.Name] is not TurnStatus.Ran);
                if (c.keepGoing && !anyFailureUpstream) Assert.True(position >= 0, $"{task.Name} should have run with keep-going");
            }
        }, iter: 100);
    }
}
