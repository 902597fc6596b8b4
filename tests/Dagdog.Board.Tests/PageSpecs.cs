using System.Diagnostics;
using Microsoft.Playwright;

namespace Dagdog.Board.Tests;

/// <summary>The board in a real browser: what an analyst sees of the DAG, its outputs, its failures, live.</summary>
public sealed class PageSpecs(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private readonly BoardProject _project = new();
    private readonly RunningBoard _board = new();
    private readonly List<IPage> _pages = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // A page left open in the class's browser would go on repainting, and retrying its board, under the next specs.
        foreach (var page in _pages) await page.Context.CloseAsync();
        _board.Dispose();
        _project.Dispose();
    }

    private async Task<IPage> Open(BoardDocument? document = null)
    {
        _board.Send(document ?? _project.Document(cycle: "20:15:03 watching for changes"));
        var page = await OpenPage(_board.Address);
        await Node(page, "Load").WaitForAsync();
        return page;
    }

    private async Task<IPage> OpenPage(string address, bool offline = false)
    {
        var page = await browser.Open(address, offline);
        _pages.Add(page);
        return page;
    }

    private static ILocator Node(IPage page, string name, string? status = null) =>
        page.Locator(status is null ? $"g.node[data-name='{name}']" : $"g.node[data-name='{name}'][data-status='{status}']");

    private static async Task Choose(IPage page, string path)
    {
        await page.Locator($"tr.file[data-path='{path}']").ClickAsync();
        await page.Locator($"#preview .meta:has-text('{path}')").WaitForAsync();
    }

    [ChromiumFact]
    public async Task The_DAG_shows_each_task_by_status_a_family_as_one_node_with_its_counts()
    {
        var page = await Open();
        await Node(page, "Load", "upToDate").WaitForAsync();
        await Node(page, "Fit", "willRun").WaitForAsync();
        await Node(page, "Plot", "failed").WaitForAsync();
        await Node(page, "Report", "neverRan").WaitForAsync();
        Assert.Equal(4, await page.Locator("g.node").CountAsync());
        Assert.Equal("1 will run, 2 up to date", await Node(page, "Fit").Locator("text.sub").TextContentAsync());
        Assert.Equal(3, await page.Locator("path.edge").CountAsync());
        Assert.Equal("20:15:03 watching for changes", await page.Locator("#cycle").TextContentAsync());
        await Browser.Screenshot(page, "board-dag");
    }

    [ChromiumFact]
    public async Task A_run_turns_a_node_running_then_shows_its_new_preview_without_a_reload()
    {
        var page = await Open();
        await Node(page, "Load").ClickAsync();
        await page.Locator("#preview table.preview th:has-text('island')").WaitForAsync();
        await page.EvaluateAsync("window.loadedOnce = true");

        var clock = Stopwatch.StartNew();
        _board.Send(BoardFeed.CycleLine("20:16:09 running"));
        _board.Send(BoardFeed.Line(new BoardFeed.Started("Load", "input data/penguins.csv changed", DateTime.UtcNow)));
        await Node(page, "Load", "running").WaitForAsync();
        Assert.Equal("20:16:09 running", await page.Locator("#cycle").TextContentAsync());
        await Browser.Screenshot(page, "board-running");
        // The new preview comes with the task's end: the watch sends its next document only after the run.
        _project.Write("out/raw.csv", "species,bill_length_mm,island,year\nGentoo,46.1,Biscoe,2009\n");
        _board.Send(BoardFeed.Line(new BoardFeed.Finished("Load", "ran", 0.8, null)));
        await page.Locator("#preview table.preview th:has-text('year')").WaitForAsync();
        await Node(page, "Load", "upToDate").WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>("window.loadedOnce === true"), "The page was reloaded.");
        Assert.Equal("1 rows, 4 columns", await page.Locator("#row-count").TextContentAsync());
        await Browser.Screenshot(page, "board-new-preview");
        _board.Send(_project.Document(cycle: "20:16:10 watching for changes"));
        await page.Locator("#cycle:has-text('20:16:10 watching for changes')").WaitForAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
    }

    [ChromiumFact]
    public async Task Each_kind_of_output_previews_in_the_page()
    {
        var page = await Open();
        await Node(page, "Load").ClickAsync();
        await page.Locator("#preview table.preview").WaitForAsync();
        Assert.Equal(101, await page.Locator("#preview table.preview tr").CountAsync());
        Assert.Equal("250 rows, 3 columns · the first 100 shown", await page.Locator("#row-count").TextContentAsync());
        await Choose(page, "out/summary.txt");
        Assert.Contains("344 penguins", await page.Locator("#preview pre.text").TextContentAsync());
        await Choose(page, "out/model.bin");
        Assert.Contains("SHA-256", await page.Locator("#preview").TextContentAsync());
        await Choose(page, "out/penguins.parquet");
        Assert.Equal("3 rows, 3 columns", await page.Locator("#row-count").TextContentAsync());
        Assert.Equal("species (string)", await page.Locator("#preview table.preview th").First.TextContentAsync());

        await Node(page, "Plot").ClickAsync();
        await page.Locator("#preview img").WaitForAsync();
        Assert.Equal(8, await page.Locator("#preview img").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0"));

        await Node(page, "Report").ClickAsync();
        var report = page.FrameLocator("#preview iframe");
        Assert.Equal("Penguin report", await report.Locator("#title").TextContentAsync());
        Assert.Equal("", await page.Locator("#preview iframe").GetAttributeAsync("sandbox"));
        await Choose(page, "out/notes.md");
        Assert.Equal("Findings", await page.FrameLocator("#preview iframe").Locator("h1").TextContentAsync());
        // The report's script would have renamed the board's tab: it never ran.
        Assert.EndsWith("Dagdog board", await page.TitleAsync());
        await Browser.Screenshot(page, "board-markdown");

        await Node(page, "Fit").ClickAsync();
        await page.Locator("#instances button[data-name='Fit[Gentoo]']").ClickAsync();
        await page.Locator("#preview details.json").First.WaitForAsync();
        Assert.Contains("slope: 0.75", await page.Locator("#preview").InnerTextAsync());
        Assert.Contains("r2: 0.64", await page.Locator("#preview").InnerTextAsync());
        await Browser.Screenshot(page, "board-json");
    }

    [ChromiumFact]
    public async Task A_failed_task_shows_its_error_with_its_code_its_log_and_the_command_that_runs_it_alone()
    {
        var page = await Open();
        await Node(page, "Plot").ClickAsync();
        Assert.StartsWith("DAG021: Plot.Run() threw", await page.Locator("#error").TextContentAsync());
        await page.Locator("#log:has-text('the plot has no data')").WaitForAsync();
        Assert.Equal("dotnet build -p:Dag=Plot", await page.Locator("code.command").TextContentAsync());
        await Browser.Screenshot(page, "board-failed");
    }

    [ChromiumFact]
    public async Task A_family_opens_a_grid_of_its_instances_each_with_its_status()
    {
        var page = await Open();
        await Node(page, "Fit").ClickAsync();
        var instances = page.Locator("#instances button");
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], await instances.AllTextContentsAsync());
        Assert.Equal("willRun", await page.Locator("#instances button[data-name='Fit[Chinstrap]']").GetAttributeAsync("data-status"));
        await page.Locator("#instances button[data-name='Fit[Chinstrap]']").ClickAsync();
        Assert.Equal("dotnet build '-p:Dag=Fit[Chinstrap]'", await page.Locator("code.command").TextContentAsync());
        Assert.Equal("missing", await page.Locator("tr.file[data-path='out/fit/Chinstrap.json'] td").Nth(1).TextContentAsync());
        Assert.Equal("Choose a file above.", await page.Locator("#preview").TextContentAsync());
        await Choose(page, "out/fit/Chinstrap.json");
        Assert.Equal("Not there yet.", await page.Locator("#preview p.meta").Last.TextContentAsync());
    }

    [ChromiumFact]
    public async Task The_numbers_in_a_task_s_json_outputs_show_with_their_change_since_the_run_before_and_over_the_kept_runs()
    {
        var page = await Open();
        await Node(page, "Fit").ClickAsync();
        await page.Locator("#instances button[data-name='Fit[Adelie]']").ClickAsync();
        var r2 = page.Locator("#metrics tr[data-metric='metrics.r2']");
        Assert.Equal("0.87", await r2.Locator("td.value").TextContentAsync());
        Assert.Equal("▲ +0.06", await r2.Locator("td.change").TextContentAsync());
        Assert.Equal("▼ -0.25", await page.Locator("#metrics tr[data-metric='slope'] td.change").TextContentAsync());
        Assert.Equal(3, await r2.Locator("polyline").EvaluateAsync<int>("line => line.points.numberOfItems"));
        await Browser.Screenshot(page, "board-metrics");
    }

    [ChromiumFact]
    public async Task A_thousand_tasks_are_laid_out_and_found_by_name()
    {
        var extra = Enumerable.Range(0, 1000).Select(i => new BoardTask(4 + i, $"Step{i:0000}", i == 0 ? ["Report"] : [$"Step{(i - 1) / 3:0000}"], "upToDate", null, null,
            [], [], $"obj/dag/logs/Step{i:0000}.log", $"dotnet build -p:Dag=Step{i:0000}", [], [])).ToList();
        var page = await Open(_project.Document(extra: extra));
        Assert.Equal(1004, await page.Locator("g.node").CountAsync());
        await page.Locator("#search").FillAsync("Step0777");
        await page.Locator("#search").PressAsync("Enter");
        await page.Locator("#panel-title:has-text('Step0777')").WaitForAsync();
        Assert.Equal(1003, await page.Locator("g.node.dim").CountAsync());
        // In the middle of what is left of the DAG beside the panel, large enough to read.
        var found = (await Node(page, "Step0777").BoundingBoxAsync())!;
        var panel = (await page.Locator("#panel").BoundingBoxAsync())!;
        Assert.InRange(found.X, 0, panel.X - found.Width);
        Assert.True(found.Height >= 30, $"Step0777 is {found.Height} px high.");
        await Browser.Screenshot(page, "board-thousand");
    }

    [ChromiumFact]
    public async Task A_family_of_ten_thousand_instances_is_one_node_whose_grid_opens_and_finds_an_instance()
    {
        var instances = Enumerable.Range(0, 10_000).Select(i => new BoardTask(4, $"Sweep[k{i:00000}]", ["Report"], i % 7 == 0 ? "willRun" : "upToDate", null, null,
            [], [], $"obj/dag/logs/Sweep/k{i:00000}.log", $"dotnet build '-p:Dag=Sweep[k{i:00000}]'", [], [], $"k{i:00000}")).ToList();
        var sweep = new BoardTask(4, "Sweep", ["Report"], "willRun", null, null, [], [], "obj/dag/logs/Sweep.log", "dotnet build -p:Dag=Sweep", [], []) { Instances = instances };
        var page = await Open(_project.Document(extra: [sweep]));
        Assert.Equal("1429 will run, 8571 up to date", await Node(page, "Sweep").Locator("text.sub").TextContentAsync());
        await Node(page, "Sweep").ClickAsync();
        Assert.Equal(10_000, await page.Locator("#instances button").CountAsync());
        await page.Locator("#search").FillAsync("k09999");
        await page.Locator("#search").PressAsync("Enter");
        // Found through its instance's key: the family stays, the other tasks fade.
        Assert.Equal(4, await page.Locator("g.node.dim").CountAsync());
        Assert.DoesNotContain("dim", await Node(page, "Sweep").GetAttributeAsync("class"));
        await page.Locator("#instances button[data-name='Sweep[k07777]']").ClickAsync();
        Assert.Equal("dotnet build '-p:Dag=Sweep[k07777]'", await page.Locator("code.command").TextContentAsync());
    }

    [ChromiumFact]
    public async Task The_snapshot_file_opened_from_disk_offline_shows_the_same_tasks_and_previews()
    {
        var file = Path.Combine(_project.Directory, "board.html");
        var snapshot = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Dagdog.Board.dll"), "snapshot", "--out", file])
        {
            RedirectStandardInput = true, UseShellExecute = false,
        })!;
        await snapshot.StandardInput.WriteLineAsync(BoardFeed.Line(_project.Document()));
        snapshot.StandardInput.Close();
        await snapshot.WaitForExitAsync();
        Assert.Equal(0, snapshot.ExitCode);

        var page = await OpenPage(new Uri(file).AbsoluteUri, offline: true);
        await Node(page, "Plot", "failed").WaitForAsync();
        await Node(page, "Fit", "willRun").WaitForAsync();
        await Node(page, "Plot").ClickAsync();
        await page.Locator("#preview img").WaitForAsync();
        Assert.Equal(8, await page.Locator("#preview img").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0"));
        Assert.Contains("the plot has no data", await page.Locator("#log").TextContentAsync());
        await Node(page, "Load").ClickAsync();
        Assert.Equal("250 rows, 3 columns · the first 100 shown", await page.Locator("#row-count").TextContentAsync());
        await Node(page, "Report").ClickAsync();
        Assert.Equal("Penguin report", await page.FrameLocator("#preview iframe").Locator("#title").TextContentAsync());
        await Browser.Screenshot(page, "board-snapshot");
    }
}
