using Dagdog.Graph;

namespace Dagdog.Families;

/// <summary>How one parent of a task stands to the task's instances.</summary>
/// <param name="Paired">
/// A parent family the task is paired with, instance by instance: an instance's upstream is the parent's instance of the
/// same key (<c>Fit[adelie]</c> for <c>Plot[adelie]</c>), whose values are the instance's own (no list of them).
/// </param>
/// <param name="WritesTheInstancesFiles">
/// A parent that writes the files a dynamic family's <c>ForEach</c> matches: an instance's upstream there is its own
/// file, one of its inputs, not everything the parent wrote.
/// </param>
internal sealed record ParentOfInstances(DagNode Parent, bool Paired, bool WritesTheInstancesFiles)
{
    /// <summary>The key of the parent's instance that <paramref name="instance"/> needs; only for a paired parent.</summary>
    public string PairedKey(Instance instance) => FamilyFiles.PairedKey(Parent, instance);

    /// <summary>What a parent family gives an instance's Run(): the list of its keys' values, unless it is paired.</summary>
    public bool GivesLists => Parent.Family is not null && !Paired;

    /// <summary>Whether an instance's staleness looks at this parent (as a whole, or its paired instance).</summary>
    public bool IsUpstreamOfAnInstance => Paired || !WritesTheInstancesFiles;
}

/// <summary>
/// What is upstream of an instance of a family, decided in one place for the staleness rule (<see cref="DagOnDisk.OnDisk"/>),
/// the run's parameters (at declaration, <see cref="RunParameterSources"/>, and at run time), and the check that a
/// paired parent's instance exists.
/// </summary>
internal static class InstanceUpstream
{
    /// <summary>Each parent of <paramref name="task"/>, as its instances see it (for a task run once, every parent is as a whole).</summary>
    public static IEnumerable<ParentOfInstances> Of(DagNode task) =>
        task.Parents.Select(parent => new ParentOfInstances(parent, task.PairedParents.Contains(parent), task.InstanceSources.Contains(parent)));
}
