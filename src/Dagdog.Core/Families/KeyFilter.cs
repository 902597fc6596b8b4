namespace Dagdog.Families;

/// <summary>The instances a selection names: one key (<c>Fit[adelie]</c>), or every key with a prefix (<c>Fit[ad*]</c>).</summary>
internal sealed record KeyFilter(string Text)
{
    public bool IsPrefix => Text.EndsWith('*');

    public bool Matches(string key) =>
        IsPrefix ? key.StartsWith(Text[..^1], StringComparison.OrdinalIgnoreCase) : InstanceKeys.Comparer.Equals(key, Text);

    public override string ToString() => Text;
}
