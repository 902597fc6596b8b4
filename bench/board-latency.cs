#:package Microsoft.Playwright
#:property PublishAot=false
// The time from a save to the board's page showing what it made, measured in the page (issue 30, "save -> updated
// preview"). Run by board-live-bench.sh, which starts -t:DagBoard; usage: dotnet run board-latency.cs -- ADDRESS
// PROJECT TASK SAVES. Opens ADDRESS#TASK in Debian's Chromium (headless), then SAVES times writes data/TASK.csv
// with a new last line and notes, by the page's own clock (the machine's), when TASK's node turns running and when
// the preview of its output (out/TASK.txt) shows the new line.
using System.Globalization;
using Microsoft.Playwright;

var (address, project, task, saves) = (args[0], args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
await page.GotoAsync($"{address}#{task}");
await page.WaitForSelectorAsync($"#preview pre");
await page.EvaluateAsync("""
    task => new MutationObserver(() => {
      const now = Date.now(), node = document.querySelector(`g.node[data-name="${task}"]`), pre = document.querySelector("#preview pre");
      if (!window.expected) return;
      if (!window.runningAt && node && node.getAttribute("data-status") === "running") window.runningAt = now;
      if (!window.shownAt && pre && pre.textContent.includes(window.expected)) window.shownAt = now;
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
    """, task);

var running = new List<double>();
var shown = new List<double>();
for (var i = 1; i <= saves; i++)
{
    var line = $"{i},{Guid.NewGuid():N}";
    await page.EvaluateAsync("line => { window.expected = line; window.runningAt = 0; window.shownAt = 0; }", line);
    await File.WriteAllTextAsync(Path.Combine(project, "data", $"{task}.csv"), $"x,y\n{line}\n");
    var saved = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    await page.WaitForFunctionAsync("() => window.shownAt > 0", null, new() { Timeout = 120_000 });
    var (runningAt, shownAt) = (await page.EvaluateAsync<double>("window.runningAt"), await page.EvaluateAsync<double>("window.shownAt"));
    if (runningAt > 0) running.Add(runningAt - saved);
    shown.Add(shownAt - saved);
    Console.WriteLine($"save {i}: running after {(runningAt > 0 ? $"{runningAt - saved:0} ms" : "(not seen)")}, new preview after {shownAt - saved:0} ms");
    await Task.Delay(1000); // the next save is a burst of its own
}
static string Median(List<double> values) => values.Count == 0 ? "-" : $"{values.Order().ElementAt((values.Count - 1) / 2):0} ms";
Console.WriteLine($"median over {saves} saves: node running after {Median(running)}, new preview after {Median(shown)}");
