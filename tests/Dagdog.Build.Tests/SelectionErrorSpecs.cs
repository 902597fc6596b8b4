namespace Dagdog.Build.Tests;

/// <summary>A selection that cannot be met is a DAG0xx error that lists what is valid, and runs nothing.</summary>
public class SelectionErrorSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private static BuildProject? s_project;

    private BuildProject Project()
    {
        if (s_project is not null) return s_project;
        s_project = projects.CreateProject("selection-errors")
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="Clean" DependsOn="Load" />
                """)
            .AddTasks("Load", "Clean");
        s_project.Build("-p:DagRun=false").Succeeded();
        return s_project;
    }

    private string Error(string code, params string[] properties)
    {
        var build = Project().Build(["--no-restore", .. properties]);
        Assert.Empty(build.Ran);
        return build.FailedWith(code);
    }

    [Fact]
    public void An_unknown_task_name_suggests_the_nearest() =>
        Assert.Contains("There is no task 'Claen' to select. Did you mean 'Clean'?", Error("DAG013", "-p:Dag=Claen+"));

    [Fact]
    public void An_index_out_of_range_gives_the_valid_range() =>
        Assert.Contains("There is no task at index 5: indexes run from 0 to 1.", Error("DAG014", "-p:DagFrom=5"));

    [Fact]
    public void An_unknown_mode_lists_the_modes() =>
        Assert.Contains("Use Upstream (the default), Downstream or Only.", Error("DAG015", "-p:DagFrom=Clean", "-p:DagMode=Sideways"));

    [Fact]
    public void A_malformed_compact_selector_lists_the_valid_forms() =>
        Assert.Contains("'(Fit)+' (the downstream of Fit)", Error("DAG016", "-p:Dag=(Clean+"));

    [Fact]
    public void Exclusive_with_only_is_an_error() =>
        Assert.Contains("DagExclusive=true with DagMode=Only would select nothing", Error("DAG017", "-p:DagFrom=Clean", "-p:DagMode=Only", "-p:DagExclusive=true"));

    [Fact]
    public void DagReset_of_an_unknown_task_is_an_error() =>
        Assert.Contains("Did you mean 'Load'?", Error("DAG013", "-t:DagReset", "-p:DagFrom=Lod"));

    [Fact]
    public void Two_task_targets_in_one_build_are_an_error_not_a_second_task_silently_not_run()
    {
        var build = projects.CreateProject("two targets").DeclareDagdogDemo().Build("-t:Dag_Clean;Dag_Plot");

        Assert.Contains("The DAG already ran in this build (+Clean), so Dag_Plot would run nothing: a build runs one selection.", build.FailedWith("DAG034"));
        Assert.Equal(["Load", "Clean"], build.Ran);
    }

    [Fact]
    public void A_task_target_with_a_selection_of_its_own_is_an_error() =>
        Assert.Contains("The task target Dag_Clean selects +Clean itself: give it without Dag, DagFrom, DagMode or DagExclusive", Error("DAG017", "-t:Dag_Clean", "-p:DagMode=Only"));

    [Fact]
    public void Jobs_that_are_not_a_positive_number_are_an_error() =>
        Assert.Contains("DagJobs must be a whole number of 1 or more, not '0'", Error("DAG020", "-p:DagJobs=0"));

    [Fact]
    public void A_keep_going_that_is_not_a_boolean_is_an_error() =>
        Assert.Contains("DagKeepGoing must be true or false, not 'maybe'", Error("DAG027", "-p:DagKeepGoing=maybe"));

    [Fact]
    public void An_unknown_list_format_is_an_error() =>
        Assert.Contains("Unknown DagFormat 'xml' for DagList. Use table or json.", Error("DAG027", "-t:DagList", "-p:DagFormat=xml"));

    [Fact]
    public void An_unknown_graph_format_is_an_error() =>
        Assert.Contains("Unknown DagFormat 'png' for DagGraph. Use mermaid or dot.", Error("DAG027", "-t:DagGraph", "-p:DagFormat=png"));
}
