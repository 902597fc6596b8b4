namespace Dagdog.Build.Tests;

/// <summary>
/// dagdog's selection modes as MSBuild command lines, on dagdog's own demo DAG 0 -> 1, 0 -> 2, {1, 2} -> 3
/// (here Load -> {Clean, Plot} -> Report), by name and by index, in the long and the compact forms.
/// </summary>
public class SelectionSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private static readonly string[] Names = ["Load", "Clean", "Plot", "Report"];

    // Built once, then every run forgotten: the dry runs below see a fresh state and change nothing.
    private static BuildProject? s_fresh;

    private BuildProject Demo() => projects.CreateProject("dagdog-demo").DeclareDagdogDemo();

    private BuildProject Fresh()
    {
        if (s_fresh is not null) return s_fresh;
        var project = Demo();
        project.Build().Succeeded();
        project.Build("--no-restore", "-t:DagReset").Succeeded();
        return s_fresh = project;
    }

    /// <summary>dagdog's test_demo.py assertions on a fresh state: the selection, as dagdog writes it, and what it runs.</summary>
    public static TheoryData<string, string[], string> DagdogAssertions()
    {
        var data = new TheoryData<string, string[], string>();
        void Case(string dagdog, string mode, int task, bool exclusive, string expected)
        {
            var name = Names[task];
            var compact = dagdog.Replace(task.ToString(), "{0}");
            var exclusiveProperty = exclusive ? ["-p:DagExclusive=true"] : Array.Empty<string>();
            data.Add(dagdog, ["-p:Dag=" + string.Format(compact, task)], expected);
            data.Add(dagdog, ["-p:Dag=" + string.Format(compact, name)], expected);
            data.Add(dagdog, ["-p:DagFrom=" + task, "-p:DagMode=" + mode, .. exclusiveProperty], expected);
            data.Add(dagdog, ["-p:DagFrom=" + name, "-p:DagMode=" + mode, .. exclusiveProperty], expected);
        }
        Case("0+", "Downstream", 0, false, "Load Clean Plot Report");
        Case("+3", "Upstream", 3, false, "Load Clean Plot Report");
        Case("(0)+", "Downstream", 0, true, "Clean Plot Report");
        Case("+(3)", "Upstream", 3, true, "Load Clean Plot");
        Case("+2", "Upstream", 2, false, "Load Plot");
        Case("2", "Only", 2, false, "Plot");
        return data;
    }

    [Theory]
    [MemberData(nameof(DagdogAssertions))]
    public void Every_dagdog_selection_selects_what_dagdog_does(string dagdog, string[] properties, string expected)
    {
        var dryRun = Fresh().Build(["--no-restore", "-p:DagDryRun=true", .. properties]).Succeeded();

        Assert.True(expected.Split(' ').SequenceEqual(dryRun.WouldRun), $"dagdog {dagdog}: expected {expected}, got {string.Join(' ', dryRun.WouldRun)}");
        Assert.Empty(dryRun.Ran);
    }

    [Fact]
    public void After_plus_2_ran_plus_3_runs_only_the_rest_and_force_runs_everything()
    {
        var project = Demo();
        project.Build("-p:DagRun=false").Succeeded();

        Assert.Equal(["Load", "Plot"], project.Build("-p:Dag=+2").Succeeded().Ran);
        Assert.Equal(["Load", "Clean", "Plot", "Report"], project.Build("-p:Dag=+3", "-p:DagForce=true", "-p:DagDryRun=true").Succeeded().WouldRun);
        Assert.Equal(["Clean", "Report"], project.Build("-p:Dag=+3").Succeeded().Ran);
    }

    [Fact]
    public void Only_and_downstream_never_run_stale_upstream()
    {
        var project = Demo();
        project.Build().Succeeded();
        project.AddTask("Load", "File.AppendAllText(\"ran.txt\", \"\");");

        Assert.Equal(["Clean"], project.Build("-p:Dag=Clean").Succeeded().Ran);
        Assert.Equal(["Clean", "Report"], project.Build("-p:Dag=Clean+").Succeeded().Ran);
    }

    [Fact]
    public void Staleness_is_transitive_where_dagdog_gets_it_wrong()
    {
        // Z -> A -> B -> K; run all; Z alone; B alone; then +K must re-run A, B and K.
        var project = projects.CreateProject("chain").DeclareChain();
        project.Build().Succeeded();
        Assert.Equal(["Z"], project.Build("-p:Dag=Z").Succeeded().Ran);
        Assert.Equal(["B"], project.Build("-p:DagFrom=B", "-p:DagMode=Only").Succeeded().Ran);

        var k = project.Build("-p:Dag=+K").Succeeded();

        Assert.Equal(["A", "B", "K"], k.Ran);
        Assert.Equal("upstream Z produced new output", k.ReasonFor("A"));
    }

    [Fact]
    public void A_selection_works_with_the_Dag_target_too()
    {
        var project = Demo();
        project.Build().Succeeded();

        Assert.Equal(["Plot"], project.Build("-t:Dag", "-p:Dag=Plot").Succeeded().Ran);
    }

    /// <summary>Every mode, exclusive or not, forced or not (the valid combinations).</summary>
    public static TheoryData<string[]> Combinations()
    {
        var data = new TheoryData<string[]>();
        foreach (var force in new[] { "false", "true" })
        {
            data.Add(["-p:DagForce=" + force]);
            data.Add(["-p:DagFrom=Clean", "-p:DagMode=Only", "-p:DagForce=" + force]);
            foreach (var mode in new[] { "Upstream", "Downstream" })
            foreach (var exclusive in new[] { "false", "true" })
                data.Add([$"-p:DagFrom={(mode == "Upstream" ? "Report" : "Load")}", "-p:DagMode=" + mode, "-p:DagExclusive=" + exclusive, "-p:DagForce=" + force]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void A_dry_run_lists_exactly_what_the_real_run_then_runs(string[] selection)
    {
        var project = s_partlyStale ??= Demo();
        // Same starting point every time: everything ran, then Clean's code changed, so Clean and Report are stale.
        project.AddTask("Clean");
        project.Build("-p:DagForce=true").Succeeded();
        project.AddTask("Clean", $"Console.WriteLine(\"{Guid.NewGuid()}\");");

        var dryRun = project.Build(["-p:DagDryRun=true", .. selection]).Succeeded();
        var run = project.Build(["--no-restore", .. selection]).Succeeded();

        Assert.Empty(dryRun.Ran);
        Assert.Equal(dryRun.WouldRun, run.Ran);
    }

    private static BuildProject? s_partlyStale;

    [Fact]
    public void A_dry_run_of_a_parallel_DAG_lists_the_tasks_in_the_order_the_real_run_starts_them()
    {
        // Load -> {A, B, C} -> Report, where A takes both jobs: it runs alone, then B and C together, then Report.
        var project = projects.CreateProject("parallel plan")
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="A" DependsOn="Load" Jobs="2" />
                <DagTask Include="B" DependsOn="Load" />
                <DagTask Include="C" DependsOn="Load" />
                <DagTask Include="Report" DependsOn="A;B;C" />
                """)
            .AddTasks("Load", "A", "B", "C", "Report");

        var dryRun = project.Build("-p:DagDryRun=true", "-p:DagJobs=2").Succeeded();
        var run = project.Build("-p:DagJobs=2").Succeeded();

        Assert.Equal(["Load", "A", "B", "C", "Report"], dryRun.WouldRun);
        Assert.Equal(dryRun.WouldRun, run.Report!.Tasks.Where(t => t.Status == "ran").Select(t => t.Name));
    }

    [Fact]
    public void A_dry_run_of_a_task_target_says_what_it_would_run_and_runs_nothing()
    {
        var build = Demo().Build("-t:Dag_Clean", "-p:DagDryRun=true").Succeeded();

        Assert.Equal(["Load", "Clean"], build.WouldRun);
        Assert.Empty(build.Ran);
        Assert.Null(build.Report);
    }

    [Fact]
    public void Two_task_targets_in_one_build_are_DAG034_after_the_first_ran()
    {
        var build = projects.CreateProject("two targets").DeclareDagdogDemo().Build("-t:Dag_Clean;Dag_Plot");

        Assert.Contains("The DAG already ran in this build (+Clean), so Dag_Plot would run nothing", build.FailedWith("DAG034"));
        Assert.Equal(["Load", "Clean"], build.Ran);
    }
}
