using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Dagdog.EndToEnd;

/// <summary>
/// Under .NET's terminal logger (the default in a terminal, here a pseudo-terminal from 'script'), a user sees what each
/// task prints as it prints it, the running tasks named on the project's live line, and after the build what ran, why,
/// what was up to date and what failed, with its error. DagTerminalLogger=false gives the terminal logger's own quiet.
/// </summary>
[Collection(EndToEndCollection.Name)]
public partial class TerminalLoggerSpecs(SdkFeed feed)
{
    [Fact]
    public void In_a_terminal_each_task_shows_its_lines_as_it_runs_and_the_summary_and_failures_after()
    {
        var project = feed.CreateProject("terminal")
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="Fit" DependsOn="Load" />
                <DagTask Include="Bad" DependsOn="Fit" />
                """)
            .AddTask("Load", """Console.WriteLine("loaded 344 rows"); Thread.Sleep(1500);""")
            .AddTask("Fit", """Console.WriteLine("fitting"); Thread.Sleep(1500);""")
            .AddTask("Bad", """Console.WriteLine("checking"); throw new InvalidOperationException("bad data");""");
        project.Build("-p:DagRun=false").Succeeded();

        var screen = InTerminal(project.Directory, "dotnet build --no-restore -tl:on");

        // Printed while the build ran: Load's line before Fit was even started.
        Assert.Matches(@"Analysis net10\.0 running Load \[1/3\] \(\d+\.\ds\)", screen);
        var fitRunning = Regex.Match(screen, @"Analysis net10\.0 running Fit \[2/3\]");
        Assert.True(fitRunning.Success, screen);
        Assert.InRange(screen.IndexOf("  Load: loaded 344 rows", StringComparison.Ordinal), 0, fitRunning.Index);
        Assert.Contains("  Bad: checking", screen);
        Assert.Matches(@"Dag:   Load: ran in \d+\.\d\d s \(never ran\)", screen);
        Assert.Contains("Dag:   Bad: failed after", screen);
        Assert.Contains("error DAG010: Task 'Bad' failed after", screen);
        Assert.Contains("Analysis test net10.0 failed with 1 error(s)", screen);

        var again = InTerminal(project.Directory, "dotnet build --no-restore -tl:on");

        Assert.Contains("Dag:   up to date: Load, Fit", again);
        Assert.DoesNotContain("  Load: loaded 344 rows", again);
        Assert.Contains("  Bad: checking", again);
    }

    [Fact]
    public void DagTerminalLogger_false_leaves_the_terminal_logger_as_it_is()
    {
        var project = feed.CreateProject("terminal-off")
            .Declare("""<DagTask Include="Load" />""")
            .AddTask("Load", """Console.WriteLine("loaded 344 rows"); Thread.Sleep(1000);""");
        project.Build("-p:DagRun=false").Succeeded();

        var screen = InTerminal(project.Directory, "dotnet build --no-restore -tl:on -p:DagTerminalLogger=false");

        Assert.Matches(@"Analysis net10\.0 Dag \(\d+\.\ds\)", screen);
        Assert.DoesNotContain("loaded 344 rows", screen);
        Assert.DoesNotContain("Dag: 1 ran", screen);
        Assert.Contains("Analysis net10.0 succeeded", screen);
        Assert.Equal(["Load"], project.Ran);
    }

    // What a terminal would have shown, with the escape sequences that move the cursor and colour text taken out.
    private static string InTerminal(string directory, string command)
    {
        Assert.True(File.Exists("/usr/bin/script"), "These specs give the build a terminal with util-linux's 'script' (Debian package bsdutils).");
        var start = new ProcessStartInfo("/usr/bin/script", ["-qfec", command, "/dev/null"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TERM"] = "xterm-256color";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        foreach (var name in Dotnet.InheritedBuildVariables) start.Environment.Remove(name);
        using var script = Process.Start(start)!;
        var output = script.StandardOutput.ReadToEndAsync();
        Assert.True(script.WaitForExit(TimeSpan.FromMinutes(3)), "The build in the terminal did not end.");
        return EscapeSequences().Replace(output.Result, "");
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x1b\x07]*(\x1b\\|\x07)|\x1b[=>]")]
    private static partial Regex EscapeSequences();
}
