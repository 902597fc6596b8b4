using System.Text.RegularExpressions;

namespace Dagdog.EndToEnd;

/// <summary>
/// What Run() prints reaches the user, marked with the task's name, and is kept in a log per task; the summary at the end
/// says what ran and why, and what was up to date.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class OutputSpecs(SdkFeed feed)
{
    private DagProject Chatty() => feed.CreateProject("chatty")
        .Declare("""
            <DagTask Include="Fit" />
            """)
        .AddTask("Fit", """
            Console.WriteLine("fitting 344 penguins");
            Console.Error.WriteLine("warning: 2 rows without sex");
            Console.Write("R² = ");
            Console.WriteLine(0.76);
            Task.Run(() => Console.WriteLine("from another thread")).Wait();
            """);

    [Fact]
    public void Console_output_of_a_task_on_a_worker_node_is_not_lost()
    {
        var build = Chatty().Build(["-m:2"], new Dictionary<string, string?> { ["MSBUILDNOINPROCNODE"] = "1" }).Succeeded();

        Assert.Contains("Fit: fitting 344 penguins", build.Output);
        Assert.Contains("Fit: from another thread", build.Output);
    }

}
