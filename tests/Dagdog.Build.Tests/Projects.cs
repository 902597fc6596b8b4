namespace Dagdog.Testing;

/// <summary>The DAGs several specs use, with recording tasks (see <see cref="ProjectFolder{TSelf}.AddTask"/>).</summary>
public static class Projects
{
    /// <summary>dagdog's own demo DAG 0 -> 1, 0 -> 2, {1, 2} -> 3, here Load -> {Clean, Plot} -> Report.</summary>
    public static BuildProject DagdogDemo(this BuildProjects projects, string name = "dagdog-demo") => projects.CreateProject(name)
        .Declare("""
            <DagTask Include="Load" />
            <DagTask Include="Clean" DependsOn="Load" />
            <DagTask Include="Plot" DependsOn="Load" />
            <DagTask Include="Report" DependsOn="Clean;Plot" />
            """)
        .AddTasks("Load", "Clean", "Plot", "Report");

    /// <summary>The chain Z -> A -> B -> K on which dagdog's skip rule is not transitive.</summary>
    public static BuildProject Chain(this BuildProjects projects) => projects.CreateProject("chain")
        .Declare("""
            <DagTask Include="Z" />
            <DagTask Include="A" DependsOn="Z" />
            <DagTask Include="B" DependsOn="A" />
            <DagTask Include="K" DependsOn="B" />
            """)
        .AddTasks("Z", "A", "B", "K");
}
