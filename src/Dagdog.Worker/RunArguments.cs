using System.Reflection;
using Dagdog.Families;
using Dagdog.Running;

namespace Dagdog.Worker;

/// <summary>A Run() parameter that gets no value: it has no source, or its value does not parse (DAG037).</summary>
internal sealed class RunParameterException(string message) : Exception(message);

/// <summary>
/// Gives Run()'s parameters their values, by name (ignoring case): a <see cref="CancellationToken"/>; a list of strings
/// from a parent family's wildcard (its values in key order); or one value, an instance's wildcard value or item
/// metadata, read as <see cref="ParameterText"/> says.
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
        return ParameterText.Parse(text, type) ?? throw new RunParameterException(
            $"Run's parameter '{name}' ({type.Name}) cannot take the value '{text}': write {ParameterText.Form(type)}.");
    }

    private static bool IsStringList(Type type) =>
        type == typeof(string[]) || type.IsAssignableFrom(typeof(List<string>)) && type != typeof(object) && type.IsGenericType;

    private static T? Find<T>(IReadOnlyDictionary<string, T>? values, string name) where T : class =>
        values?.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
