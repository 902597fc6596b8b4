namespace Dagdog.Build.Tests;

/// <summary>Declared files may have any name MSBuild can express, and a file Dagdog cannot use is DAG019, never a crash.</summary>
public class FileSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    // On disk: "a;b.csv", "100%.csv", "$x.csv", "@y.csv", "with space.csv"; in MSBuild, ';', '%', '$' and '@' are escaped.
    private static readonly string[] OddNames = ["a;b.csv", "100%.csv", "$x.csv", "@y.csv", "with space.csv"];

    [Fact]
    public void A_file_where_Dagdog_keeps_task_state_is_DAG019_naming_it_and_nothing_runs()
    {
        var project = projects.CreateProject("state in the way")
            .Declare("""<DagTask Include="Load" />""")
            .AddTask("Load")
            .WriteFile("obj/dag/code", "a file where Dagdog expects a folder");

        var build = project.Build();

        Assert.Contains("obj/dag/code", build.FailedWith("DAG019"));
        Assert.DoesNotContain("MSB4018", build.Output);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void Inputs_with_semicolons_percents_dollars_and_ats_are_each_one_file_whose_change_reruns_the_task()
    {
        var project = projects.CreateProject("odd paths")
            .Declare("""
                <DagTask Include="Load" Inputs="data/a%3Bb.csv;data/100%25.csv;data/%24x.csv;data/%40y.csv;data/with space.csv" Outputs="out/all%3Bdata.txt" />
                <DagTask Include="Fit" DependsOn="Load" Inputs="out/all%3Bdata.txt" />
                """)
            .AddTask("Load", """
                Directory.CreateDirectory("out");
                File.WriteAllText("out/all;data.txt", string.Concat(Directory.GetFiles("data").Order().Select(File.ReadAllText)));
                """)
            .AddTask("Fit");
        foreach (var name in OddNames) project.WriteFile($"data/{name}", $"{name}\n");

        var first = project.Build().Succeeded();
        var second = project.Build().Succeeded();
        project.WriteFile("data/a;b.csv", "changed\n");
        var third = project.Build().Succeeded();

        Assert.Equal(["Load", "Fit"], first.Ran);
        Assert.Empty(second.Ran);
        Assert.DoesNotContain("warning", second.Output);
        Assert.Equal(["Load", "Fit"], third.Ran);
        Assert.Equal("input changed: data/a;b.csv", third.ReasonFor("Load"));
    }
}
