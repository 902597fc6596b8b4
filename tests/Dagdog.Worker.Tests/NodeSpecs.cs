using Dagdog.Running;

namespace Dagdog.Tests;

/// <summary>Alone, since it sets a variable every worker started meanwhile would inherit.</summary>
[CollectionDefinition(nameof(NodeSpecs), DisableParallelization = true)]
public sealed class NodeCollection;

/// <summary>A worker on a cluster's node (SLURMD_NODENAME set, as Slurm sets it) that cannot see the project's assembly.</summary>
[Collection(nameof(NodeSpecs))]
public sealed class NodeSpecs
{
    [Fact]
    public async Task A_worker_on_a_node_that_cannot_see_the_assembly_says_which_node_and_which_path()
    {
        using var project = new TaskProject(("Fit.cs", "public class Fit { public void Run() { } }"));
        var missing = Path.Combine(project.Directory, "elsewhere", "Analysis.dll");
        Environment.SetEnvironmentVariable("SLURMD_NODENAME", "n7");
        Execution execution;
        try
        {
            using var workers = new WorkerPool(project.Directory, _ => { });
            execution = await workers.Run(new RunRequest(missing, "Fit", project.Directory), new RunNeeds(null), _ => { }, _ => { }, _ => { }, CancellationToken.None);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLURMD_NODENAME", null);
        }

        var error = Assert.IsType<Execution.Finished>(execution).Result.Error;
        Assert.StartsWith($"Node n7 cannot see {missing}: the project folder, the dotnet host and the NuGet package folder must be on a filesystem the nodes share", error);
    }
}
