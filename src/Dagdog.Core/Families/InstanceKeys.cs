namespace Dagdog.Families;

/// <summary>
/// One instance of a family (<c>Fit[adelie]</c>): its key, the wildcards' values the key is made of, and, for an
/// instance of MSBuild items, their metadata (the parameters <c>Run</c> may take).
/// </summary>
/// <param name="Values">Each wildcard's value, by name (compared ignoring case).</param>
/// <param name="Parameters">The items' metadata by name (compared ignoring case); empty for a family over files.</param>
/// <param name="File">The file that made the instance, for a family over files (it is one of the instance's inputs).</param>
internal sealed record Instance(string Key, IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> Parameters, string? File = null)
{
    /// <summary>How run lines, selections and state name the instance of <paramref name="task"/>: <c>Fit[adelie]</c>.</summary>
    public string NameIn(string task) => InstanceKeys.Name(task, Key);
}

/// <summary>The rules for instance keys, everywhere: what a key may hold, how keys compare, and how instances are named.</summary>
internal static class InstanceKeys
{
    /// <summary>Joins the values of several wildcards into one key, in the order the wildcards first appear: <c>adelie:2007</c>.</summary>
    public const char Separator = ':';

    /// <summary>Keys compare ignoring case, as task names do.</summary>
    public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

    // Characters that would make a key ambiguous in a selection (Fit[a,b]), an MSBuild list or property, a path, or a
    // wildcard path (a key is put into paths in place of {name}, and must never read as a wildcard itself).
    private const string Forbidden = "[],;:*?/\\\"%$@{}";

    public static string Join(IEnumerable<string> values) => string.Join(Separator, values);

    /// <summary>
    /// The one spelling of a key for the names of its state files: two keys have the same form exactly when the key
    /// comparison (<see cref="Comparer"/>) finds them equal. The lower case of the key's upper case where the comparison
    /// finds it equal to the key (every ASCII key; σ, ς and Σ alike); otherwise the upper case with a '~', which no key
    /// has and which makes the file name a hash (U+212A KELVIN SIGN lower-cases to 'k' but compares apart from it, and
    /// must not share 'k''s file, even on a file system that ignores case).
    /// </summary>
    public static string FileForm(string key)
    {
        var upper = key.ToUpperInvariant();
        var lower = upper.ToLowerInvariant();
        return Comparer.Equals(lower, key) ? lower : upper + "~";
    }

    public static string Name(string task, string key) => $"{task}[{key}]";

    /// <summary>Splits <c>Fit[adelie]</c> into the task and the key; null for a plain task name.</summary>
    public static (string Task, string Key)? Split(string name)
    {
        var open = name.IndexOf('[');
        return open > 0 && name.EndsWith(']') ? (name[..open], name[(open + 1)..^1]) : null;
    }

    /// <summary>What is wrong with a wildcard's value as part of a key, or null when nothing is.</summary>
    public static string? Problem(string value)
    {
        if (value.Length == 0) return "is empty";
        if (value is "." or "..") return $"is '{value}', which a path would read as a folder";
        if (value.FirstOrDefault(char.IsControl) is var control and not '\0') return $"has a control character (U+{(int)control:X4})";
        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])) return "begins or ends with a space";
        if (value.FirstOrDefault(c => Forbidden.Contains(c)) is var forbidden and not '\0') return $"has the character '{forbidden}', which a key may not hold ({string.Join(" ", Forbidden.ToCharArray())})";
        return null;
    }
}
