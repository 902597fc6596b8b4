namespace Dagdog.Families;

/// <summary>The instances a selection names: one key (<c>Fit[adelie]</c>), or every key with a prefix (<c>Fit[ad*]</c>).</summary>
internal sealed record KeyFilter(string Text)
{
    public bool IsPrefix => Text.EndsWith('*');

    public bool Matches(string key) =>
        IsPrefix ? key.StartsWith(Text[..^1], StringComparison.OrdinalIgnoreCase) : InstanceKeys.Comparer.Equals(key, Text);

    public override string ToString() => Text;
}

/// <summary>
/// The instances of a family a selection runs: those whose values of <paramref name="Wildcards"/> (the named family's
/// own) make a key <paramref name="Filter"/> names. The same for the named family and for the families paired with it
/// (<c>Fit[adelie]+</c> runs <c>Plot[adelie]</c>, not every Plot): a paired family's instance has the named family's values as its own.
/// </summary>
/// <param name="Names">True for the family the selection names, whose filter must match some instance (DAG038 otherwise).</param>
internal sealed record KeySelection(KeyFilter Filter, IReadOnlyList<string> Wildcards, bool Names)
{
    public bool Matches(Instance instance) =>
        Filter.Matches(Names ? instance.Key : InstanceKeys.Join(Wildcards.Select(wildcard => instance.Values[wildcard])));
}
