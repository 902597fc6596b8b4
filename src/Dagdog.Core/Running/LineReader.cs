using System.Text;

namespace Dagdog.Running;

/// <summary>A piece of a line of text; <see cref="EndsLine"/> is false when more of the same line follows.</summary>
internal readonly record struct LinePiece(string Text, bool EndsLine);

/// <summary>
/// Reads UTF-8 text lines from a stream in bounded memory, whatever it holds: a line longer than
/// <paramref name="longestPiece"/> characters comes in pieces of at most that many. The last
/// <paramref name="keepTogether"/> characters of a line are never split from its end, so a marker that ends a line is
/// always whole in its last piece. Lines end at <c>\n</c> (a <c>\r</c> before it is dropped); bytes that are not
/// UTF-8 read as U+FFFD.
/// </summary>
internal sealed class LineReader(Stream stream, int longestPiece, int keepTogether = 0)
{
    private const int ChunkBytes = 16 * 1024;

    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();
    private readonly byte[] _bytes = new byte[ChunkBytes];
    private readonly char[] _chars = new char[ChunkBytes + 1];
    private readonly StringBuilder _line = new();
    private int _charCount;
    private int _charIndex;
    private bool _ended;

    /// <summary>The next piece, or null at the end of the stream. A last line without a <c>\n</c> still ends a line.</summary>
    public LinePiece? Read()
    {
        while (true)
        {
            if (_charIndex < _charCount)
            {
                var newline = Array.IndexOf(_chars, '\n', _charIndex, _charCount - _charIndex);
                var end = newline < 0 ? _charCount : newline;
                _line.Append(_chars, _charIndex, end - _charIndex);
                _charIndex = newline < 0 ? _charCount : newline + 1;
                if (newline >= 0) return TakeLine();
            }
            if (_line.Length > longestPiece + keepTogether) return TakePiece();
            if (_ended) return _line.Length > 0 ? TakeLine() : null;
            var read = stream.Read(_bytes);
            _ended = read == 0;
            _charCount = _decoder.GetChars(_bytes, 0, read, _chars, 0, flush: _ended);
            _charIndex = 0;
        }
    }

    private LinePiece TakeLine()
    {
        var length = _line.Length > 0 && _line[^1] == '\r' ? _line.Length - 1 : _line.Length;
        var text = _line.ToString(0, length);
        _line.Clear();
        return new LinePiece(text, EndsLine: true);
    }

    private LinePiece TakePiece()
    {
        var cut = Math.Min(longestPiece, _line.Length - keepTogether);
        // A character outside the Basic Multilingual Plane is two chars: never cut between them.
        if (char.IsHighSurrogate(_line[cut - 1])) cut--;
        var text = _line.ToString(0, cut);
        _line.Remove(0, cut);
        return new LinePiece(text, EndsLine: false);
    }
}
