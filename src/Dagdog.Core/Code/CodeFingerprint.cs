using Dagdog.Graph;

namespace Dagdog.Code;

/// <summary>
/// A task's code fingerprint as <see cref="TaskCodeInspector"/> writes it to <c>obj/dag/code/&lt;Task&gt;.code</c>:
/// the class on the first line, then one line per piece of code the task reaches (its hash, key, the name a user
/// reads, and the key it was first reached from). Comparing two fingerprints says what changed and how the task reaches it.
/// </summary>
internal static class CodeFingerprint
{
    /// <summary>The first line names the class, so the runner need not search for it again.</summary>
    public const string TypeLinePrefix = "type ";

    /// <summary>One reached piece of code. Keys start with T: (type), M: (method), F: (field), A: (referenced assembly) or R: (manifest resource).</summary>
    public sealed record Line(string Key, string Hash, string Display, string ReachedFrom)
    {
        public override string ToString() => $"{Hash}\t{Key}\t{Display}\t{ReachedFrom}";

        public static Line? Parse(string text) => text.Split('\t') is [var hash, var key, var display, var from] ? new Line(key, hash, display, from) : null;
    }

    /// <summary>Reads the class name back from a fingerprint.</summary>
    public static string? TypeOf(string fingerprint) =>
        fingerprint.StartsWith(TypeLinePrefix, StringComparison.Ordinal) && fingerprint.IndexOf('\n') is > 0 and var end
            ? fingerprint[TypeLinePrefix.Length..end]
            : null;

    /// <summary>
    /// Why a task with fingerprint <paramref name="before"/> at its last run must run again with <paramref name="after"/>:
    /// <c>code changed: Fit.Run -> Stats.Smooth</c>, <c>resource changed: query.sql</c> when the closest change is a
    /// resource the task can read, or null when the code is the same.
    /// </summary>
    public static string? Reason(string? before, string after) => Change(before, after) switch
    {
        null => null,
        "" => Reasons.CodeChanged,
        var change when change.Split(" -> ")[^1] is var last && last.StartsWith(ResourceMark, StringComparison.Ordinal) => Reasons.ResourceChanged(last[ResourceMark.Length..]),
        var change => $"{Reasons.CodeChanged}: {change}",
    };

    // How a resource shows in a path (CodeGraph's display of an R: node): 'Fit.Run -> resource query.sql'.
    public const string ResourceMark = "resource ";

    /// <summary>
    /// What changed between two fingerprints of a task, as the path by which the task reaches the change closest to
    /// it, e.g. <c>Fit.Run -> Stats.Smooth</c>; an empty string when there is no earlier fingerprint to compare with,
    /// and null when the code is the same.
    /// </summary>
    public static string? Change(string? before, string after)
    {
        if (before is null) return "";
        var now = Lines(after);
        var then = Lines(before);
        if (TypeOf(before) != TypeOf(after)) return $"now {TypeOf(after)}";

        var changed = now.Values.Where(line => !then.TryGetValue(line.Key, out var old) || old.Hash != line.Hash).Select(line => Path(line, now))
            .Concat(then.Values.Where(line => !now.ContainsKey(line.Key)).Select(line => Path(line, then)))
            .ToList();
        if (changed.Count == 0) return null;
        return changed.OrderBy(path => path.Count).ThenBy(path => string.Join(" ", path), StringComparer.Ordinal).First() is var closest
            ? Describe(closest)
            : null;
    }

    private static Dictionary<string, Line> Lines(string fingerprint)
    {
        var lines = new Dictionary<string, Line>(StringComparer.Ordinal);
        foreach (var line in fingerprint.Split('\n').Skip(1).Select(Line.Parse).OfType<Line>()) lines.TryAdd(line.Key, line);
        return lines;
    }

    // The lines from the task's class down to this one, following the first path the fingerprint recorded.
    private static List<Line> Path(Line line, Dictionary<string, Line> lines)
    {
        var path = new List<Line> { line };
        for (var from = line.ReachedFrom; from.Length > 0 && lines.TryGetValue(from, out var previous) && path.Count <= lines.Count; from = previous.ReachedFrom)
            path.Add(previous);
        path.Reverse();
        return path;
    }

    // Types on the way are implied by their members (Fit.Run, not Fit -> Fit.Run), and so is the member that led to a
    // type (Linear.Predict, not Linear.constructor -> Linear.Predict); a repeated name (an async state machine) shows once.
    private static string Describe(List<Line> path)
    {
        var names = new List<string>();
        for (var i = 0; i < path.Count; i++)
        {
            var isLast = i == path.Count - 1;
            if (IsType(path[i]) && !isLast) continue;
            if (!isLast && IsType(path[i + 1]) && path[i].Key[2..].StartsWith(path[i + 1].Key[2..] + "::", StringComparison.Ordinal)) continue;
            if (names.Count == 0 || names[^1] != path[i].Display) names.Add(path[i].Display);
        }
        return string.Join(" -> ", names);
    }

    private static bool IsType(Line line) => line.Key.StartsWith("T:", StringComparison.Ordinal);
}
