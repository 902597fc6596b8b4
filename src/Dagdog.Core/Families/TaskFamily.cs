namespace Dagdog.Families;

/// <summary>
/// Where a family's instances come from: the files a wildcard path matches (<c>ForEach</c>), or the items of one or
/// more MSBuild item types, crossed (<c>ForEachItem</c>). A family is still one task: one class, one node, one target.
/// </summary>
/// <param name="Wildcards">The names that make up a key, in order: the path's wildcards, or the item types.</param>
internal sealed record TaskFamily(IReadOnlyList<string> Wildcards, WildcardPath? Files, IReadOnlyList<string> ItemTypes)
{
    /// <summary>True when <paramref name="name"/> is one of the family's wildcards (ignoring case).</summary>
    public bool Defines(string name) => Wildcards.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>An instance's values from its key: the key's parts in wildcard order (no value holds the separator).</summary>
    public IReadOnlyDictionary<string, string> ValuesOf(string key) =>
        Wildcards.Zip(key.Split(InstanceKeys.Separator)).ToDictionary(p => p.First, p => p.Second, StringComparer.OrdinalIgnoreCase);
}

/// <summary>An item of a type a family is for each of (<c>&lt;Model Include="linear" Degree="1" /&gt;</c>).</summary>
internal sealed record FamilyItem(string ItemType, string Identity, IReadOnlyDictionary<string, string> Metadata);
