using System.Globalization;
using Dagdog.Graph;

namespace Dagdog.Graph;

/// <summary>
/// The one parser of each kind of value Dagdog's build properties take (<see cref="DagSettings"/> says which property is
/// which kind, and its default); a flag set to nothing (<c>-p:DagForce=</c>) is false, unless its default is true
/// (<c>DagCachePush</c>): a setting set to nothing reads as its default. A value Dagdog cannot read is DAG027
/// naming the property, or, for a limit on running, DAG020.
/// </summary>
internal static class Options
{
    /// <summary><c>true</c> or <c>false</c>, in any case; nothing is false.</summary>
    public static (bool Value, DagProblem? Problem) Flag(string name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? (false, null)
        : bool.TryParse(value.Trim(), out var flag) ? (flag, null)
        : (false, new DagProblem(DagCodes.InvalidOption, null, $"{name} must be true or false, not '{value}'."));

    /// <summary>Families of <paramref name="dag"/> by name, separated by ';' or ','; nothing is none.</summary>
    public static (IReadOnlySet<string> Value, DagProblem? Problem) Families(string name, string? value, Dag dag)
    {
        var names = new HashSet<string>(TaskNames.Comparer);
        foreach (var given in (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!dag.TryGetTask(given, out var task) || task.Family is null)
                return (names, new DagProblem(DagCodes.InvalidOption, null,
                    $"{name} names '{given}', which is not a task family of this project. Name a family (a DagTask with ForEach or ForEachItem)."));
            names.Add(task.Name);
        }
        return (names, null);
    }

    /// <summary>A whole number of at least <paramref name="least"/>.</summary>
    public static (int Value, DagProblem? Problem) Count(string name, string? value, int least, string code = DagCodes.InvalidOption) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= least
            ? (count, null)
            : (0, new DagProblem(code, null, $"{name} must be a whole number of {least} or more, not '{value}'."));
}
