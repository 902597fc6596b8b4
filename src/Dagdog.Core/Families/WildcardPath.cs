using System.Text.RegularExpressions;
using System.Text;
using Dagdog.Graph;

namespace Dagdog.Families;

/// <summary>
/// A declared path with wildcards, such as <c>data/{species}.csv</c>: <c>{name}</c> matches one or more characters
/// within one path segment, and a name used twice must match the same text both times. The one owner of the
/// wildcard syntax: parsing, matching files, finding them on disk, and putting values in.
/// </summary>
internal sealed partial class WildcardPath
{
    private readonly Regex _whole;
    private readonly string[] _segments;

    private WildcardPath(string text, IReadOnlyList<string> names, string[] segments)
    {
        Text = text;
        Names = names;
        _segments = segments;
        var captured = new HashSet<int>();
        _whole = new Regex($"^{string.Join("/", segments.Select(s => SegmentPattern(s, names, captured)))}$", Options);
    }

    /// <summary>The path as declared.</summary>
    public string Text { get; }

    /// <summary>The folder before the first segment with a wildcard (<c>data</c> for <c>data/{s}.csv</c>), with '/'; empty for the project folder.</summary>
    public string FixedFolder => string.Join('/', _segments.TakeWhile(s => !HasWildcards(s)));

    /// <summary>The wildcards' names in order of first appearance, as written.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>True when the path holds a <c>{</c> or <c>}</c>: it is a wildcard path, well formed or not.</summary>
    public static bool HasWildcards(string path) => path.AsSpan().IndexOfAny('{', '}') >= 0;

    /// <summary>The wildcards' names in a path, in order of first appearance, without repeats (compared ignoring case).</summary>
    public static IReadOnlyList<string> NamesIn(string path) =>
        Wildcard().Matches(path).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Reads a wildcard path, or says what is wrong with it.</summary>
    public static (WildcardPath? Path, string? Problem) Parse(string text)
    {
        var rest = Wildcard().Replace(text, "");
        if (rest.IndexOfAny(['{', '}']) >= 0)
            return (null, $"'{text}' has a '{{' or '}}' that is not part of a wildcard: write {{name}}, with a name of letters, digits and '_'");
        if (DeclaredFiles.IsGlob(text))
            return (null, $"'{text}' mixes wildcards with '*' or '?': name each varying part with a wildcard, such as {{sample}}");
        var segments = text.Replace('\\', '/').Split('/');
        var names = NamesIn(text);
        if (names.Count == 0) return (null, $"'{text}' has no wildcard such as {{name}}");
        return (new WildcardPath(text, names, segments), null);
    }

    /// <summary>The wildcards' values when <paramref name="relativePath"/> (with '/') matches, in <see cref="Names"/>' order; null when it does not.</summary>
    public IReadOnlyList<string>? Match(string relativePath)
    {
        var match = _whole.Match(relativePath);
        return match.Success ? Names.Select((_, i) => match.Groups[$"w{i}"].Value).ToList() : null;
    }

    /// <summary>Every file under <paramref name="projectDirectory"/> that matches, with its values, in ordinal order of path.</summary>
    public IReadOnlyList<(string Path, IReadOnlyList<string> Values)> Find(string projectDirectory)
    {
        var fixedCount = _segments.TakeWhile(s => !HasWildcards(s)).Count();
        if (fixedCount == _segments.Length) return [];
        var prefix = string.Join('/', _segments.Take(fixedCount));
        var found = new List<string>();
        var root = Path.Combine(projectDirectory, prefix);
        if (Directory.Exists(root)) Walk(root, prefix, fixedCount, found);
        return found.Order(StringComparer.Ordinal)
            .Select(path => (path, Match(path)))
            .Where(m => m.Item2 is not null)
            .Select(m => (m.path, m.Item2!))
            .ToList();
    }

    private static readonly EnumerationOptions Everything = new() { AttributesToSkip = 0, IgnoreInaccessible = true, MatchType = MatchType.Simple };

    private void Walk(string directory, string relative, int segment, List<string> found)
    {
        string Join(string name) => relative.Length == 0 ? name : $"{relative}/{name}";
        var pattern = _segments[segment];
        var filter = HasWildcards(pattern) ? new Regex($"^{SegmentPattern(pattern, Names, captured: null)}$", Options) : null;
        bool Fits(string name) => filter?.IsMatch(name) ?? string.Equals(name, pattern, StringComparison.Ordinal);
        if (segment == _segments.Length - 1)
        {
            found.AddRange(Directory.EnumerateFiles(directory, "*", Everything).Select(Path.GetFileName).Where(name => Fits(name!)).Select(name => Join(name!)));
            return;
        }
        foreach (var folder in Directory.EnumerateDirectories(directory, "*", Everything))
        {
            var name = Path.GetFileName(folder);
            if (Fits(name)) Walk(folder, Join(name), segment + 1, found);
        }
    }

    /// <summary>
    /// The path with each wildcard replaced by its value (names compared ignoring case); a wildcard without a value is
    /// left as it is.
    /// </summary>
    public static string Substitute(string path, IReadOnlyDictionary<string, string> values)
    {
        // Called for every path of every instance in every build: a scan, not a regular expression.
        if (path.IndexOf('{') < 0) return path;
        var text = new StringBuilder(path.Length + 16);
        var at = 0;
        while (path.IndexOf('{', at) is var open and >= 0 && path.IndexOf('}', open + 1) is var close and >= 0)
        {
            var name = path[(open + 1)..close];
            text.Append(path, at, open - at);
            // The values are keyed by wildcard names only, so anything else between braces stays as it is.
            if (values.TryGetValue(name, out var value)) text.Append(value);
            else text.Append(path, open, close - open + 1);
            at = close + 1;
        }
        return text.Append(path, at, path.Length - at).ToString();
    }

    /// <summary>The path as an MSBuild glob: each wildcard becomes '*' (for dotnet watch and the data-flow checks).</summary>
    public static string AsGlob(string path) => Wildcard().Replace(path, "*");

    // A wildcard's first appearance captures its value; a later one must match the same text. Without
    // captured (filtering one folder level while walking) every wildcard just matches a segment's characters.
    private static string SegmentPattern(string segment, IReadOnlyList<string> names, HashSet<int>? captured)
    {
        var pattern = new StringBuilder();
        var at = 0;
        foreach (Match m in Wildcard().Matches(segment))
        {
            pattern.Append(Regex.Escape(segment[at..m.Index]));
            var index = names.Select((n, i) => (n, i)).First(p => string.Equals(p.n, m.Groups[1].Value, StringComparison.OrdinalIgnoreCase)).i;
            pattern.Append(captured is null ? "[^/]+" : captured.Add(index) ? $"(?<w{index}>[^/]+)" : $@"\k<w{index}>");
            at = m.Index + m.Length;
        }
        pattern.Append(Regex.Escape(segment[at..]));
        return pattern.ToString();
    }

    // File names compare as the file system does: exactly on Linux, ignoring case on Windows and macOS.
    private static readonly RegexOptions Options = RegexOptions.CultureInvariant | (OperatingSystem.IsLinux() ? RegexOptions.None : RegexOptions.IgnoreCase);

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Wildcard();
}
