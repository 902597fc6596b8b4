namespace Dagdog.EndToEnd;

/// <summary>
/// Task families through real MSBuild: the family's targets are generated at restore like any task's, its items and
/// their metadata (attributes and child elements) are read from MSBuild's evaluation, a new data file or an edited
/// metadata value needs no restore, and the task target runs every stale instance.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class FamilyEvaluationSpecs(SdkFeed feed)
{
    [Fact]
    public void A_family_over_files_and_one_over_items_run_per_instance_and_follow_new_files_and_metadata_without_a_restore()
    {
        var project = feed.CreateProject("family")
            .Declare("""
                <DagTask Include="Fit" ForEach="data/{species}.csv" Outputs="out/fit/{species}.txt" />
                <DagTask Include="Model" ForEachItem="Kind" Outputs="out/model/{kind}.txt" />
                <DagTask Include="Report" DependsOn="Fit;Model" Inputs="out/fit/{species}.txt" Outputs="out/report.txt" />
                <Kind Include="linear" Degree="1" />
                <Kind Include="cubic"><Degree>3</Degree></Kind>
                """)
            .WriteFile("data/adelie.csv", "a")
            .WriteFile("data/gentoo.csv", "g")
            .WriteFile("Fit.cs", """
                public class Fit
                {
                    public void Run(string species)
                    {
                        File.AppendAllText("ran.txt", $"Fit[{species}]\n");
                        Directory.CreateDirectory("out/fit");
                        File.WriteAllText($"out/fit/{species}.txt", File.ReadAllText($"data/{species}.csv"));
                    }
                }
                """)
            .WriteFile("Model.cs", """
                public class Model
                {
                    public void Run(string kind, int degree)
                    {
                        File.AppendAllText("ran.txt", $"Model[{kind}]\n");
                        Directory.CreateDirectory("out/model");
                        File.WriteAllText($"out/model/{kind}.txt", $"{kind} of degree {degree}");
                    }
                }
                """)
            .WriteFile("Report.cs", """
                public class Report
                {
                    public void Run(IReadOnlyList<string> species, IReadOnlyList<string> kind)
                    {
                        File.AppendAllText("ran.txt", "Report\n");
                        File.WriteAllText("out/report.txt", $"{string.Join(",", species)} / {string.Join(",", kind)}");
                    }
                }
                """);

        var first = project.Build().Succeeded();
        Assert.Equal(["Fit[adelie]", "Fit[gentoo]", "Model[cubic]", "Model[linear]", "Report"], first.Ran.Order());
        Assert.Equal("cubic of degree 3", project.ReadFile("out/model/cubic.txt"));
        Assert.Equal("adelie,gentoo / cubic,linear", project.ReadFile("out/report.txt"));
        Assert.Empty(project.Build("--no-restore").Succeeded().Ran);

        // A new data file and an edited metadata value: the generated targets are as they were, so no restore is needed.
        project.WriteFile("data/chinstrap.csv", "c");
        project.WriteFile("Analysis.csproj", project.ReadFile("Analysis.csproj").Replace("Degree=\"1\"", "Degree=\"2\""));
        var changed = project.Build("--no-restore").Succeeded();
        Assert.Equal(["Fit[chinstrap]", "Model[linear]", "Report"], changed.Ran.Order());
        Assert.Equal("parameter changed: Degree 1 -> 2", changed.ReasonFor("Model[linear]"));

        project.WriteFile("data/gentoo.csv", "g2");
        var target = project.Build("-t:Dag_Fit", "--no-restore").Succeeded();
        Assert.Equal(["Fit[gentoo]"], target.Ran);
        Assert.Equal(["Fit[adelie]"], project.Build("-t:Dag", "-p:Dag=Fit[adelie]", "--no-restore").Succeeded().Ran);

        // A family's files and outputs are not the .NET SDK's None items.
        var items = project.Build("-getItem:None", "--no-restore").Succeeded().Output;
        Assert.DoesNotContain("adelie", items);
    }

    [Fact]
    public void An_instance_that_finished_in_a_build_killed_with_kill_9_is_forgotten_like_any_other_when_its_file_goes()
    {
        var project = feed.CreateProject("killed-family")
            .Declare("""<DagTask Include="Fit" ForEach="data/{species}.csv" Outputs="out/{species}.txt" />""")
            .WriteFile("data/adelie.csv", "a").WriteFile("data/gentoo.csv", "g")
            .WriteFile("Fit.cs", """
                public class Fit
                {
                    public void Run(string species)
                    {
                        File.AppendAllText("ran.txt", $"Fit[{species}]\n");
                        Directory.CreateDirectory("out");
                        File.WriteAllText($"out/{species}.txt", species);
                        if (species == "gentoo" && !File.Exists("killed-once.txt")) { Console.WriteLine("waiting to be killed"); Thread.Sleep(120_000); }
                    }
                }
                """);

        // Fit[adelie] finishes; the build is killed while Fit[gentoo] runs, before the family's own record is written.
        using (var build = project.Start())
        {
            Assert.True(build.WaitForOutput("Fit[gentoo]: waiting to be killed", TimeSpan.FromMinutes(2)), build.Output);
            build.SignalGroup("KILL");
            build.WaitForExit(TimeSpan.FromSeconds(30));
        }
        project.WriteFile("killed-once.txt", "");
        File.Delete(project.PathOf("data/adelie.csv"));

        var next = project.Build().Succeeded();

        Assert.Equal(["Fit[gentoo]"], next.Ran);
        Assert.Contains("Dag: Fit[adelie] forgotten: its instance no longer exists; deleted out/adelie.txt", next.Output);
        Assert.False(project.FileExists("out/adelie.txt"));
        Assert.Empty(project.Build().Succeeded().Ran);
    }
}
