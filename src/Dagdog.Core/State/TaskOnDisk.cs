using Dagdog.Graph;

namespace Dagdog.State;

/// <summary>One task as the staleness rule sees it: its name, parents, declared files and where its state lives.</summary>
/// <param name="Task">The task's name, or an instance's (<c>Fit[adelie]</c>).</param>
/// <param name="Parents">The names whose state is its upstream: parent tasks, a parent family as a whole, or the paired instance of one.</param>
/// <param name="Store">Where its state and its parents' is read and written.</param>
internal sealed record TaskOnDisk(string Task, IReadOnlyList<string> Parents, TaskDataFiles Files, StateStore Store)
{
    public StateLayout Layout => Store.Layout;

    /// <summary>A task's state (this task's or a parent's).</summary>
    public TaskState State(string task) => Store.State(task);

    /// <summary>An instance's item metadata (<c>ForEachItem</c>): an edited value re-runs the instance.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
}
