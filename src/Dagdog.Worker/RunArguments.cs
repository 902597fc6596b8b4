using System.Globalization;
using System.Reflection;
using Dagdog.Running;

namespace Dagdog.Worker;

/// <summary>A Run() parameter that gets no value: it has no source, or its value does not parse (DAG037).</summary>
internal sealed class RunParameterException(string message) : Exception(message);

/// <summary>
/// Gives Run()'s parameters their values, by name (ignoring case): a <see cref="CancellationToken"/>; a list of strings
/// from a parent family's wildcard (its values in key order); or one value, an instance's wildcard value or item
/// metadata, parsed with the invariant culture as string, int, long, double, decimal, bool, an enum or DateOnly.
/// </summary>
internal static class RunArguments
{
    public static object?[] For(MethodInfo run, RunRequest request, CancellationToken cancellation) =>
        run.GetParameters().Select(parameter => Value(parameter, request, cancellation)).ToArray();

    private static object? Value(ParameterInfo parameter, RunRequest request, CancellationToken cancellation)
    {
        var type = parameter.ParameterType;
        var name = parameter.Name ?? "";
        if (type == typeof(CancellationToken)) return cancellation;
        if (IsStringList(type))
        {
            if (Find(request.Lists, name) is { } list) return type == typeof(string[]) ? list.ToArray() : list.ToList();
            throw new RunParameterException($"Run's parameter '{name}' ({type.Name}) has no source: it would take the keys of a family this task depends on, " +
                                            $"but none of them has a wildcard {{{name}}}.");
        }
        if (Find(request.Arguments, name) is not { } text)
            throw new RunParameterException($"Run's parameter '{name}' has no source: no wildcard or item metadata is named '{name}'" +
                                            (request.Arguments is { Count: > 0 } known ? $" (there are: {string.Join(", ", known.Keys)})" : "") +
                                            ". Rename the parameter, or add the metadata to the items.");
        return Parse(text, type) ?? throw new RunParameterException(
            $"Run's parameter '{name}' ({type.Name}) cannot take the value '{text}': it does not parse as {type.Name} (invariant culture).");
    }

    private static bool IsStringList(Type type) =>
        type == typeof(string[]) || type.IsAssignableFrom(typeof(List<string>)) && type != typeof(object) && type.IsGenericType;

    private static T? Find<T>(IReadOnlyDictionary<string, T>? values, string name) where T : class =>
        values?.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    // Null when the text does not parse as the type.
    private static object? Parse(string text, Type type)
    {
        var culture = CultureInfo.InvariantCulture;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string)) return text;
        if (target.IsEnum) return Enum.TryParse(target, text, ignoreCase: true, out var value) && Enum.IsDefined(target, value!) ? value : null;
        return target switch
        {
            _ when target == typeof(int) => int.TryParse(text, NumberStyles.Integer, culture, out var v) ? v : null,
            _ when target == typeof(long) => long.TryParse(text, NumberStyles.Integer, culture, out var v) ? v : null,
            _ when target == typeof(double) => double.TryParse(text, NumberStyles.Float, culture, out var v) ? v : null,
            _ when target == typeof(decimal) => decimal.TryParse(text, NumberStyles.Number, culture, out var v) ? v : null,
            _ when target == typeof(bool) => bool.TryParse(text, out var v) ? v : null,
            _ when target == typeof(DateOnly) => DateOnly.TryParse(text, culture, DateTimeStyles.None, out var v) ? v : null,
            _ => null,
        };
    }
}
