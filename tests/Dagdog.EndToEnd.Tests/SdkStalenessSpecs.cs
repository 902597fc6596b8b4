namespace Dagdog.EndToEnd;

/// <summary>What makes a task stale, where only the .NET SDK and git show it: a package upgrade, a commit, Debug and Release (the rest is in Dagdog.Build.Tests' StalenessSpecs).</summary>
[Collection(EndToEndCollection.Name)]
public class SdkStalenessSpecs(SdkFeed feed)
{
    private DagProject Pipeline() => feed.CreateProject("pipeline").DeclareFilePipeline();

    [Fact]
    public void Upgrading_a_package_a_task_uses_re_runs_that_task()
    {
        // Newtonsoft.Json keeps assembly version 13.0.0.0 across 13.0.x: only the package's own build id tells them apart.
        const string Packages = """<PackageReference Include="Newtonsoft.Json" Version="13.0.3" />""";
        var project = feed.CreateProject("upgrade")
            .Declare($"""
                <DagTask Include="Load" />
                <DagTask Include="Fit" DependsOn="Load" />
                {Packages}
                """)
            .AddTask("Load")
            .AddTask("Fit", """Console.WriteLine(Newtonsoft.Json.JsonConvert.SerializeObject(new[] { 1, 2 }));""");
        project.Build().Succeeded();

        project.WriteFile("Analysis.csproj", project.ReadFile("Analysis.csproj").Replace("13.0.3", "13.0.4"));
        var build = project.Build().Succeeded();

        Assert.Equal(["Fit"], build.Ran);
        Assert.Equal("code changed: Fit.Run -> Newtonsoft.Json.dll", build.ReasonFor("Fit"));
    }

    [Fact]
    public void A_new_git_commit_without_code_changes_re_runs_nothing()
    {
        // The .NET SDK writes the commit id into the assembly's version attributes, which are compiled source too.
        var project = Pipeline();
        Git(project, "init", "-q");
        Git(project, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m", "first");
        project.Build().Succeeded();

        Git(project, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m", "second");
        var build = project.Build().Succeeded();

        Assert.Empty(build.Ran);
    }

    [Fact]
    public void Switching_between_Debug_and_Release_re_runs_the_tasks_whose_compiled_code_differs()
    {
        // The compiler optimizes Release builds, so a task's IL, and its fingerprint, differ between the two.
        var project = Pipeline().AddTask("Fit", """var slope = 1; for (var i = 0; i < 3; i++) slope += i; File.WriteAllText("out/model.txt", $"slope {slope}");""");
        project.Build().Succeeded();

        var release = project.Build("-c", "Release").Succeeded();
        var debug = project.Build().Succeeded();

        Assert.Contains("Fit", release.Ran);
        Assert.StartsWith("code changed", release.ReasonFor("Fit"));
        Assert.Contains("Fit", debug.Ran);
        Assert.StartsWith("code changed", debug.ReasonFor("Fit"));
    }

    private static void Git(DagProject project, params string[] arguments)
    {
        using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", arguments) { WorkingDirectory = project.Directory })!;
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
    }
}
