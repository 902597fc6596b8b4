using Dagdog.Graph;
using Dagdog.Running;
using Dagdog.State;

namespace Dagdog.Tests.Running;

/// <summary>The last runs kept for the board: each unit's durations and the numbers its JSON outputs held, the oldest dropped.</summary>
public sealed class KeptRunsSpecs : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dagdog-kept-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private StateLayout Layout => new(Path.Combine(_root, "obj", "dag"), _root);

    // Fit ran at the given minute and wrote out/fit.json with these contents; Load was up to date.
    private void Run(DagOnDisk onDisk, int minute, string fitJson, int kept = 3)
    {
        Directory.CreateDirectory(Path.Combine(_root, "out"));
        File.WriteAllText(Path.Combine(_root, "out", "fit.json"), fitJson);
        var started = new DateTime(2026, 12, 5, 10, minute, 0, DateTimeKind.Utc);
        TaskState.RecordSuccess(Layout, new RunRecord("Fit", true, started, started.AddSeconds(minute), minute, "input changed",
            Outputs: [new FileHash("out/fit.json", fitJson.Length, started, "00")]));
        var onDiskNow = new DagOnDisk(onDisk.Dag, Layout, _ => { });
        var (load, fit) = (onDisk.Dag.Tasks[0], onDisk.Dag.Tasks[1]);
        RunReport.Write(onDiskNow, "everything", started, 1,
            [new TurnResult(load, TurnStatus.UpToDate), new TurnResult(fit, TurnStatus.Ran) { StartedUtc = started, Seconds = minute, Reason = "input changed" }], kept);
    }

    private DagOnDisk Project() => new(Dag.Create([new TaskDeclaration("Load", []), new TaskDeclaration("Fit", ["Load"])]).Dag!, Layout, _ => { });

    [Fact]
    public void Each_unit_has_its_durations_and_its_json_outputs_numbers_over_the_last_runs_in_which_it_ran_oldest_first()
    {
        var project = Project();
        Run(project, 1, """{"slope": 1.5, "metrics": {"r2": 0.75, "n": 151}, "folds": [{"auc": 0.9}], "species": "Adelie"}""");
        Run(project, 2, """{"slope": 1.25, "metrics": {"r2": 0.81, "n": 151}, "folds": [{"auc": 0.92}], "species": "Adelie"}""");

        var history = KeptRuns.Read(Layout);

        Assert.False(history.ContainsKey("Load"));
        Assert.Equal([1.0, 2.0], history["Fit"].Seconds);
        var last = history["Fit"].Metrics[^1]["out/fit.json"];
        Assert.Equal(new Dictionary<string, double> { ["slope"] = 1.25, ["metrics.r2"] = 0.81, ["metrics.n"] = 151, ["folds[0].auc"] = 0.92 }, last);
        Assert.Equal(0.75, history["Fit"].Metrics[0]["out/fit.json"]["metrics.r2"]);
    }

    [Fact]
    public void Only_the_last_DagKeptRuns_runs_are_kept_and_zero_keeps_none()
    {
        var project = Project();
        for (var minute = 1; minute <= 5; minute++) Run(project, minute, $$"""{"r2": 0.{{minute}}}""");
        Assert.Equal([3.0, 4.0, 5.0], KeptRuns.Read(Layout)["Fit"].Seconds);
        Assert.Equal(6, Directory.GetFiles(Layout.KeptRunsFolder).Length);

        Run(project, 6, """{"r2": 0.6}""", kept: 0);
        Assert.Empty(KeptRuns.Read(Layout));
        Assert.Empty(Directory.GetFiles(Layout.KeptRunsFolder));
    }

    [Fact]
    public void A_run_in_which_nothing_started_keeps_nothing_new()
    {
        var project = Project();
        Run(project, 1, """{"r2": 0.1}""");
        var (load, fit) = (project.Dag.Tasks[0], project.Dag.Tasks[1]);
        RunReport.Write(project, "everything", DateTime.UtcNow, 1, [new TurnResult(load, TurnStatus.UpToDate), new TurnResult(fit, TurnStatus.UpToDate)], kept: 3);
        Assert.Equal([1.0], KeptRuns.Read(Layout)["Fit"].Seconds);
        Assert.Equal(2, Directory.GetFiles(Layout.KeptRunsFolder).Length);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2")]
    public void An_output_that_is_not_json_gives_no_numbers_and_fails_nothing(string text)
    {
        var project = Project();
        Run(project, 1, text);
        Assert.Empty(KeptRuns.Read(Layout)["Fit"].Metrics);
    }

    [Fact]
    public void A_kept_run_read_before_is_read_again_when_its_files_change()
    {
        var project = Project();
        Run(project, 1, """{"r2": 0.1}""");
        Assert.Equal(0.1, KeptRuns.Read(Layout)["Fit"].Metrics[0]["out/fit.json"]["r2"]);

        var numbers = Directory.GetFiles(Layout.KeptRunsFolder, "*.metrics.json").Single();
        File.WriteAllText(numbers, """{"Fit": {"out/fit.json": {"r2": 0.2}}}""");
        File.SetLastWriteTimeUtc(numbers, File.GetLastWriteTimeUtc(numbers).AddSeconds(1));

        Assert.Equal(0.2, KeptRuns.Read(Layout)["Fit"].Metrics[0]["out/fit.json"]["r2"]);
    }
}
