using System.Globalization;

namespace Dagdog.Testing;

/// <summary>
/// Projects that specs of more than one class build, in the Build tier, the end-to-end tier or both, each written once
/// here: a spec in either tier starts from the same files, whatever builds them.
/// </summary>
public abstract partial class ProjectFolder<TSelf>
{
    /// <summary>Declares dagdog's own demo DAG 0 -> 1, 0 -> 2, {1, 2} -> 3, here Load -> {Clean, Plot} -> Report, with recording tasks.</summary>
    public TSelf DeclareDagdogDemo() => Declare("""
            <DagTask Include="Load" />
            <DagTask Include="Clean" DependsOn="Load" />
            <DagTask Include="Plot" DependsOn="Load" />
            <DagTask Include="Report" DependsOn="Clean;Plot" />
            """)
        .AddTasks("Load", "Clean", "Plot", "Report");

    /// <summary>Declares the chain Z -> A -> B -> K, on which dagdog's skip rule is not transitive, with recording tasks.</summary>
    public TSelf DeclareChain() => Declare("""
            <DagTask Include="Z" />
            <DagTask Include="A" DependsOn="Z" />
            <DagTask Include="B" DependsOn="A" />
            <DagTask Include="K" DependsOn="B" />
            """)
        .AddTasks("Z", "A", "B", "K");

    /// <summary>
    /// Four independent tasks (or those <paramref name="items"/> declares) that each note in spans/ when they started and
    /// ended. Each waits, after it starts, until <paramref name="together"/> of them are running at once (or every task
    /// not yet finished is running, so no more can come), then runs half a second more: a spec of how many run at once
    /// waits for the tasks it expects beside one, not for a duration, so a worker slow to start on a loaded machine
    /// cannot make it fail; if they never come (the wrong number runs at once), it stops waiting after 30 s and the spec fails.
    /// The tasks named in <paramref name="alone"/> wait for none (a task with the machine to itself has no one beside it).
    /// </summary>
    public TSelf DeclareFourSleepingFits(int together = 1, string items = "", params string[] alone)
    {
        Declare(items.Length > 0 ? items : """
            <DagTask Include="FitA" />
            <DagTask Include="FitB" />
            <DagTask Include="FitC" />
            <DagTask Include="FitD" />
            """);
        foreach (var name in new[] { "FitA", "FitB", "FitC", "FitD" })
        {
            AddTask(name, $$"""
                var start = DateTime.UtcNow;
                foreach (var folder in new[] { "running", "finished", "spans" }) Directory.CreateDirectory(folder);
                File.WriteAllText("running/{{name}}", "");
                var deadline = DateTime.UtcNow.AddSeconds(30);
                int Count(string folder) => Directory.GetFiles(folder).Length;
                while (Count("running") < {{(alone.Contains(name) ? 1 : together)}} && Count("running") < 4 - Count("finished") && DateTime.UtcNow < deadline) Thread.Sleep(10);
                Thread.Sleep(500);
                File.WriteAllText("spans/{{name}}", $"{start.Ticks} {DateTime.UtcNow.Ticks}");
                File.WriteAllText("finished/{{name}}", "");
                File.Delete("running/{{name}}");
                """);
        }
        return (TSelf)this;
    }

    /// <summary>When each of <see cref="DeclareFourSleepingFits"/>' tasks that ran started and ended, in the order they started.</summary>
    public IReadOnlyList<(string Task, long Start, long End)> Spans() =>
        System.IO.Directory.EnumerateFiles(PathOf("spans"))
            .Select(file => (Task: Path.GetFileName(file), Times: File.ReadAllText(file).Split(' ')))
            .Select(span => (span.Task, long.Parse(span.Times[0], CultureInfo.InvariantCulture), long.Parse(span.Times[1], CultureInfo.InvariantCulture)))
            .OrderBy(span => span.Item2).ToList();

    /// <summary>The most of <see cref="DeclareFourSleepingFits"/>' tasks that were running at one moment.</summary>
    public int MostRunningAtOnce()
    {
        var spans = Spans();
        // At each start, how many spans had started and not yet ended (a span that ends as another starts does not count).
        return spans.Max(s => spans.Count(o => o.Start <= s.Start && s.Start < o.End));
    }

    /// <summary>Load -> Fit -> Report, where Fit (<paramref name="fitClass"/>, by default one that prints and never returns) has <paramref name="fitAttributes"/>.</summary>
    public TSelf DeclareEndlessFit(string fitAttributes = "", string fitClass = """
        public class Fit
        {
            public void Run()
            {
                File.AppendAllText("ran.txt", "Fit\n");
                Console.WriteLine("fitting forever");
                while (true) { }
            }
        }
        """) => Declare($"""
            <DagTask Include="Load" />
            <DagTask Include="Fit" DependsOn="Load" {fitAttributes} />
            <DagTask Include="Report" DependsOn="Fit" />
            """)
        .AddTasks("Load", "Report")
        .WriteFile("Fit.cs", fitClass);

    /// <summary>After <see cref="DeclareEndlessFit"/>'s Fit was stopped: Fit has no stamp (it runs again), Load keeps its own, no stamp is left half written.</summary>
    public void AssertFitStaysStale()
    {
        Assert.False(FileExists("obj/dag/stamps/Fit.stamp"));
        Assert.True(FileExists("obj/dag/stamps/Load.stamp"));
        Assert.Empty(System.IO.Directory.GetFiles(PathOf("obj/dag/stamps"), "*.tmp"));
    }

    /// <summary>Load (reading data/raw.csv) -> {Clean (writing out/clean.csv), Plot} -> Report.</summary>
    public TSelf DeclareListingPipeline() => Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" />
            <DagTask Include="Clean" DependsOn="Load" Outputs="out/clean.csv" />
            <DagTask Include="Plot" DependsOn="Load" />
            <DagTask Include="Report" DependsOn="Clean;Plot" />
            """)
        .WriteFile("data/raw.csv", "x\n1\n")
        .AddTask("Load")
        .AddTask("Clean", """Directory.CreateDirectory("out"); File.WriteAllText("out/clean.csv", "x");""")
        .AddTasks("Plot", "Report");

    /// <summary>Load -> Clean -> {Fit, Plot} -> Report, each of the first three copying or writing its declared file.</summary>
    public TSelf DeclareFilePipeline() => Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
            <DagTask Include="Clean" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/clean.txt" />
            <DagTask Include="Fit" DependsOn="Clean" Inputs="out/clean.txt" Outputs="out/model.txt" />
            <DagTask Include="Plot" DependsOn="Clean" />
            <DagTask Include="Report" DependsOn="Fit;Plot" />
            """)
        .WriteFile("data/raw.csv", "x,y\n1,2\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.Copy("data/raw.csv", "out/raw.txt", true);""")
        .AddTask("Clean", """File.Copy("out/raw.txt", "out/clean.txt", true);""")
        .AddTask("Fit", """File.WriteAllText("out/model.txt", "slope 1");""")
        .AddTasks("Plot", "Report");

    /// <summary>Fit alone, printing to its output and its error, a line in two writes, and a line from another thread.</summary>
    public TSelf DeclareChattyFit() => Declare("""
            <DagTask Include="Fit" />
            """)
        .AddTask("Fit", """
            Console.WriteLine("fitting 344 penguins");
            Console.Error.WriteLine("warning: 2 rows without sex");
            Console.Write("R² = ");
            Console.WriteLine(0.76);
            Task.Run(() => Console.WriteLine("from another thread")).Wait();
            """);
}
