namespace Dagdog.EndToEnd;

/// <summary>A task's NuGet dependencies, managed and native, resolve in its worker as the .NET SDK resolved them (the project's .deps.json).</summary>
[Collection(EndToEndCollection.Name)]
public class NuGetDependencySpecs(SdkFeed feed)
{
    [Fact]
    public void A_task_can_use_a_NuGet_package_and_one_with_a_native_library()
    {
        // Microsoft.Data.Sqlite loads the native e_sqlite3 library, resolved through the project's .deps.json.
        var project = feed.CreateProject("nuget")
            .Declare("""
                <DagTask Include="Serialize" />
                <DagTask Include="Query" />
                <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
                <PackageReference Include="Microsoft.Data.Sqlite" Version="10.0.5" />
                """)
            .AddTask("Serialize", """
                File.WriteAllText("model.json", Newtonsoft.Json.JsonConvert.SerializeObject(new { slope = 1.5 }));
                """)
            .AddTask("Query", """
                using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "select 6 * 7";
                File.WriteAllText("answer.txt", command.ExecuteScalar()!.ToString());
                """);

        var build = project.Build().Succeeded();

        Assert.Equal(["Query", "Serialize"], build.Ran.Order());
        Assert.Equal("""{"slope":1.5}""", project.ReadFile("model.json"));
        Assert.Equal("42", project.ReadFile("answer.txt"));
    }
}
