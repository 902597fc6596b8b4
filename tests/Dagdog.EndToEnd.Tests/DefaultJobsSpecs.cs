using System.Globalization;
using System.Text.RegularExpressions;

namespace Dagdog.EndToEnd;

/// <summary>
/// Independent tasks run at the same time, up to DagJobs (by default MSBuild's node count); output stays readable;
/// a failure stops new starts, or with DagKeepGoing only its downstream.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class DefaultJobsSpecs(SdkFeed feed)
{
    // Four independent tasks that each note when they started and ended, 1 s apart.
    private DagProject FourFits(string items = "")
    {
        var project = feed.CreateProject("four").Declare(items.Length > 0 ? items : """
            <DagTask Include="FitA" />
            <DagTask Include="FitB" />
            <DagTask Include="FitC" />
            <DagTask Include="FitD" />
            """);
        foreach (var name in new[] { "FitA", "FitB", "FitC", "FitD" })
        {
            project.AddTask(name, $$"""
                var start = DateTime.UtcNow;
                Thread.Sleep(1000);
                File.AppendAllText("spans.txt", $"{{name}} {start.Ticks} {DateTime.UtcNow.Ticks}\n");
                """);
        }
        return project;
    }

    // The most tasks that were running at one moment.
    private static int MostAtOnce(DagProject project)
    {
        var spans = project.ReadFile("spans.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')).Select(p => (Start: long.Parse(p[1], CultureInfo.InvariantCulture), End: long.Parse(p[2], CultureInfo.InvariantCulture))).ToList();
        // At each start, how many spans had started and not yet ended (a span that ends as another starts does not count).
        return spans.Max(s => spans.Count(o => o.Start <= s.Start && s.Start < o.End));
    }

    [Fact]
    public void By_default_independent_tasks_run_as_many_at_once_as_MSBuild_has_nodes()
    {
        var project = FourFits();

        // 'dotnet build' passes -m (one node per core) by default; three nodes show that DagJobs follows the count.
        var build = project.Build("-m:3").Succeeded();

        Assert.Equal(3, MostAtOnce(project));
        Assert.Equal(4, build.Ran.Count);
    }

    // A -> B -> E and A -> C -> D, where B fails.
    private DagProject Branches() => feed.CreateProject("branches")
        .Declare("""
            <DagTask Include="A" />
            <DagTask Include="B" DependsOn="A" />
            <DagTask Include="C" DependsOn="A" />
            <DagTask Include="D" DependsOn="C" />
            <DagTask Include="E" DependsOn="B" />
            """)
        .AddTasks("A", "C", "D", "E")
        .AddTask("B", """throw new InvalidOperationException("B is broken");""");

}
