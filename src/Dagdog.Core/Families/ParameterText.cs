using System.Globalization;
using System.Text.RegularExpressions;

namespace Dagdog.Families;

/// <summary>
/// How a Run() parameter's value is read from text (a wildcard's value or an item's metadata), one way everywhere and
/// on every machine: no culture, no thousands separators, no guessing of day and month order, enums by name. README's
/// "Run's parameters" table says the same.
/// </summary>
internal static partial class ParameterText
{
    /// <summary>The value of <paramref name="text"/> as <paramref name="type"/>, or null when it is not in the accepted form.</summary>
    public static object? Parse(string text, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        var culture = CultureInfo.InvariantCulture;
        if (target == typeof(string)) return text;
        if (target.IsEnum)
            return Enum.GetNames(target).FirstOrDefault(name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) is { } named ? Enum.Parse(target, named) : null;
        if (target == typeof(int) || target == typeof(long))
        {
            if (!Integer().IsMatch(text)) return null;
            return target == typeof(int)
                ? int.TryParse(text, NumberStyles.AllowLeadingSign, culture, out var i) ? i : null
                : long.TryParse(text, NumberStyles.AllowLeadingSign, culture, out var l) ? l : null;
        }
        if (target == typeof(double) || target == typeof(float) || target == typeof(decimal))
        {
            if (!Real().IsMatch(text)) return null;
            const NumberStyles real = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
            if (target == typeof(decimal)) return decimal.TryParse(text, real, culture, out var m) ? m : null;
            if (target == typeof(float)) return float.TryParse(text, real, culture, out var f) && float.IsFinite(f) ? f : null;
            return double.TryParse(text, real, culture, out var d) && double.IsFinite(d) ? d : null;
        }
        if (target == typeof(bool))
            return string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) ? true : string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) ? false : null;
        if (target == typeof(DateOnly))
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", culture, DateTimeStyles.None, out var date) ? date : null;
        if (target == typeof(DateTime))
            return DateTime.TryParseExact(text, DateTimeForms, culture, DateTimeStyles.RoundtripKind, out var time) ? time : null;
        if (target == typeof(TimeSpan))
            return TimeSpan.TryParseExact(text, "c", culture, out var span) ? span : null;
        return null;
    }

    /// <summary>The form a value of <paramref name="type"/> must have, with examples: what an error about one says.</summary>
    public static string Form(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsEnum) return $"one of its names ({string.Join(", ", Enum.GetNames(target).Take(10))}), in any case; not a number";
        return target switch
        {
            _ when target == typeof(int) || target == typeof(long) => "an optional sign and digits (42, -7), without separators",
            _ when target == typeof(double) || target == typeof(float) || target == typeof(decimal) =>
                "an optional sign, digits, one '.' and an exponent (3.5, -0.25, 1e-3), without thousands separators; a ',' is not a decimal point",
            _ when target == typeof(bool) => "true or false",
            _ when target == typeof(DateOnly) => "an ISO 8601 date, year-month-day (2024-02-03)",
            _ when target == typeof(DateTime) => "an ISO 8601 date and time (2024-02-03 or 2024-02-03T14:30:00, with Z or an offset for a time zone)",
            _ when target == typeof(TimeSpan) => "[days.]hours:minutes:seconds (01:30:00, 2.00:00:00)",
            _ => "a type Run's parameters cannot take: use string, int, long, double, float, decimal, bool, an enum, DateOnly, DateTime or TimeSpan",
        };
    }

    private static readonly string[] DateTimeForms =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
    ];

    [GeneratedRegex(@"^[+-]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")]
    private static partial Regex Real();
}
