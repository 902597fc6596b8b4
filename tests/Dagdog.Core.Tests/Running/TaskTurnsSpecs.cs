using Dagdog.Code;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Running;
using Dagdog.State;

namespace Dagdog.Tests.Running;

/// <summary>A task's turn always ends in a result, and never in an exception nobody reports.</summary>
public sealed class TaskTurnsSpecs : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dagdog-turn-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class BrokenExecutor : ITaskExecutor
    {
        public int Settled { get; private set; }

        public bool Ended { get; private set; }

        public void Warm(int workers)
        {
        }

        public Task<Execution> Run(RunRequest request, RunNeeds needs, Action<LinePiece> output, Action<string> waiting, Action<string> endedAfterwards,
            CancellationToken interrupt) =>
            throw new InvalidOperationException("the executor broke");

        public void Refill()
        {
        }

        public void Settle() => Settled++;

        public void Dispose() => Ended = true;
    }

    private sealed class Events : IRunEvents
    {
        public List<TurnResult> Finished { get; } = [];

        public void Expanded(DagNode family, int toRun)
        {
        }

        public void Waiting(string name, string why)
        {
        }

        public void Started(string name, string reason)
        {
        }

        public void Output(string name, string line)
        {
        }

        public void NotShown(string name, long lines, int shown, string logFile)
        {
        }

        void IRunEvents.Finished(TurnResult result)
        {
            lock (Finished) Finished.Add(result);
        }

        public void Problem(DagProblem problem)
        {
        }

        public void Note(string line)
        {
        }
    }

    [Fact]
    public async Task An_unexpected_exception_in_a_turn_fails_the_task_with_DAG030_naming_it_and_stops_its_downstream()
    {
        var dag = Dag.Create([new TaskDeclaration("Fit", []), new TaskDeclaration("Report", ["Fit"])]).Dag!;
        var layout = new StateLayout(Path.Combine(_root, "obj", "dag"), _root);
        foreach (var task in dag.Tasks) StateFiles.WriteAtomically(layout.CodeFile(task.Name), $"{CodeFingerprint.TypeLinePrefix}Analysis.{task.Name}\n");
        var events = new Events();
        var tasks = DagScheduler.Schedule(SelectionScope.Of(dag, Selection.Everything, null), dag, _ => true);

        var results = await DagRun.Run(new DagOnDisk(dag, layout, _ => { }), tasks, new RunSettings("Analysis.dll", 1, false, null, false, 10, DecideOnly: false),
            events, new BrokenExecutor(), CancellationToken.None);

        var fit = results.Single(r => r.Task.Name == "Fit");
        Assert.Equal(TurnStatus.Failed, fit.Status);
        Assert.Equal(DagCodes.InternalError, fit.Error!.Code);
        Assert.Equal("Fit", fit.Error.TaskName);
        Assert.StartsWith("Dagdog's turn of task 'Fit' failed unexpectedly: System.InvalidOperationException: the executor broke", fit.Error.Message);
        Assert.Contains("the executor broke", fit.Error.Detail);
        Assert.Equal([fit], events.Finished);
        Assert.Equal(TurnStatus.NotRun, results.Single(r => r.Task.Name == "Report").Status);
    }

    [Fact]
    public async Task A_run_settles_the_executor_it_was_given_and_leaves_ending_it_to_its_maker()
    {
        // A watch keeps its executor for the next run: a run that ended it would leave the next one without workers.
        var dag = Dag.Create([new TaskDeclaration("Fit", [])]).Dag!;
        var layout = new StateLayout(Path.Combine(_root, "obj", "dag"), _root);
        StateFiles.WriteAtomically(layout.CodeFile("Fit"), $"{CodeFingerprint.TypeLinePrefix}Analysis.Fit\n");
        var executor = new BrokenExecutor();

        await DagRun.Run(new DagOnDisk(dag, layout, _ => { }), DagScheduler.Schedule(SelectionScope.Of(dag, Selection.Everything, null), dag, _ => true),
            new RunSettings("Analysis.dll", 1, false, null, false, 10, DecideOnly: false), new Events(), executor, CancellationToken.None);

        Assert.Equal(1, executor.Settled);
        Assert.False(executor.Ended);
    }
}
