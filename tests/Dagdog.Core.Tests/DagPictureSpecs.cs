using Dagdog.Graph;
using Dagdog.Running;
using Dagdog.State;
namespace Dagdog.Tests;

/// <summary>The DAG as a picture: a node per task with its index, an edge per dependency, colours by status, the selection bold.</summary>
public class DagPictureSpecs
{
    // Load -> Clean -> {Fit, Plot}; Load and Clean will run, Fit failed last time, Plot never ran; the selection is +Fit.
    private static IReadOnlyList<PictureNode> Nodes()
    {
        var dag = Dag.Create([new("Load", []), new("Clean", ["Load"]), new("Fit", ["Clean"]), new("Plot", ["Clean"])]).Dag!;
        PictureStatus[] statuses = [PictureStatus.WillRun, PictureStatus.WillRun, PictureStatus.FailedLastTime, PictureStatus.NeverRan];
        return dag.Tasks.Select((task, i) => new PictureNode(task, statuses[i], Selected: task.Name != "Plot")).ToList();
    }

    [Fact]
    public void Mermaid_has_a_node_per_task_an_edge_per_dependency_a_class_per_status_and_a_legend()
    {
        var lines = DagPicture.Mermaid(Nodes()).Split('\n');

        Assert.Equal("flowchart LR", lines[0]);
        Assert.Equal(["  t0[\"0: Load\"]:::willRun", "  t1[\"1: Clean\"]:::willRun", "  t2[\"2: Fit\"]:::failed", "  t3[\"3: Plot\"]:::neverRan"], lines[1..5]);
        Assert.Equal(["  t0 --> t1", "  t1 --> t2", "  t1 --> t3"], lines.Where(l => l.Contains("-->")));
        Assert.Equal(["  style t0 stroke-width:4px", "  style t1 stroke-width:4px", "  style t2 stroke-width:4px"], lines.Where(l => l.StartsWith("  style t", StringComparison.Ordinal)));
        Assert.Contains("    legend_failed[\"failed last time\"]:::failed", lines);
        Assert.Contains("  classDef upToDate fill:#d4edda,stroke:#28a745,color:#212529", lines);
    }

    [Fact]
    public void Dot_has_the_same_nodes_edges_colours_and_legend()
    {
        var dot = DagPicture.Dot(Nodes());

        Assert.StartsWith("digraph dag {", dot);
        Assert.Contains("  t2 [label=\"2: Fit\", fillcolor=\"#f8d7da\", color=\"#dc3545\", penwidth=4];", dot);
        Assert.Contains("  t3 [label=\"3: Plot\", fillcolor=\"#e2e3e5\", color=\"#6c757d\"];", dot);
        Assert.Contains("  t1 -> t3;", dot);
        Assert.Contains("    legend_selected [label=\"selected\", fillcolor=\"white\", penwidth=4];", dot);
    }

    [Theory]
    [InlineData(null, nameof(TurnStatus.UpToDate), nameof(PictureStatus.NeverRan))]
    [InlineData(false, nameof(TurnStatus.WouldRun), nameof(PictureStatus.FailedLastTime))]
    [InlineData(true, nameof(TurnStatus.UpToDate), nameof(PictureStatus.UpToDate))]
    [InlineData(true, nameof(TurnStatus.WouldRun), nameof(PictureStatus.WillRun))]
    [InlineData(true, nameof(TurnStatus.WouldRestore), nameof(PictureStatus.WillRun))]
    public void A_status_comes_from_the_last_run_first_then_from_what_a_build_would_do(bool? succeeded, string decided, string expected)
    {
        var run = succeeded is { } ok ? new RunRecord("Fit", ok, DateTime.UtcNow, DateTime.UtcNow, 1, "never ran") : null;
        var fit = Dag.Create([new TaskDeclaration("Fit", [])]).Dag!.Tasks[0];

        Assert.Equal(Enum.Parse<PictureStatus>(expected), StatusWords.Picture(new TurnResult(fit, Enum.Parse<TurnStatus>(decided)), run));
    }
}
