using Dagdog.Build;
using Dagdog.Build.Watching;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dagdog.Testing;

/// <summary>A watch cycle's errors are shown at once and belong to the cycle: they do not fail the whole watch.</summary>
public sealed class WatchCycleSpecs : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("dagdog-cycle-").FullName;

    public void Dispose() => Directory.Delete(_project, recursive: true);

    [Fact]
    public void A_tasks_error_in_a_cycle_is_printed_as_the_console_logger_would_and_counted_not_logged()
    {
        var build = new FakeBuildEngine(Path.Combine(_project, "Analysis.csproj"), MessageImportance.High);
        var cycle = new CycleEngine(build, new LiveMessages(build, nameof(WatchDag)));

        var reset = new ResetDagState
        {
            BuildEngine = cycle,
            ProjectFile = Path.Combine(_project, "Analysis.csproj"),
            StateDirectory = Path.Combine(_project, "obj", "dag"),
            Tasks = [new TaskItem("Load"), new TaskItem("Fit")],
            Settings = [new TaskItem("DagFrom", new Dictionary<string, string> { ["Value"] = "Fitt" })],
        };

        Assert.False(reset.Execute());
        Assert.Equal(1, cycle.Errors);
        Assert.False(build.HasErrors);
        Assert.Contains("Analysis.csproj: error DAG013: ", build.Output);
        Assert.Contains("'Fit'", build.Output);
    }
}
