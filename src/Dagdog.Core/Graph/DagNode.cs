namespace Dagdog.Graph;

/// <summary>A validated task in a <see cref="Dag"/>.</summary>
internal sealed class DagNode
{
    private readonly List<DagNode> _parents = [];
    private readonly List<DagNode> _children = [];

    internal DagNode(TaskDeclaration declaration, int declarationOrder)
    {
        Declaration = declaration;
        DeclarationOrder = declarationOrder;
    }

    public TaskDeclaration Declaration { get; }
    public string Name => Declaration.Name;

    /// <summary>How many of the build's jobs the task takes while it runs (its <c>Jobs</c> metadata).</summary>
    public int Jobs { get; internal init; } = 1;

    /// <summary>The memory the task needs, in megabytes (its <c>Memory</c> metadata); null when not said.</summary>
    public long? MemoryMegabytes { get; internal init; }

    /// <summary>How long the task may run before it fails (its <c>Timeout</c> metadata); null for no limit.</summary>
    public TimeSpan? Timeout { get; internal init; }

    /// <summary>
    /// Whether a shared result cache may restore and store its runs: it declares outputs, none of them a glob (what a glob
    /// matches is known only after a run), and its <c>Cache</c> metadata is not <c>false</c>.
    /// </summary>
    public bool Cacheable { get; internal init; }

    /// <summary>Where the task's instances come from, for a family (<c>ForEach</c>, <c>ForEachItem</c>); null for a task run once.</summary>
    public Families.TaskFamily? Family { get; internal init; }

    /// <summary>For a family: its parent families that it is paired with, instance by instance (see <see cref="Families.FamilyDeclarations.PairedParents"/>).</summary>
    public IReadOnlyList<DagNode> PairedParents { get; internal set; } = [];

    /// <summary>
    /// For a family over files: the parents that write the files its <c>ForEach</c> matches (a dynamic family). An
    /// instance's upstream there is its own file, not everything the parent wrote.
    /// </summary>
    public IReadOnlyList<DagNode> InstanceSources { get; internal set; } = [];

    /// <summary>Position in the project file, from 0.</summary>
    public int DeclarationOrder { get; }

    /// <summary>Position in the DAG's topological order, from 0: the task's index.</summary>
    public int Index { get; internal set; } = -1;

    /// <summary>The tasks this one depends on, in the order they were declared.</summary>
    public IReadOnlyList<DagNode> Parents => _parents;

    /// <summary>The tasks that depend on this one.</summary>
    public IReadOnlyList<DagNode> Children => _children;

    internal void AddParent(DagNode parent)
    {
        if (_parents.Contains(parent)) return;
        _parents.Add(parent);
        parent._children.Add(this);
    }

    public override string ToString() => Name;
}
