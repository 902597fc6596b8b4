namespace Dagdog.EndToEnd;

/// <summary>dotnet new dagdog, from the template package built beside the SDK, makes a project that runs at once.</summary>
[Collection(EndToEndCollection.Name)]
public class TemplateSpecs(SdkFeed feed)
{
    [Fact]
    public void A_new_project_from_the_template_runs_its_three_tasks_then_nothing_and_has_a_nuget_config_only_with_a_feed()
    {
        // A home of its own, so the template is installed for this spec only.
        var home = Directory.CreateDirectory(Path.Combine(feed.Root, $"home-{Guid.NewGuid():N}")).FullName;
        var environment = new Dictionary<string, string?> { ["DOTNET_CLI_HOME"] = home };
        var package = Path.Combine(feed.RepositoryRoot, "artifacts", "packages", $"Dagdog.Templates.{SdkFeed.Version}.nupkg");
        var parent = Directory.CreateDirectory(Path.Combine(feed.Root, $"new-{Guid.NewGuid():N}")).FullName;
        var localFeed = Path.Combine(feed.Root, "feed");

        var install = Dotnet.Run(parent, ["new", "install", package], environment);
        var create = Dotnet.Run(parent, ["new", "dagdog", "-o", "MyAnalysis", "--feed", localFeed], environment);
        var withoutFeed = Dotnet.Run(parent, ["new", "dagdog", "-o", "Plain"], environment);
        var folder = Path.Combine(parent, "MyAnalysis");
        var first = DagProject.From(Dotnet.Run(folder, ["build", "-nologo"], environment), [], folder);
        var second = DagProject.From(Dotnet.Run(folder, ["build", "-nologo"], environment), []);

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.True(withoutFeed.ExitCode == 0, withoutFeed.ToString());
        Assert.True(File.Exists(Path.Combine(parent, "Plain", "Plain.csproj")));
        Assert.False(File.Exists(Path.Combine(parent, "Plain", "nuget.config")));
        Assert.Contains($"<Project Sdk=\"Dagdog.Sdk/{SdkFeed.Version}\">", File.ReadAllText(Path.Combine(folder, "MyAnalysis.csproj")));
        Assert.Contains(localFeed, File.ReadAllText(Path.Combine(folder, "nuget.config")));
        Assert.Equal(["bin/", "obj/", "out/"], File.ReadAllLines(Path.Combine(folder, ".gitignore")));
        Assert.Contains("namespace MyAnalysis;", File.ReadAllText(Path.Combine(folder, "Load.cs")));
        Assert.Equal(["Load", "Summarize", "Report"], first.Succeeded().RanByReport);
        Assert.Contains("Load: Kept 7 of 8 rows.", first.Output);
        Assert.Equal("# Report\n\n| group | count | mean |\n|---|---|---|\n| a | 2 | 4.05 |\n| b | 3 | 5.10 |\n| c | 2 | 2.90 |\n",
            File.ReadAllText(Path.Combine(folder, "out", "report.md")));
        Assert.Empty(second.Succeeded().Started);
        Assert.Contains("Dag: nothing to run: 3 task(s) up to date", second.Output);
    }
}
