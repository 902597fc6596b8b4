using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Runs a selection's tasks (see <see cref="DagCycle.Run"/>): the task targets' Inputs/Outputs have already said which
/// tasks MSBuild finds stale (<see cref="Stale"/>); with <c>DagDryRun</c> every task of the selection decides for itself
/// and nothing runs.
/// </summary>
public sealed class RunDag : DagSelectionTask, ICancelableTask
{
    private readonly CancellationTokenSource _interrupt = new();

    [Required] public string AssemblyPath { get; set; } = "";

    /// <summary>The tasks whose targets MSBuild ran: stale by its Inputs/Outputs check.</summary>
    public ITaskItem[] Stale { get; set; } = [];

    public void Cancel() => _interrupt.Cancel();

    protected override bool ExecuteDagdog() =>
        Cycle(AssemblyPath).Run(DagTarget, Stale.Select(item => item.ItemSpec).ToHashSet(StringComparer.Ordinal), watch: null, _interrupt.Token);
}
