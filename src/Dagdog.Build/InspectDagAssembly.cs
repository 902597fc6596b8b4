namespace Dagdog.Build;

/// <summary>
/// Runs after compilation: checks each task's class and Run() method, and writes each task's code fingerprint where it
/// changed, so MSBuild's timestamp check re-runs exactly the tasks whose code changed (see <see cref="DagCycle.Inspect"/>).
/// </summary>
public sealed class InspectDagAssembly : DagStateTask
{
    [Microsoft.Build.Framework.Required] public string AssemblyPath { get; set; } = "";

    protected override bool ExecuteDagdog() => Cycle(AssemblyPath).Inspect();
}
