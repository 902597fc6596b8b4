namespace Dagdog.Graph;

/// <summary>One <c>DagTask</c> item as the user declared it, in declaration order.</summary>
/// <param name="Name">The task's name: a C# identifier, also the name of its class.</param>
/// <param name="DependsOn">Names of the tasks that must run before this one.</param>
/// <param name="TypeName">Optional full name of the class, when the simple name is ambiguous.</param>
/// <param name="Inputs">Data files the task reads, relative to the project; globs allowed.</param>
/// <param name="Outputs">Data files the task writes, relative to the project.</param>
/// <param name="Jobs">How many of the build's jobs the task takes while it runs, as written (a whole number, 1 by default).</param>
/// <param name="Timeout">How long the task may run, as written (a TimeSpan such as <c>00:30:00</c>); none by default.</param>
/// <param name="Cache">Whether a shared result cache may restore and store the task's runs, as written (<c>false</c> for a task with side effects).</param>
/// <param name="ForEach">For a family: the wildcard path whose matching files are its instances (<c>data/{species}.csv</c>).</param>
/// <param name="Memory">The memory the task needs, as written (<c>8GB</c>, <c>512MB</c>): what a cluster executor asks for.</param>
/// <param name="ForEachItem">For a family: the MSBuild item types whose items, crossed, are its instances (<c>Model;Seed</c>).</param>
internal sealed record TaskDeclaration(
    string Name,
    IReadOnlyList<string> DependsOn,
    string? TypeName = null,
    IReadOnlyList<string>? Inputs = null,
    IReadOnlyList<string>? Outputs = null,
    string? Jobs = null,
    string? Timeout = null,
    string? Cache = null,
    string? ForEach = null,
    string? ForEachItem = null,
    string? Memory = null)
{
    public IReadOnlyList<string> Inputs { get; init; } = Inputs ?? [];
    public IReadOnlyList<string> Outputs { get; init; } = Outputs ?? [];

    /// <summary>Splits an MSBuild list value such as <c>"A; B;;C"</c> into its non-empty entries.</summary>
    public static IReadOnlyList<string> SplitList(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
