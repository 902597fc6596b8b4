using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dagdog.Build.Running;

/// <summary>
/// Turns what one task's Run() writes into whole lines: each is logged as a high-importance message marked with
/// the task's name (shown live by the console logger) and appended to the task's log file under <c>obj/dag/logs/</c>.
/// </summary>
internal sealed class TaskOutput : IDisposable
{
    private readonly string _taskName;
    private readonly TaskLoggingHelper _log;
    private readonly StreamWriter _file;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();
    private readonly object _gate = new();
    [ThreadStatic] private static bool t_logging;
    private bool _disposed;

    public TaskOutput(string taskName, TaskLoggingHelper log, string logFile)
    {
        _taskName = taskName;
        _log = log;
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        _file = new StreamWriter(logFile, append: false, new UTF8Encoding(false)) { AutoFlush = true };
    }

    /// <summary>
    /// Takes text written by the task. Returns false, so the text goes to the real console, while a line is being
    /// logged on this thread (a logger writing to the console must not loop back here) and after the run ended.
    /// </summary>
    public bool TryWrite(string text, bool isError)
    {
        if (t_logging) return false;
        lock (_gate)
        {
            if (_disposed) return false;
            var pending = isError ? _error : _out;
            foreach (var c in text)
            {
                if (c == '\n') EmitLine(pending);
                else if (c != '\r') pending.Append(c);
            }
            return true;
        }
    }

    private void EmitLine(StringBuilder pending)
    {
        var line = pending.ToString();
        pending.Clear();
        _file.WriteLine(line);
        t_logging = true;
        try
        {
            _log.LogMessage(MessageImportance.High, $"  {_taskName}: {line}");
        }
        finally
        {
            t_logging = false;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            if (_out.Length > 0) EmitLine(_out);
            if (_error.Length > 0) EmitLine(_error);
            _disposed = true;
            _file.Dispose();
        }
    }
}
