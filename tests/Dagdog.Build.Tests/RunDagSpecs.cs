namespace Dagdog.Build.Tests;

/// <summary>Which tasks a build runs, in which order, and which it skips.</summary>
public class RunDagSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private BuildProject Diamond() => projects.CreateProject("diamond").DeclareDagdogDemo();

    [Fact]
    public void A_plain_build_runs_every_task_in_dependency_order()
    {
        var build = Diamond().Build().Succeeded();

        Assert.Equal(["Load", "Clean", "Plot", "Report"], build.Ran);
        Assert.Equal(["ran", "ran", "ran", "ran"], build.Report!.Tasks.Select(t => t.Status));
    }

    [Fact]
    public void A_second_build_with_nothing_changed_runs_no_task()
    {
        var project = Diamond();
        project.Build().Succeeded();

        var second = project.Build().Succeeded();

        Assert.Empty(second.Ran);
        Assert.Contains("Dag: nothing to run: 4 task(s) up to date", second.Output);
    }

    [Fact]
    public void A_task_target_runs_its_stale_upstream_first_and_nothing_else()
    {
        var build = Diamond().Build("-t:Dag_Clean").Succeeded();

        Assert.Equal(["Load", "Clean"], build.Ran);
    }

    [Fact]
    public void RunDag_yields_its_node_while_the_tasks_run_and_logs_from_its_own_thread_only()
    {
        var (runDag, engine) = Diamond().RunDagByItself("-p:DagJobs=2", "-p:DagForce=true");

        Assert.True(runDag.Execute(), engine.Output);

        Assert.Contains("Dag: 4 ran", engine.Output);
        Assert.Equal(["Yield", "Reacquire"], engine.NodeCalls);
        Assert.Single(engine.LoggingThreads);
    }
}
