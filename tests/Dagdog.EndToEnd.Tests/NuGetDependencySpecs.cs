namespace Dagdog.EndToEnd;

/// <summary>How Run() is found and called: any namespace, static or instance, sync or async, with NuGet dependencies.</summary>
[Collection(EndToEndCollection.Name)]
public class RunnerSpecs(SdkFeed feed)
{
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
