namespace Dagdog.Build.Tests;

/// <summary>
/// What a build says while another holds the project's lock (a second real build waiting for the first, and the lock of a
/// build killed with kill -9, are in the end-to-end tier's LockSpecs).
/// </summary>
public class ProjectLockSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    [Fact]
    public void The_waiting_message_names_only_a_process_that_is_alive()
    {
        var project = projects.CreateProject("stale owner")
            .Declare("""<DagTask Include="Slow" Outputs="out/slow.txt" />""")
            .AddTask("Slow", """Directory.CreateDirectory("out"); File.WriteAllText("out/slow.txt", "done");""");
        project.Build().Succeeded();
        // The owner file names a process that ended; the lock is held, as by a build whose owner file was not written yet.
        File.WriteAllText(project.PathOf("obj/dag/build.owner"), "999999");
        var held = new FileStream(project.PathOf("obj/dag/build.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var build = project.BuildAndThen("Dag: waiting for another build", held.Dispose);

        build.Succeeded();
        Assert.Contains("Dag: waiting for another build of this project to finish (another process holds", build.Output);
        Assert.DoesNotContain("999999", build.Output);
    }
}
