using Microsoft.Playwright;

namespace Dagdog.Board.Tests;

/// <summary>
/// Debian's Chromium (<see cref="Chromium"/>) driven by Playwright through its DevTools
/// protocol, one browser per spec class; each spec a fresh context (no cookie carried over). Screenshots of the states a
/// spec checks go to artifacts/screenshots/, to look at.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        // --no-sandbox: Chromium's own sandbox refuses to run as root, as CI's containers do. --disable-gpu: with no GPU,
        // Chromium emulates one on the CPU; the pages need none (the Board tier's Chromium took 34 CPU-s instead of 38, bench/README.md).
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium.Executable, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    public async Task<IPage> Open(string address, bool offline = false)
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        if (offline)
        {
            // Nothing but the file itself: a snapshot must need no network at all.
            await context.RouteAsync("**/*", route => route.Request.Url.StartsWith("file:", StringComparison.Ordinal) ? route.ContinueAsync() : route.AbortAsync());
        }
        var page = await context.NewPageAsync();
        await page.GotoAsync(address);
        return page;
    }

    public static async Task Screenshot(IPage page, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Repository.Root, "artifacts", "screenshots")).FullName;
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}.png") });
    }
}
