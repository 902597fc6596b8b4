using Dagdog.Build.Board;

namespace Dagdog.Build.Tests;

/// <summary>When -t:DagBoard opens a browser by itself (the opening itself is the end-to-end BoardSpecs').</summary>
public class BoardBrowserSpecs
{
    private static bool MayOpen(params (string Name, string Value)[] variables) =>
        BoardBrowser.MayOpen(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void A_desktop_session_opens_the_board()
    {
        Assert.True(MayOpen(("DISPLAY", ":0")));
        Assert.True(MayOpen(("WAYLAND_DISPLAY", "wayland-0")));
    }

    [Fact]
    public void CI_and_SSH_never_open_it_even_with_a_display()
    {
        Assert.False(MayOpen(("DISPLAY", ":0"), ("CI", "true")));
        Assert.False(MayOpen(("DISPLAY", "localhost:10.0"), ("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")));
    }

    // Windows and macOS always have a desktop to open it on.
    [LinuxFact]
    public void Linux_without_a_display_does_not_open_it()
    {
        Assert.False(MayOpen());
        Assert.True(MayOpen(("DISPLAY", ":0"), ("CI", "")));
    }
}
