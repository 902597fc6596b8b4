using System.Text;

namespace Dagdog.Graph;

/// <summary>What a task's node in the picture says about it, from its status and last run (<see cref="Running.StatusWords.Picture"/>).</summary>
internal enum PictureStatus
{
    UpToDate,
    WillRun,
    FailedLastTime,
    NeverRan,
}

/// <summary>One task in the picture: its status, and whether the selection (<c>Dag</c>, <c>DagFrom</c>) covers it.</summary>
/// <param name="Instances">For a family, how many instances it has now (drawn as one node: <c>2: Fit ×3</c>).</param>
internal sealed record PictureNode(DagNode Task, PictureStatus Status, bool Selected, int? Instances = null)
{
    public string Label => $"{Task.Index}: {Task.Name}" + (Instances is { } count ? $" ×{count}" : "");
}

/// <summary>
/// The DAG as a picture: one node per task labelled with its index and name (a family's with its instance count), an edge from each parent to its child,
/// nodes coloured by status with a legend, and the selection drawn with a thick border. Mermaid (which GitHub and
/// many editors render) or Graphviz DOT (<c>dot -Tsvg</c>).
/// </summary>
internal static class DagPicture
{
    /// <summary>Each status's class (the name the board's document gives it too), legend label and colours.</summary>
    public static readonly (PictureStatus Status, string Class, string Label, string Fill, string Stroke)[] Statuses =
    [
        (PictureStatus.UpToDate, "upToDate", "up to date", "#d4edda", "#28a745"),
        (PictureStatus.WillRun, "willRun", "will run", "#fff3cd", "#d39e00"),
        (PictureStatus.FailedLastTime, "failed", "failed last time", "#f8d7da", "#dc3545"),
        (PictureStatus.NeverRan, "neverRan", "never ran", "#e2e3e5", "#6c757d"),
    ];

    public static string Mermaid(IReadOnlyList<PictureNode> nodes)
    {
        var text = new StringBuilder("flowchart LR\n");
        foreach (var node in nodes) text.Append($"  t{node.Task.Index}[\"{node.Label}\"]:::{Style(node.Status).Class}\n");
        foreach (var node in nodes)
        {
            foreach (var parent in node.Task.Parents) text.Append($"  t{parent.Index} --> t{node.Task.Index}\n");
        }
        foreach (var node in nodes.Where(n => n.Selected)) text.Append($"  style t{node.Task.Index} stroke-width:4px\n");
        text.Append("  subgraph legend [\"legend\"]\n");
        foreach (var style in Statuses) text.Append($"    legend_{style.Class}[\"{style.Label}\"]:::{style.Class}\n");
        if (nodes.Any(n => n.Selected)) text.Append("    legend_selected[\"selected\"]\n    style legend_selected stroke-width:4px\n");
        text.Append("  end\n");
        foreach (var style in Statuses) text.Append($"  classDef {style.Class} fill:{style.Fill},stroke:{style.Stroke},color:#212529\n");
        return text.ToString();
    }

    public static string Dot(IReadOnlyList<PictureNode> nodes)
    {
        var text = new StringBuilder("digraph dag {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
        foreach (var node in nodes)
        {
            var style = Style(node.Status);
            text.Append($"  t{node.Task.Index} [label=\"{node.Label}\", fillcolor=\"{style.Fill}\", color=\"{style.Stroke}\"{(node.Selected ? ", penwidth=4" : "")}];\n");
        }
        foreach (var node in nodes)
        {
            foreach (var parent in node.Task.Parents) text.Append($"  t{parent.Index} -> t{node.Task.Index};\n");
        }
        text.Append("  subgraph cluster_legend {\n    label=\"legend\";\n    fontname=\"Helvetica\";\n");
        foreach (var style in Statuses) text.Append($"    legend_{style.Class} [label=\"{style.Label}\", fillcolor=\"{style.Fill}\", color=\"{style.Stroke}\"];\n");
        if (nodes.Any(n => n.Selected)) text.Append("    legend_selected [label=\"selected\", fillcolor=\"white\", penwidth=4];\n");
        text.Append("  }\n}\n");
        return text.ToString();
    }

    public static (PictureStatus Status, string Class, string Label, string Fill, string Stroke) Style(PictureStatus status) =>
        Statuses.First(s => s.Status == status);
}
