using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// The lines a user must see while the build runs, under any logger; the one place that knows how the terminal logger
/// is made to show them. The classic console logger prints a high-importance message as it comes. .NET's terminal logger
/// (dotnet build's default in a terminal) holds messages back, except the events a test runner sends from a project that
/// ran a target named <c>_TestRunStart</c>: a <c>TLTESTOUTPUT</c> line it prints at once, a <c>TLTESTPASSED</c> it shows
/// on the project's live line. So every Dagdog line goes out as one of those (any other logger sees an ordinary
/// high-importance message), and the SDK runs an empty <c>_TestRunStart</c> first unless DagTerminalLogger is false.
/// docs/design.md, "Output", has the terminal logger's source references.
/// </summary>
internal sealed class LiveMessages(IBuildEngine engine, string sender)
{
    /// <summary>A line every logger prints as it comes.</summary>
    public void Print(string line) => Send("TLTESTOUTPUT", line, metadata: null);

    /// <summary>
    /// A line the other loggers print, and that the terminal logger shows instead on the project's live line:
    /// <paramref name="state"/> in green, then <paramref name="what"/>, then the project's time.
    /// </summary>
    public void Status(string line, string state, string what) =>
        Send("TLTESTPASSED", line, new Dictionary<string, string?> { ["localizedResult"] = state, ["displayName"] = what });

    private void Send(string type, string line, Dictionary<string, string?>? metadata) =>
        engine.LogMessageEvent(new ExtendedBuildMessageEventArgs(type, line, helpKeyword: null, sender, MessageImportance.High)
        {
            ExtendedMetadata = metadata,
        });
}
