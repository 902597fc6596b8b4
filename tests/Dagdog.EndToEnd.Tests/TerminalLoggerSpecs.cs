using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Dagdog.EndToEnd;

/// <summary>
/// Under .NET's terminal logger (the default in a terminal, here a pseudo-terminal from 'script'), a user sees while
/// tasks run that the DAG is running and for how long, and after the build each task that failed, with its error.
/// </summary>
[Collection(EndToEndCollection.Name)]
public partial class TerminalLoggerSpecs(SdkFeed feed)
{
    [Fact]
    public void In_a_terminal_the_running_DAG_shows_with_its_time_and_each_failure_with_its_error()
    {
        if (!File.Exists("/usr/bin/script")) return;
        var project = feed.CreateProject("terminal")
            .Declare("""
                <DagTask Include="Load" />
                <DagTask Include="Bad" />
                """)
            .AddTask("Load", "Thread.Sleep(3000);")
            .AddTask("Bad", """throw new InvalidOperationException("bad data");""");
        project.Build("-p:DagRun=false").Succeeded();

        var screen = InTerminal(project.Directory, "dotnet build --no-restore -tl:on -p:DagKeepGoing=true");

        Assert.Matches(@"Analysis net10\.0 Dag \(\d+\.\ds\)", screen);
        Assert.Contains("error DAG010: Task 'Bad' failed after", screen);
        Assert.Contains("Analysis net10.0 failed with 1 error(s)", screen);
    }

    // What a terminal would have shown, with the escape sequences that move the cursor and colour text taken out.
    private static string InTerminal(string directory, string command)
    {
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
