namespace Dagdog.EndToEnd;

/// <summary>
/// A Dagdog project in a solution beside a class library: what README's Running section tells a user to type works,
/// and the command it warns about fails as it says.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class SolutionSpecs(SdkFeed feed)
{
    // solution/analysis.slnx with analysis/Analysis.csproj (Load -> Fit -> Report, using the library) and lib/Lib.csproj.
    private static (string Folder, DagProject Analysis) Solution(SdkFeed feed)
    {
        var folder = feed.CreateProject("solution").Directory;
        var analysis = new DagProject(Path.Combine(folder, "analysis"))
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="Fit" DependsOn="Load" />
                <DagTask Include="Report" DependsOn="Fit" />
                </ItemGroup>
                <ItemGroup>
                  <ProjectReference Include="../lib/Lib.csproj" />
                """)
            .AddTask("Load", "Console.WriteLine(Lib.Helper.Greeting);")
            .AddTasks("Fit", "Report");
        File.WriteAllText(Path.Combine(analysis.Directory, "..", "analysis.slnx"), """
            <Solution>
              <Project Path="analysis/Analysis.csproj" />
              <Project Path="lib/Lib.csproj" />
            </Solution>
            """);
        var lib = Directory.CreateDirectory(Path.Combine(folder, "lib")).FullName;
        File.WriteAllText(Path.Combine(lib, "Lib.csproj"), """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>""");
        File.WriteAllText(Path.Combine(lib, "Helper.cs"), """namespace Lib; public static class Helper { public static string Greeting => "hello from the library"; }""");
        return (folder, analysis);
    }

    private static BuildResult BuildSolution(string folder, DagProject analysis, params string[] arguments)
    {
        if (analysis.FileExists("ran.txt")) File.Delete(analysis.PathOf("ran.txt"));
        return analysis.Result(Dotnet.Run(folder, ["build", "-nologo", "-p:DagJobs=1", .. arguments]));
    }

    [Fact]
    public void In_a_solution_folder_a_task_is_run_through_its_project_or_with_a_selection_for_the_whole_solution()
    {
        var (folder, analysis) = Solution(feed);

        var taskTarget = BuildSolution(folder, analysis, "-t:Dag_Fit");
        var throughProject = BuildSolution(folder, analysis, "analysis", "-t:Dag_Fit");
        var selection = BuildSolution(folder, analysis, "-p:Dag=+Report");

        // MSBuild asks every project of the solution for the target, and the library has none.
        Assert.Contains("The target \"Dag_Fit\" does not exist in the project", taskTarget.FailedWith("MSB4057"));
        Assert.Equal(["Load", "Fit"], throughProject.Succeeded().Ran);
        Assert.Contains("hello from the library", throughProject.Output);
        Assert.Equal(["Report"], selection.Succeeded().Ran);
    }

    [Fact]
    public void A_change_in_a_referenced_project_re_runs_the_tasks_that_use_it()
    {
        var (folder, analysis) = Solution(feed);
        BuildSolution(folder, analysis, "analysis").Succeeded();

        File.WriteAllText(Path.Combine(folder, "lib", "Helper.cs"), """namespace Lib; public static class Helper { public static string Greeting => "hello again"; }""");
        var build = BuildSolution(folder, analysis, "analysis", "-t:Dag_Load").Succeeded();

        Assert.Equal(["Load"], build.Ran);
        Assert.Equal("code changed: Load.Run -> Lib.dll", build.ReasonFor("Load"));
    }
}
