namespace Dagdog.EndToEnd;

/// <summary>
/// What MSBuild's timestamps cannot see, Dagdog does: a file joining or leaving an input glob, an output glob's file
/// deleted, an edited embedded resource; and a Run() inherited from a base class is the task's Run().
/// </summary>
[Collection(EndToEndCollection.Name)]
public class BlindSpotSpecs(SdkFeed feed)
{
    // Load reads every CSV in data/ and writes a count; Report reads what Load wrote.
    private DagProject Globbed() => feed.CreateProject("glob")
        .Declare("""
            <DagTask Include="Load" Inputs="data/*.csv" Outputs="out/rows.txt" />
            <DagTask Include="Report" DependsOn="Load" Inputs="out/rows.txt" />
            """)
        .WriteFile("data/a.csv", "1\n")
        .WriteFile("data/b.csv", "2\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.WriteAllText("out/rows.txt", Directory.GetFiles("data", "*.csv").Length.ToString());""")
        .AddTask("Report");

    [Fact]
    public void A_file_added_to_an_input_glob_re_runs_its_reader_even_with_an_old_time()
    {
        var project = Globbed();
        project.Build().Succeeded();

        project.WriteFile("data/c.csv", "3\n");
        File.SetLastWriteTimeUtc(project.PathOf("data/c.csv"), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var build = project.Build().Succeeded();

        Assert.Equal(["Load", "Report"], build.Ran);
        Assert.Equal("input added: data/c.csv", build.ReasonFor("Load"));
        Assert.Equal("3", project.ReadFile("out/rows.txt"));
    }

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
