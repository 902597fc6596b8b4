using System.Globalization;

namespace Dagdog.Graph;

/// <summary>Rules for task names and help for misspelled ones.</summary>
internal static class TaskNames
{
    /// <summary>
    /// How task names compare: as MSBuild compares target and item names, ignoring case. <c>DependsOn</c> and selections
    /// may use any case and mean the task as declared.
    /// </summary>
    public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

    /// <summary>How long a class name may be in .NET metadata, in UTF-8 bytes (longer is CS7013): 1,023 ASCII letters, 341 CJK ones.</summary>
    public const int LongestNameBytes = 1023;

    /// <summary>True for a C# identifier (letters, digits, '_', not starting with a digit; no keywords check needed
    /// because a keyword cannot name a class without '@', which MSBuild target names do not allow).</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length == 0) return false;
        for (var i = 0; i < name.Length; i++)
        {
            var category = char.GetUnicodeCategory(name[i]);
            var isLetter = name[i] == '_' || category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
                or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.LetterNumber;
            var isLaterPart = category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format;
            if (!isLetter && !(i > 0 && isLaterPart)) return false;
        }
        return true;
    }

    /// <summary>The candidate closest to <paramref name="name"/> by edit distance (ignoring case), if close enough to be a likely typo.</summary>
    public static string? Nearest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        var allowed = Math.Max(2, name.Length / 3);
        return bestDistance <= allowed ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
