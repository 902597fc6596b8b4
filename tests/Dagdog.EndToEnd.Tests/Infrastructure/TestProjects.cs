namespace Dagdog.EndToEnd.Infrastructure;

/// <summary>The DAGs several specs use, with recording tasks (see <see cref="DagProject.AddTask"/>).</summary>
public static class TestProjects
{
    /// <summary>dagdog's own demo DAG 0 -> 1, 0 -> 2, {1, 2} -> 3, here Load -> {Clean, Plot} -> Report.</summary>
    public static DagProject DagdogDemo(this SdkFeed feed, string name = "dagdog-demo") => feed.CreateProject(name)
        .Declare("""
            <DagTask Include="Load" />
            <DagTask Include="Clean" DependsOn="Load" />
            <DagTask Include="Plot" DependsOn="Load" />
            <DagTask Include="Report" DependsOn="Clean;Plot" />
            """)
        .AddTasks("Load", "Clean", "Plot", "Report");

    /// <summary>The chain Z -> A -> B -> K on which dagdog's skip rule is not transitive.</summary>
    public static DagProject Chain(this SdkFeed feed) => feed.CreateProject("chain")
        .Declare("""
            <DagTask Include="Z" />
            <DagTask Include="A" DependsOn="Z" />
            <DagTask Include="B" DependsOn="A" />
            <DagTask Include="K" DependsOn="B" />
            """)
        .AddTasks("Z", "A", "B", "K");
}
