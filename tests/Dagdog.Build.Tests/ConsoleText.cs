using System.Text;
using Microsoft.Build.Framework;

namespace Dagdog.Testing;

/// <summary>
/// What a build printed, as the classic console logger prints it: errors and warnings as
/// <c>file(line,col): error CODE: message</c>, messages of the importance the verbosity shows. An MSBuild logger of the
/// in-process builds (<see cref="BuildProject"/>) and the text of <see cref="FakeBuildEngine"/>.
/// </summary>
internal sealed class ConsoleText(MessageImportance shown) : ILogger
{
    private readonly StringBuilder _text = new();

    public string Text
    {
        get
        {
            lock (_text) return _text.ToString();
        }
    }

    public bool HasErrors { get; private set; }

    /// <summary>The threads that printed, by managed thread id (a task's logging must stay on its own thread).</summary>
    public HashSet<int> PrintingThreads { get; } = [];

    public void Error(BuildErrorEventArgs e)
    {
        HasErrors = true;
        Print($"{At(e.File, e.LineNumber, e.ColumnNumber)}: error {e.Code}: {e.Message}");
    }

    public void Warning(BuildWarningEventArgs e) => Print($"{At(e.File, e.LineNumber, e.ColumnNumber)}: warning {e.Code}: {e.Message}");

    public void Message(BuildMessageEventArgs e)
    {
        if (e.Importance <= shown) Print($"  {e.Message}");
    }

    public void Custom(CustomBuildEventArgs e) => Print(e.Message ?? "");

    private void Print(string line)
    {
        lock (_text)
        {
            PrintingThreads.Add(Environment.CurrentManagedThreadId);
            _text.AppendLine(line);
        }
    }

    private static string At(string? file, int line, int column) => line > 0 ? $"{file}({line},{column})" : file ?? "";

    LoggerVerbosity ILogger.Verbosity { get; set; } = LoggerVerbosity.Diagnostic;

    string? ILogger.Parameters { get; set; }

    void ILogger.Initialize(IEventSource source)
    {
        source.ErrorRaised += (_, e) => Error(e);
        source.WarningRaised += (_, e) => Warning(e);
        source.MessageRaised += (_, e) => Message(e);
        source.CustomEventRaised += (_, e) => Custom(e);
    }

    void ILogger.Shutdown()
    {
    }
}
