using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Running;
using Dagdog.State;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// The DAG as a picture (see <see cref="DagPicture"/>): written to <c>obj/dag/graph.mmd</c> (Mermaid, the default) or
/// <c>obj/dag/graph.dot</c> (<c>DagFormat=dot</c>), and returned, so that <c>-getProperty:DagGraph</c> prints it alone.
/// With <c>Dag</c> or <c>DagFrom</c>, the tasks the selection covers are drawn with a thick border.
/// </summary>
public sealed class DrawDagGraph : DagStatusTask
{
    [Output] public string Graph { get; private set; } = "";

    protected override bool ExecuteDagdog()
    {
        // DagFormat: mermaid (the default) or dot.
        var settings = Setting;
        var format = settings.Format;
        if (format is not ("" or "mermaid" or "dot"))
        {
            Log.LogProblem(new(DagCodes.InvalidOption, null, $"Unknown DagFormat '{settings.FormatAsGiven}' for DagGraph. Use mermaid or dot."), ProjectFile);
            return false;
        }
        if (LoadProject() is not { } project) return false;
        // The selection, without DagForce, which changes what runs, not what is selected.
        var (selection, problem) = Selection.Parse(settings.Compact, settings.From, settings.Mode, settings.Exclusive, force: null, instance: settings.Instance);
        if (!GoesOn(problem)) return false;
        var (selected, resolveProblem) = selection!.ResolveTask(project.Dag);
        if (!GoesOn(resolveProblem)) return false;

        var highlighted = settings.Compact.Trim().Length > 0 || settings.From.Trim().Length > 0 ? SelectionScope.Of(project.Dag, selection, selected).Tasks : new HashSet<DagNode>();
        var nodes = Foresee(project)
            .Select(result => new PictureNode(result.Task, StatusWords.Picture(result, project.StateOf(result.Task).LastRun), highlighted.Contains(result.Task),
                result.Task.Family is null ? null : result.Instances.Count))
            .ToList();
        var (graph, extension) = format == "dot" ? (DagPicture.Dot(nodes), "dot") : (DagPicture.Mermaid(nodes), "mmd");
        var file = project.Layout.GraphFile(extension);
        StateFiles.WriteAtomically(file, graph);
        Graph = graph;
        Live.Print($"Dag: drew {nodes.Count} task(s) in {file}");
        return true;
    }
}
