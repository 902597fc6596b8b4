namespace Dagdog.EndToEnd;

/// <summary>
/// DagJobs is MSBuild's node count by default, and the node count reaches Dagdog from the real CLI's -m (the rest of
/// running tasks at once is in Dagdog.Build.Tests' ParallelSpecs).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class DefaultJobsSpecs(SdkFeed feed)
{
    [Fact]
    public void By_default_independent_tasks_run_as_many_at_once_as_MSBuild_has_nodes()
    {
        var project = feed.CreateProject("four").DeclareFourSleepingFits(together: 3);

        // 'dotnet build' passes -m (one node per core) by default; three nodes show that DagJobs follows the count.
        var build = project.Build("-m:3").Succeeded();

        Assert.Equal(3, project.MostRunningAtOnce());
        Assert.Equal(4, build.Ran.Count);
    }
}
