namespace Dagdog.Build.Tests;

/// <summary>
/// What MSBuild's timestamps cannot see, Dagdog does: a file joining or leaving an input glob, an output glob's file
/// deleted, an edited embedded resource; and a Run() inherited from a base class is the task's Run().
/// </summary>
public class BlindSpotSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    // Load reads every CSV in data/ and writes a count; Report reads what Load wrote.
    private BuildProject Globbed() => projects.CreateProject("glob")
        .Declare("""
            <DagTask Include="Load" Inputs="data/*.csv" Outputs="out/rows.txt" />
            <DagTask Include="Report" DependsOn="Load" Inputs="out/rows.txt" />
            """)
        .WriteFile("data/a.csv", "1\n")
        .WriteFile("data/b.csv", "2\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.WriteAllText("out/rows.txt", Directory.GetFiles("data", "*.csv").Length.ToString());""")
        .AddTask("Report");

    [Fact]
    public void A_file_deleted_from_an_input_glob_re_runs_its_reader_in_the_same_build()
    {
        var project = Globbed();
        project.Build().Succeeded();

        File.Delete(project.PathOf("data/b.csv"));
        var build = project.Build().Succeeded();

        Assert.Equal(["Load", "Report"], build.Ran);
        Assert.Equal("input removed: data/b.csv", build.ReasonFor("Load"));
        Assert.Equal("1", project.ReadFile("out/rows.txt"));
        Assert.Empty(project.Build().Succeeded().Ran);
    }

    [Fact]
    public void Output_globs_match_what_the_run_wrote_a_deleted_one_re_runs_its_writer_and_a_glob_over_them_downstream_is_up_to_date()
    {
        var project = projects.CreateProject("output glob")
            .Declare("""
                <DagTask Include="Plot" Outputs="plots/*.png" />
                <DagTask Include="Report" DependsOn="Plot" Inputs="plots/*.png" Outputs="out/report.md" />
                """)
            .AddTask("Plot", """Directory.CreateDirectory("plots"); File.WriteAllText("plots/a.png", "a"); File.WriteAllText("plots/b.png", "b");""")
            .AddTask("Report", """Directory.CreateDirectory("out"); File.WriteAllText("out/report.md", string.Join(",", Directory.GetFiles("plots").Order()));""");

        var first = project.Build().Succeeded();
        var second = project.Build().Succeeded();
        File.Delete(project.PathOf("plots/b.png"));
        var third = project.Build().Succeeded();

        Assert.Equal(["Plot", "Report"], first.Ran);
        Assert.Empty(second.Ran);
        Assert.Equal(["Plot"], third.Ran);
        Assert.Equal("output removed: plots/b.png", third.ReasonFor("Plot"));
        Assert.True(project.FileExists("plots/b.png"));
    }

    [Fact]
    public void A_Run_inherited_from_an_abstract_base_runs_the_task_and_an_edit_of_one_override_re_runs_that_task_alone()
    {
        var project = projects.CreateProject("template")
            .Declare("""
                <DagTask Include="Clean" />
                <DagTask Include="Fit" />
                """)
            .WriteFile("CsvTask.cs", """
                public abstract class CsvTask
                {
                    public void Run() => File.AppendAllText("ran.txt", GetType().Name + "\n" + Transform("a,b") + "\n");

                    protected abstract string Transform(string csv);
                }

                public class Clean : CsvTask { protected override string Transform(string csv) => csv.Trim(); }
                """)
            .WriteFile("Fit.cs", "public class Fit : CsvTask { protected override string Transform(string csv) => csv.ToUpperInvariant(); }");

        var first = project.Build().Succeeded();
        project.WriteFile("Fit.cs", "public class Fit : CsvTask { protected override string Transform(string csv) => csv.ToLowerInvariant(); }");
        var second = project.Build().Succeeded();

        Assert.Equal(["Clean", "a,b", "Fit", "A,B"], first.Ran);
        Assert.Equal(["Fit", "a,b"], second.Ran);
        Assert.Equal("code changed: Fit.Transform", second.ReasonFor("Fit"));
    }

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
}
