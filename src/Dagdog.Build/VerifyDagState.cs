namespace Dagdog.Build;

/// <summary>
/// Runs before MSBuild checks any task: what is not whole in the state is read, reported and reset, so that MSBuild's
/// timestamp check never calls a task up to date when Dagdog cannot tell (see <see cref="DagCycle.VerifyState"/>).
/// </summary>
public sealed class VerifyDagState : DagStateTask
{
    /// <summary>The assembly this build compiles to: fingerprints of another one (the other configuration) are made again.</summary>
    [Microsoft.Build.Framework.Required] public string AssemblyPath { get; set; } = "";

    protected override bool ExecuteDagdog() => Cycle(AssemblyPath).VerifyState();
}
