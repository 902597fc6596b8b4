using System.Diagnostics;

namespace Dagdog.Testing;

/// <summary>
/// Debian's Chromium headless shell (<c>apt-get install chromium-headless-shell</c>, which .ci/run installs): Chromium's
/// own engine built to run without a window, what Playwright runs for headless specs by default. Driven by Playwright
/// in the board's specs, run by its own command line (one action) where a spec only needs a page's DOM or a screenshot.
/// A launch costs about a third of the full browser's CPU in headless mode (0.7 against 2.1 CPU-s, bench/README.md).
/// </summary>
public static class Chromium
{
    public const string Executable = "/usr/bin/chromium-headless-shell";

    /// <summary>Why a spec that needs it is skipped, or null when it is installed.</summary>
    public static string? Missing => File.Exists(Executable) ? null : $"No browser at {Executable} (apt-get install chromium-headless-shell; .ci/run installs it).";

    /// <summary>
    /// Opens <paramref name="address"/> headless in a 1400 x 900 window, lets its scripts run for a second of the page's
    /// own time, does <paramref name="action"/> (<c>--dump-dom</c>, <c>--screenshot=FILE</c>) and returns what it printed.
    /// </summary>
    public static string Headless(string address, string action)
    {
        // --no-sandbox: Chromium's own sandbox refuses to run as root, as CI's containers do.
        var start = new ProcessStartInfo(Executable, ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,900", "--virtual-time-budget=1000", action, address])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var chromium = Process.Start(start)!;
        var (output, error) = (chromium.StandardOutput.ReadToEndAsync(), chromium.StandardError.ReadToEndAsync());
        if (!chromium.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            chromium.Kill(entireProcessTree: true);
            chromium.WaitForExit();
            throw new TimeoutException($"chromium {action} {address} did not end within a minute.");
        }
        return chromium.ExitCode == 0 ? output.Result : throw new InvalidOperationException($"chromium {action} {address} failed ({chromium.ExitCode}):\n{error.Result}");
    }
}

/// <summary>A spec that needs the browser: skipped, saying how to install it, where Debian's Chromium is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        Skip = Chromium.Missing;
    }
}
