namespace Dagdog.EndToEnd;

/// <summary>
/// What MSBuild's timestamps cannot see, Dagdog does, where only the .NET SDK shows it: an edited embedded resource
/// (the globs and the rest are in Dagdog.Build.Tests' BlindSpotSpecs).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class EmbeddedResourceSpecs(SdkFeed feed)
{
    [Fact]
    public void An_edited_embedded_resource_re_runs_the_tasks_that_read_resources_only()
    {
        var project = feed.CreateProject("resource")
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="Query" />
                </ItemGroup>
                <ItemGroup>
                  <EmbeddedResource Include="query.sql" />
                """)
            .WriteFile("query.sql", "select 1")
            .AddTask("Load")
            .AddTask("Query", """Console.WriteLine(new StreamReader(typeof(Query).Assembly.GetManifestResourceStream("Analysis.query.sql")!).ReadToEnd());""");
        project.Build().Succeeded();

        project.WriteFile("query.sql", "select 2");
        var build = project.Build().Succeeded();

        Assert.Equal(["Query"], build.Ran);
        Assert.Equal("resource changed: query.sql", build.ReasonFor("Query"));
        Assert.Contains("select 2", build.Output);
    }

}
