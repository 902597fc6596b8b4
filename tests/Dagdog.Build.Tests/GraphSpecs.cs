using System.Diagnostics;

namespace Dagdog.Build.Tests;

/// <summary>dotnet build -t:DagGraph draws the DAG, coloured by status, as Mermaid or Graphviz DOT, and runs nothing.</summary>
public class GraphSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    /// <summary>Load -> Clean -> {Fit, Plot}, built so that Load and Clean ran, Fit failed and Plot never ran; then Load's input changed.</summary>
    private BuildProject EveryStatus()
    {
        var project = projects.CreateProject("graph").Declare("""
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
        return project.WriteFile("data/raw.csv", "2\n");
    }

    [Fact]
    public void Mermaid_by_default_colours_each_task_by_status_and_highlights_the_selection()
    {
        var project = EveryStatus();

        var build = project.Build("-t:DagGraph", "-p:DagFrom=Fit", "-getProperty:DagGraph");

        Assert.Equal(0, build.ExitCode);
        Assert.Empty(build.Ran);
        var graph = project.ReadFile("obj/dag/graph.mmd");
        Assert.Equal(graph.Trim(), build.Output.Trim());
        Assert.Contains("  t0[\"0: Load\"]:::willRun\n  t1[\"1: Clean\"]:::willRun\n  t2[\"2: Fit\"]:::failed\n  t3[\"3: Plot\"]:::neverRan\n", graph);
        Assert.Contains("  t0 --> t1\n  t1 --> t2\n  t1 --> t3\n", graph);
        Assert.Contains("  style t0 stroke-width:4px\n  style t1 stroke-width:4px\n  style t2 stroke-width:4px\n  subgraph legend", graph);
    }

    [Fact]
    public void DOT_is_written_for_Graphviz()
    {
        var project = EveryStatus();

        project.Build("-t:DagGraph", "-p:DagFormat=dot").Succeeded();

        var graph = project.ReadFile("obj/dag/graph.dot");
        Assert.Contains("  t2 [label=\"2: Fit\", fillcolor=\"#f8d7da\", color=\"#dc3545\"];", graph);
        Assert.Contains("  t1 -> t3;", graph);
        Assert.DoesNotContain("penwidth=4", graph);
    }

    [GraphvizFact]
    public void Graphviz_draws_the_DOT()
    {
        var project = EveryStatus();
        project.Build("-t:DagGraph", "-p:DagFormat=dot").Succeeded();

        using var dot = Process.Start(new ProcessStartInfo("dot", ["-Tsvg", project.PathOf("obj/dag/graph.dot")]) { RedirectStandardOutput = true })!;
        var svg = dot.StandardOutput.ReadToEnd();
        dot.WaitForExit();

        Assert.Equal(0, dot.ExitCode);
        Assert.Contains("<svg", svg);
        Assert.Contains("2: Fit", svg);
    }

    /// <summary>A spec that needs Graphviz's <c>dot</c>: skipped, and reported as skipped, where it is not installed (CI installs it).</summary>
    private sealed class GraphvizFactAttribute : FactAttribute
    {
        public GraphvizFactAttribute()
        {
            var installed = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "dot")));
            if (!installed) Skip = "Graphviz's dot is not installed (apt-get install graphviz).";
        }
    }
}
