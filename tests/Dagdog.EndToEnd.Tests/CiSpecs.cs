using System.Text.RegularExpressions;

namespace Dagdog.EndToEnd;

/// <summary>In GitHub Actions (GITHUB_STEP_SUMMARY set), each build appends a Markdown table of its tasks to the job's summary.</summary>
[Collection(EndToEndCollection.Name)]
public partial class CiSpecs(SdkFeed feed)
{
    [Fact]
    public void The_step_summary_gets_each_task_with_its_result_duration_and_reason()
    {
        var project = feed.CreateProject("ci")
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="Fit" DependsOn="Load" />
                <DagTask Include="Report" DependsOn="Fit" />
                """)
            .AddTask("Load")
            .AddTask("Fit", """throw new InvalidOperationException("no fit");""")
            .AddTask("Report");
        var summary = project.PathOf("summary.md");
        File.WriteAllText(summary, "earlier step\n");
        var environment = new Dictionary<string, string?> { ["GITHUB_STEP_SUMMARY"] = summary };

        var failed = project.Build([], environment);
        project.AddTask("Fit");
        project.Build([], environment).Succeeded();
        project.Build([], environment).Succeeded();

        Assert.NotEqual(0, failed.ExitCode);
        var text = Durations().Replace(File.ReadAllText(summary), "n s");
        Assert.StartsWith("earlier step\n### Dagdog: Analysis.csproj\n\n1 ran, 1 failed, 1 not run in n s\n\n| task | result | duration | reason |\n|---|---|---|---|\n", text);
        Assert.Contains("| 0: Load | ran | n s | never ran |\n| 1: Fit | failed | n s | never ran |\n| 2: Report | not run |  | upstream Fit failed |\n", text);
        Assert.Contains("2 ran, 1 up to date in n s\n\n| task | result | duration | reason |\n|---|---|---|---|\n| 0: Load | up to date |  |  |\n| 1: Fit | ran | n s | last run failed |\n| 2: Report | ran | n s | never ran |\n", text);
        Assert.EndsWith("3 up to date in n s\n\n| task | result | duration | reason |\n|---|---|---|---|\n| 0: Load | up to date |  |  |\n| 1: Fit | up to date |  |  |\n| 2: Report | up to date |  |  |\n\n", text);
    }

    [GeneratedRegex(@"\d+\.\d\d s")]
    private static partial Regex Durations();
}
