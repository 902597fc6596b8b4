using System.Reflection;

namespace Dagdog.Build.Watching;

/// <summary>
/// Ctrl+C as the way a watch ends, not as a failed build. MSBuild cancels the whole build on Ctrl+C (its
/// <c>Console.CancelKeyPress</c> handler), which ends with exit code 1 whatever the task returns. While a watch runs,
/// its own handler takes the first Ctrl+C instead: the watch stops (interrupting a running task, as MSBuild would) and
/// returns whether its last cycle succeeded. MSBuild's handlers are put back at once, so a second Ctrl+C cancels the
/// build as usual, and when the watch ends. They can only be found by reading the Console's private list; on a runtime
/// where it is not there, MSBuild keeps Ctrl+C and the watch ends as a cancelled build.
/// </summary>
internal sealed class InterruptKey : IDisposable
{
    private readonly Action _interrupted;
    private readonly ConsoleCancelEventHandler[] _msbuilds;
    private int _restored;

    public InterruptKey(Action interrupted)
    {
        _interrupted = interrupted;
        var callbacks = typeof(Console).GetField("s_cancelCallbacks", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as ConsoleCancelEventHandler;
        _msbuilds = callbacks?.GetInvocationList().Cast<ConsoleCancelEventHandler>().ToArray() ?? [];
        if (callbacks is null) return;
        foreach (var handler in _msbuilds) Console.CancelKeyPress -= handler;
        Console.CancelKeyPress += Pressed;
    }

    private void Pressed(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Restore();
        _interrupted();
    }

    public void Dispose() => Restore();

    private void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 1 || _msbuilds.Length == 0) return;
        Console.CancelKeyPress -= Pressed;
        foreach (var handler in _msbuilds) Console.CancelKeyPress += handler;
    }
}
