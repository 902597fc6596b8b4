namespace Dagdog.EndToEnd;

/// <summary>
/// Task families where only the real .NET SDK and the command line show it: the SDK's default items leave a family's
/// files alone, and a build killed with kill -9 loses no instance's record (the rest, through the same targets in
/// process, is in Dagdog.Build.Tests' FamilySpecs).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class FamilyCommandLineSpecs(SdkFeed feed)
{
    [Fact]
    public void A_family_s_files_and_outputs_are_not_the_NET_SDK_s_None_items()
    {
        var project = feed.CreateProject("family")
            .Declare("""<DagTask Include="Fit" ForEach="data/{species}.csv" Outputs="out/fit/{species}.txt" />""")
            .WriteFile("data/adelie.csv", "a")
            .WriteFile("out/fit/adelie.txt", "a")
            .WriteFile("notes.txt", "not the family's")
            .AddTask("Fit");
        // The family's items come from the targets generated at restore.
        project.Build("-p:DagRun=false").Succeeded();

        var items = project.Build("-getItem:None", "--no-restore").Succeeded().Output;

        Assert.Contains("notes.txt", items);
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
