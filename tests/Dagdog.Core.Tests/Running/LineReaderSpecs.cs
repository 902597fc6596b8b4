using System.Text;
using Dagdog.Running;

namespace Dagdog.Tests.Running;

/// <summary>Whatever a task writes, the build reads it in pieces of bounded size, and a marker at a line's end stays whole.</summary>
public class LineReaderSpecs
{
    private static List<LinePiece> ReadAll(string text, int longestPiece = 8, int keepTogether = 0)
    {
        var reader = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), longestPiece, keepTogether);
        var pieces = new List<LinePiece>();
        while (reader.Read() is { } piece) pieces.Add(piece);
        return pieces;
    }

    [Fact]
    public void Lines_end_at_a_line_feed_with_a_carriage_return_before_it_dropped_and_a_last_unfinished_line_still_ends()
    {
        Assert.Equal([new("one", true), new("two", true), new("", true), new("three\rx", true), new("four", true)],
            ReadAll("one\ntwo\r\n\nthree\rx\nfour", longestPiece: 100));
    }

    [Fact]
    public void A_line_longer_than_a_piece_comes_in_pieces_that_put_together_are_the_line()
    {
        var line = string.Concat(Enumerable.Range(0, 50).Select(i => $"{i},"));

        var pieces = ReadAll(line + "\nnext\n", longestPiece: 16);

        Assert.All(pieces, piece => Assert.True(piece.Text.Length <= 16 + 16 * 1024));
        Assert.Equal(line, string.Concat(pieces.TakeWhile(p => !p.EndsLine).Select(p => p.Text)) + pieces.First(p => p.EndsLine).Text);
        Assert.Equal(new LinePiece("next", true), pieces[^1]);
    }

    [Fact]
    public void A_marker_at_the_end_of_a_long_line_is_always_whole_in_its_last_piece()
    {
        const string marker = "\u001edagdog:0123456789abcdef:end";
        for (var length = 0; length < 60; length++)
        {
            var pieces = ReadAll(new string('x', length) + marker + "\n", longestPiece: 10, keepTogether: marker.Length);

            Assert.EndsWith(marker, pieces[^1].Text);
            Assert.True(pieces[^1].EndsLine);
        }
    }

    [Fact]
    public void A_character_of_two_chars_is_never_cut_in_half_and_bytes_that_are_not_UTF8_read_as_replacement_characters()
    {
        var text = string.Concat(Enumerable.Repeat("a😀", 40));

        var pieces = ReadAll(text + "\n", longestPiece: 7);

        Assert.All(pieces, p => Assert.False(char.IsHighSurrogate(p.Text[^1])));
        Assert.Equal(text, string.Concat(pieces.Select(p => p.Text)));
        var invalid = new LineReader(new MemoryStream([0x61, 0xFF, 0x62, 0x0A]), 100).Read();
        Assert.Equal(new LinePiece("a\uFFFDb", true), invalid);
    }
}
