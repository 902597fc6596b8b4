using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;

namespace Dagdog.EndToEnd;

/// <summary>
/// -t:DagBoard serves the watch live on the printed address and ends with it on Ctrl+C; -p:DagBoardFile writes the board
/// as one file after any build, a failed one too.
/// </summary>
[Collection(LongEndToEndCollection.Name)]
public class BoardSpecs(SdkFeed feed)
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(1);

    private DagProject Analysis() => feed.CreateProject("board")
        .Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.csv" />
            <DagTask Include="Fit" DependsOn="Load" Inputs="out/raw.csv" Outputs="out/fit.json" />
            """)
        .WriteFile("data/raw.csv", "x,y\n1,2\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.Copy("data/raw.csv", "out/raw.csv", true);""")
        .AddTask("Fit", """File.WriteAllText("out/fit.json", $"{{\"rows\": {File.ReadAllLines("out/raw.csv").Length - 1}}}");""");

    [LinuxFact]
    [SupportedOSPlatform("linux")] // xdg-open
    public async Task The_board_opens_in_the_browser_shows_the_watch_live_a_save_runs_its_tasks_on_it_and_Ctrl_C_ends_both()
    {
        var project = Analysis();
        // A desktop session whose browser is a stand-in that writes down the address it was given.
        project.WriteFile("desktop/xdg-open", "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$(dirname \"$0\")/opened\"\n");
        File.SetUnixFileMode(Path.Combine(project.Directory, "desktop/xdg-open"), (UnixFileMode)0b111_101_101);
        var desktop = new Dictionary<string, string?>
        {
            ["PATH"] = Path.Combine(project.Directory, "desktop") + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["DISPLAY"] = ":0", ["WAYLAND_DISPLAY"] = null, ["CI"] = null, ["SSH_CONNECTION"] = null,
        };
        using var watch = project.Start(desktop, "-t:DagBoard");
        Assert.True(watch.WaitForOutput("Dag: watching for changes", Within), watch.Output);
        var address = watch.Output.Split('\n').Single(line => line.Contains("Dag: board at ")).Split("Dag: board at ")[1].Trim();
        Assert.StartsWith("http://127.0.0.1:", address);
        var opened = Path.Combine(project.Directory, "desktop/opened");
        for (var i = 0; i < 500 && !(File.Exists(opened) && File.ReadAllText(opened).EndsWith('\n')); i++) await Task.Delay(10);
        Assert.Equal(address + "\n", File.ReadAllText(opened));

        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(address)).StatusCode);
        var root = new Uri(address).GetLeftPart(UriPartial.Authority);
        using var events = new StreamReader(await client.GetStreamAsync(root + "/events"));
        async Task<JsonElement> Next(string kind)
        {
            while (await events.ReadLineAsync().WaitAsync(Within) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                var message = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                if (message.TryGetProperty(kind, out var found)) return found;
            }
            throw new EndOfStreamException(watch.Output);
        }
        // The first cycle ran both tasks: the page, connected once it ended, may hear the document sent before its run first.
        JsonElement first;
        do first = await Next("document");
        while (!first.GetProperty("cycle").GetString()!.EndsWith(" watching for changes", StringComparison.Ordinal));
        Assert.Equal(["upToDate", "upToDate"], first.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("status").GetString()));

        project.WriteFile("data/raw.csv", "x,y\n1,2\n3,4\n");
        // Nothing is made in front of the run: the page hears that the cycle runs, then its tasks, then the document.
        Assert.EndsWith(" running", (await Next("cycle")).GetString());
        Assert.Equal("Load", (await Next("started")).GetProperty("name").GetString());
        Assert.Equal("ran", (await Next("finished")).GetProperty("status").GetString());
        Assert.Equal("Fit", (await Next("started")).GetProperty("name").GetString());
        Assert.Equal("ran", (await Next("finished")).GetProperty("status").GetString());
        var after = await Next("document");
        Assert.EndsWith(" watching for changes", after.GetProperty("cycle").GetString());
        var fit = after.GetProperty("tasks")[1];
        Assert.Equal("upToDate", fit.GetProperty("status").GetString());
        Assert.Equal(2, fit.GetProperty("history").GetArrayLength());
        var preview = JsonDocument.Parse(await client.GetStringAsync(root + "/preview?path=out/fit.json")).RootElement;
        Assert.Equal("{\"rows\": 2}", preview.GetProperty("text").GetString());

        watch.SignalGroup("INT");
        Assert.Equal(0, watch.WaitForExit(Within).ExitCode);
        Assert.DoesNotContain(Processes.Running("dotnet"), line => line.Contains("Dagdog.Board.dll") && line.Contains(new Uri(address).Query["?token=".Length..]));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(root + "/"));
    }

    [Fact]
    public void DagBoardFile_writes_the_board_as_one_file_after_a_failed_build_too_and_names_it_in_the_step_summary()
    {
        // A family with no instances warns (DAG039): the board reads the DAG again, and says nothing the run said.
        var project = Analysis().AddTask("Fit", """throw new InvalidOperationException("no rows to fit");""")
            .Declare("""
                <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.csv" />
                <DagTask Include="Fit" DependsOn="Load" Inputs="out/raw.csv" Outputs="out/fit.json" />
                <DagTask Include="Each" ForEach="data/{name}.txt" Outputs="out/{name}.txt" />
                """)
            .WriteFile("Each.cs", "namespace Analysis; public class Each { public void Run(string name) { } }");
        var without = project.Build();
        var summary = project.PathOf("summary.md");
        var result = project.Build(["-p:DagBoardFile=out/board.html"], new Dictionary<string, string?> { ["GITHUB_STEP_SUMMARY"] = summary });
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Count(without.Output, "warning DAG039"), Count(result.Output, "warning DAG039"));
        Assert.NotEqual(0, Count(result.Output, "warning DAG039"));
        var board = project.ReadFile("out/board.html");
        Assert.Contains("window.DAGDOG_SNAPSHOT", board);
        Assert.Contains("no rows to fit", board);
        Assert.Contains("\"name\":\"Fit\"", board);
        Assert.DoesNotContain("src=\"assets/", board);
        Assert.Contains("out/board.html", File.ReadAllText(summary));
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
