namespace Dagdog.EndToEnd;

/// <summary>How Run() is found and called: any namespace, static or instance, sync or async, with NuGet dependencies.</summary>
[Collection(EndToEndCollection.Name)]
public class RunnerSpecs(SdkFeed feed)
{
    [Fact]
    public void Run_may_be_static_or_async_and_the_class_may_be_in_any_namespace()
    {
        var project = feed.CreateProject("shapes")
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="Fit" DependsOn="Load" />
                <DagTask Include="Report" DependsOn="Fit" />
                """)
            .WriteFile("Load.cs", """
                public static class Load
                {
                    public static void Run() => File.AppendAllText("ran.txt", "Load\n");
                }
                """)
            .WriteFile("Fit.cs", """
                namespace Deep.Analysis.Models;

                public class Fit
                {
                    public async Task Run()
                    {
                        await Task.Delay(50);
                        File.AppendAllText("ran.txt", "Fit\n");
                    }
                }
                """)
            .WriteFile("Report.cs", """
                namespace Reports;

                public class Report
                {
                    public static async Task<int> Run()
                    {
                        await Task.Yield();
                        File.AppendAllText("ran.txt", "Report\n");
                        return 0;
                    }
                }
                """);

        var build = project.Build().Succeeded();

        Assert.Equal(["Load", "Fit", "Report"], build.Ran);
    }

    [Fact]
    public void The_Type_metadata_chooses_between_classes_with_the_same_name()
    {
        var project = feed.CreateProject("typed")
            .Declare("""<DagTask Include="Fit" Type="Models.Linear.Fit" />""")
            .AddTask("Fit", "throw new InvalidOperationException(\"wrong class\");", @namespace: "Models.Quadratic")
            .WriteFile("Linear/Fit.cs", """
                namespace Models.Linear;

                public class Fit
                {
                    public void Run() => File.AppendAllText("ran.txt", "linear Fit\n");
                }
                """);

        var build = project.Build().Succeeded();

        Assert.Equal(["linear Fit"], build.Ran);
    }

    [Fact]
    public void Run_executes_in_the_project_directory_whatever_the_current_directory_of_the_build()
    {
        var project = feed.CreateProject("cwd")
            .Declare("""<DagTask Include="Where" />""")
            .AddTask("Where", """File.WriteAllText("where.txt", Environment.CurrentDirectory);""");

        Dotnet.Run(feed.Root, ["build", project.ProjectFile, "-nologo"]);

        Assert.Equal(project.Directory, project.ReadFile("where.txt"));
    }

    [Fact]
    public void A_task_can_use_a_NuGet_package()
    {
        var project = feed.CreateProject("nuget")
            .Declare("""
                <DagTask Include="Serialize" />
                <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
                """)
            .AddTask("Serialize", """
                File.WriteAllText("model.json", Newtonsoft.Json.JsonConvert.SerializeObject(new { slope = 1.5 }));
                """);

        project.Build().Succeeded();

        Assert.Equal("""{"slope":1.5}""", project.ReadFile("model.json"));
    }

    [Fact]
    public void A_task_can_use_a_package_with_a_native_library()
    {
        // Microsoft.Data.Sqlite loads the native e_sqlite3 library, resolved through the project's .deps.json.
        var project = feed.CreateProject("native")
            .Declare("""
                <DagTask Include="Query" />
                <PackageReference Include="Microsoft.Data.Sqlite" Version="10.0.5" />
                """)
            .AddTask("Query", """
                using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "select 6 * 7";
                File.WriteAllText("answer.txt", command.ExecuteScalar()!.ToString());
                """);

        project.Build().Succeeded();

        Assert.Equal("42", project.ReadFile("answer.txt"));
    }

    [Fact]
    public void Each_run_gets_fresh_static_state()
    {
        var project = feed.CreateProject("statics")
            .Declare("""
                <DagTask Include="First" />
                <DagTask Include="Second" DependsOn="First" />
                """)
            .WriteFile("Counter.cs", "public static class Counter { public static int Runs; }")
            .AddTask("First", """File.AppendAllText("counts.txt", $"{++Counter.Runs}\n");""")
            .AddTask("Second", """File.AppendAllText("counts.txt", $"{++Counter.Runs}\n");""");

        project.Build().Succeeded();

        Assert.Equal("1\n1\n", project.ReadFile("counts.txt"));
    }

    [Fact]
    public void With_node_reuse_on_an_edited_task_runs_its_new_code()
    {
        // Reused MSBuild worker nodes outlive the build; the user's code must not stay loaded in them.
        var reuse = new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = null, ["MSBUILDNOINPROCNODE"] = "1" };
        var project = feed.CreateProject("reuse")
            .Declare("""<DagTask Include="Fit" />""")
            .AddTask("Fit", """Console.WriteLine("model version 1");""");
        try
        {
            var first = project.Build(["-nodeReuse:true", "-m:1"], reuse).Succeeded();
            Assert.Contains("Fit: model version 1", first.Output);

            project.AddTask("Fit", """Console.WriteLine("model version 2");""");
            var second = project.Build(["-nodeReuse:true", "-m:1"], reuse).Succeeded();

            Assert.Equal(["Fit"], second.Ran);
            Assert.Contains("Fit: model version 2", second.Output);
            Assert.DoesNotContain("model version 1", second.Output);
        }
        finally
        {
            Dotnet.Run(project.Directory, ["build-server", "shutdown", "--msbuild"]);
        }
    }
}
