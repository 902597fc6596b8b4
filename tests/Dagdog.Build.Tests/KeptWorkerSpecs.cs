using Dagdog.Testing;

namespace Dagdog.Build.Tests;

/// <summary>
/// A process that builds again (an IDE's MSBuild node, these specs' own in-process builds) runs the next build's tasks
/// in the workers its last build kept (Running/Workers/NodeWorkers), never in one started with another environment.
/// Alone in its collection: it changes the process's environment, and another spec's build beside it, with that
/// environment, could take the kept workers first.
/// </summary>
[Collection(nameof(KeptWorkerSpecs))]
public class KeptWorkerSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private const string Variable = "DAGDOG_SPEC_SEASON";

    [Fact]
    public void The_next_build_runs_its_tasks_in_the_workers_the_last_one_kept_and_a_build_with_another_environment_in_new_ones()
    {
        var project = projects.CreateProject("kept").Declare("""<DagTask Include="Fit" />""")
            .AddTask("Fit", $"""File.WriteAllText("season.txt", Environment.GetEnvironmentVariable("{Variable}") ?? "none");""");

        // A value no other build had: the workers kept for it are this spec's alone (any kept worker of the same
        // environment may serve a build, and earlier specs' builds kept some).
        ProcessEnvironment.Set(Variable, $"summer {Guid.NewGuid():N}");
        try
        {
            var first = project.Build().Succeeded().Report!.Tasks.Single().Worker;
            var again = project.Build("-p:DagForce=true").Succeeded().Report!.Tasks.Single().Worker;
            ProcessEnvironment.Set(Variable, "winter");
            var changed = project.Build("-p:DagForce=true").Succeeded().Report!.Tasks.Single().Worker;

            Assert.Equal(first, again);
            Assert.Equal("winter", project.ReadFile("season.txt"));
            Assert.NotEqual(first, changed);
        }
        finally
        {
            ProcessEnvironment.Set(Variable, null);
        }
    }
}

[CollectionDefinition(nameof(KeptWorkerSpecs), DisableParallelization = true)]
public sealed class KeptWorkerSpecsCollection;
