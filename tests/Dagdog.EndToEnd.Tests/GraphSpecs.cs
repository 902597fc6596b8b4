namespace Dagdog.EndToEnd;

/// <summary>dotnet build -t:DagGraph draws the DAG, coloured by status, as Mermaid or Graphviz DOT, and runs nothing.</summary>
[Collection(EndToEndCollection.Name)]
public class GraphSpecs(SdkFeed feed)
{
    // Load -> Clean -> {Fit, Plot}: Load and Clean ran, Fit failed, Plot never ran; then Load's input changed.
    private DagProject FourTasksInEveryState()
    {
        var project = feed.CreateProject("graph")
            .Declare("""
                <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
                <DagTask Include="Clean" DependsOn="Load" />
                <DagTask Include="Fit" DependsOn="Clean" />
                <DagTask Include="Plot" DependsOn="Clean" />
                """)
            .WriteFile("data/raw.csv", "1\n")
            .AddTask("Load", """Directory.CreateDirectory("out"); File.Copy("data/raw.csv", "out/raw.txt", true);""")
            .AddTask("Clean")
            .AddTask("Fit", """throw new InvalidOperationException("no fit");""")
            .AddTask("Plot");
        project.Build("-p:Dag=+Clean").Succeeded();
        project.Build("-p:Dag=Fit").FailedWith("DAG010");
        project.WriteFile("data/raw.csv", "2\n");
        return project;
    }

    [Fact]
    public void Mermaid_by_default_colours_each_task_by_status_highlights_the_selection_and_prints_alone_with_getProperty()
    {
        var project = FourTasksInEveryState();

        var build = project.Build("-t:DagGraph", "-p:DagFrom=Fit", "-getProperty:DagGraph");

        Assert.Equal(0, build.ExitCode);
        Assert.Empty(build.Ran);
        var graph = project.ReadFile("obj/dag/graph.mmd");
        Assert.Equal(graph.Trim(), build.Output.Trim());
        Assert.Contains("  t0[\"0: Load\"]:::willRun\n  t1[\"1: Clean\"]:::willRun\n  t2[\"2: Fit\"]:::failed\n  t3[\"3: Plot\"]:::neverRan\n", graph);
        Assert.Contains("  t0 --> t1\n  t1 --> t2\n  t1 --> t3\n", graph);
        Assert.Contains("  style t0 stroke-width:4px\n  style t1 stroke-width:4px\n  style t2 stroke-width:4px\n  subgraph legend", graph);
    }
}
