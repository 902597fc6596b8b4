using System.Text;

namespace Dagdog.Running;

/// <summary>
/// What one run of a task writes, as it comes: all of it to the task's log file (<c>obj/dag/logs/&lt;Task&gt;.log</c>),
/// and its first <c>DagOutputLines</c> lines, each cut at <see cref="LongestShownLine"/> characters, to the build log.
/// Nothing is held but the line being shown, so the build's memory does not grow with what a task prints. A run that
/// prints nothing leaves no log file (a family of 100,000 quiet instances would leave as many empty files).
/// </summary>
internal sealed class TaskOutput : IDisposable
{
    /// <summary>How much of one line the build log shows; the log file has it whole.</summary>
    public const int LongestShownLine = 2_000;

    private readonly string _logFile;
    private StreamWriter? _log;
    private readonly int _linesShown;
    private readonly Action<string> _show;
    private readonly StringBuilder _line = new();
    private long _lineLength;
    private int _shown;

    /// <param name="logFile">The task's log file, written anew (the last run's goes at once).</param>
    /// <param name="linesShown">How many lines the build log shows.</param>
    /// <param name="show">Shows one line in the build log.</param>
    public TaskOutput(string logFile, int linesShown, Action<string> show)
    {
        _logFile = logFile;
        if (File.Exists(logFile)) File.Delete(logFile);
        _linesShown = linesShown;
        _show = show;
    }

    /// <summary>Lines written to the log file only.</summary>
    public long LinesNotShown { get; private set; }

    public void Write(LinePiece piece)
    {
        if (_log is null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_logFile)!);
            _log = new StreamWriter(_logFile, append: false);
        }
        _log.Write(piece.Text);
        if (piece.EndsLine) _log.Write('\n');
        if (_shown >= _linesShown)
        {
            if (piece.EndsLine) LinesNotShown++;
            return;
        }
        if (_line.Length < LongestShownLine) _line.Append(piece.Text.AsSpan(0, Math.Min(piece.Text.Length, LongestShownLine - _line.Length)));
        _lineLength += piece.Text.Length;
        if (!piece.EndsLine) return;
        _show(_lineLength > _line.Length ? $"{_line}... ({_lineLength - _line.Length} more characters in the log file)" : _line.ToString());
        _shown++;
        _line.Clear();
        _lineLength = 0;
    }

    public void Dispose() => _log?.Dispose();
}
