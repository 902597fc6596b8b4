namespace Dagdog.EndToEnd;

/// <summary>
/// One build at a time runs a project's tasks; a second one waits, says for whom, and sees what the first did; the lock goes
/// with a build killed with kill -9 (what a build says of an owner that is gone is in Dagdog.Build.Tests' ProjectLockSpecs).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class LockSpecs(SdkFeed feed)
{
    private DagProject Slow(string name, string body) => feed.CreateProject(name)
        .Declare("""<DagTask Include="Slow" Outputs="out/slow.txt" />""")
        .AddTask("Slow", body);

    [Fact]
    public void A_second_build_waits_for_the_first_names_it_and_runs_nothing_the_first_did()
    {
        // The first build's task works until the second build says it waits: however slow the machine, never a race.
        var project = Slow("twice", """
            Console.WriteLine("working");
            while (!File.Exists("release.txt")) Thread.Sleep(50);
            Directory.CreateDirectory("out");
            File.WriteAllText("out/slow.txt", "done");
            """);
        using var first = project.Start();
        Assert.True(first.WaitForOutput("Slow: working", TimeSpan.FromMinutes(2)), first.Output);

        using var waiting = Dotnet.Start(project.Directory, ["build", project.ProjectFile, "-nologo"]);
        var waited = waiting.WaitForOutput("Dag: waiting for another build of this project", TimeSpan.FromMinutes(2));
        project.WriteFile("release.txt", "");
        Assert.True(waited, waiting.Output);
        var firstResult = first.WaitForExit(TimeSpan.FromMinutes(1));
        var second = waiting.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.Equal(0, firstResult.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains($"Dag: waiting for another build of this project to finish (process {first.Id} holds", second.Output);
        Assert.Equal(["Slow"], project.Ran);
        Assert.Contains("Dag: nothing to run: 1 task(s) up to date", second.Output);
    }

    [Fact]
    public void The_lock_goes_with_a_build_killed_with_kill_9()
    {
        var project = Slow("killed", """Console.WriteLine("working"); Thread.Sleep(Timeout.Infinite);""");
        using (var first = project.Start())
        {
            Assert.True(first.WaitForOutput("Slow: working", TimeSpan.FromMinutes(2)), first.Output);
            first.SignalGroup("KILL");
            first.WaitForExit(TimeSpan.FromSeconds(30));
        }

        project.AddTask("Slow", """Directory.CreateDirectory("out"); File.WriteAllText("out/slow.txt", "done");""");
        var second = project.Build().Succeeded();

        Assert.Equal(["Slow"], second.Ran);
        Assert.DoesNotContain("waiting for another build", second.Output);
    }
}
