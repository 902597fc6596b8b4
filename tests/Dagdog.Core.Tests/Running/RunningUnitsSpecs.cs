using Dagdog.Graph;
using Dagdog.Running;

namespace Dagdog.Tests.Running;

/// <summary>A watch's save stops the runs it changed, keeps changed ones from starting, and leaves the others alone.</summary>
public class RunningUnitsSpecs
{
    private sealed class Notes : IRunEvents
    {
        public List<string> Lines { get; } = [];
        public bool Closed { get; set; }
        public void Expanded(DagNode family, int toRun) { }
        public void Started(string name, string reason) { }
        public void Waiting(string name, string why) { }
        public void Output(string name, string line) { }
        public void NotShown(string name, long lines, int shown, string logFile) { }
        public void Finished(TurnResult result) { }
        public void Problem(DagProblem problem) { }

        public void Note(string line)
        {
            if (Closed) throw new InvalidOperationException("The collection has been marked as complete with regards to additions.");
            Lines.Add(line);
        }
    }

    [Fact]
    public void A_save_stops_the_runs_of_the_tasks_whose_code_or_inputs_it_changed_and_says_so()
    {
        var (units, notes) = (new RunningUnits(), new Notes());
        var fit = units.Enter("Fit", "Fit", ["/p/out/raw.txt"], notes, CancellationToken.None)!.Value;
        var plot = units.Enter("Plot[a]", "Plot", ["/p/data/style.txt"], notes, CancellationToken.None)!.Value;
        var load = units.Enter("Load", "Load", ["/p/data/raw.csv"], notes, CancellationToken.None)!.Value;

        var stopped = units.Restart("Fit.cs and 1 more saved", ["/p/data/style.txt"], ["Fit"]);

        Assert.Equal(["Fit", "Plot[a]"], stopped.Order());
        Assert.True(fit.IsCancellationRequested && plot.IsCancellationRequested);
        Assert.False(load.IsCancellationRequested);
        Assert.Equal(["Dag: Fit.cs and 1 more saved while Fit runs: restarting it", "Dag: Fit.cs and 1 more saved while Plot[a] runs: restarting it"], notes.Lines.Order());
        Assert.True(units.Leave("Fit"));
        Assert.False(units.Leave("Load"));
    }

    [Fact]
    public void A_task_a_save_changed_before_it_started_does_not_start_in_this_cycle()
    {
        var (units, notes) = (new RunningUnits(), new Notes());
        units.Restart("Report.cs saved", [], ["Report"]);
        units.Restart("data/raw.csv saved", ["/p/data/raw.csv"], []);

        Assert.Null(units.Enter("Report", "Report", [], notes, CancellationToken.None));
        Assert.True(units.Leave("Report"));
        Assert.Null(units.Enter("Load", "Load", ["/p/data/raw.csv"], notes, CancellationToken.None));
        Assert.NotNull(units.Enter("Plot", "Plot", ["/p/data/style.txt"], notes, CancellationToken.None));
    }

    [Fact]
    public void Ctrl_C_stops_every_run_through_its_token_and_a_run_that_ended_meanwhile_is_no_error()
    {
        using var interrupt = new CancellationTokenSource();
        var (units, notes) = (new RunningUnits(), new Notes());
        var fit = units.Enter("Fit", "Fit", [], notes, interrupt.Token)!.Value;
        interrupt.Cancel();
        Assert.True(fit.IsCancellationRequested);

        // The run's output closed just as a save came: the save stops it quietly.
        var plot = units.Enter("Plot", "Plot", [], notes, CancellationToken.None)!.Value;
        notes.Closed = true;
        Assert.Equal(["Plot"], units.Restart("Plot.cs saved", [], ["Plot"]));
        Assert.True(plot.IsCancellationRequested);
        Assert.False(units.Leave("Fit"));
        Assert.Empty(units.Restart("Fit.cs saved", [], ["Fit"]));
    }
}
