using System.Threading.Channels;

namespace Dagdog.Board;

/// <summary>
/// The feed as the board holds it: the last document, the events since, and the pages listening. Each page gets the
/// document and the events since first, then every line as it comes, in order (<see cref="BoardFeed"/>).
/// </summary>
internal sealed class BoardHub
{
    private readonly Lock _lock = new();
    private readonly List<string> _sinceDocument = [];
    private readonly List<Channel<string>> _pages = [];
    private string? _documentLine;

    /// <summary>The last document; null before the build wrote one.</summary>
    public BoardDocument? Document { get; private set; }

    public void Publish(string line)
    {
        var document = BoardFeed.DocumentIn(line);
        lock (_lock)
        {
            if (document is not null)
            {
                (Document, _documentLine) = (document, line);
                _sinceDocument.Clear();
            }
            else
            {
                _sinceDocument.Add(line);
            }
            foreach (var page in _pages) page.Writer.TryWrite(line);
        }
    }

    /// <summary>A page's stream of lines, from the last document on; it ends when the board does (<see cref="End"/>).</summary>
    public ChannelReader<string> Listen(CancellationToken gone)
    {
        var page = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            if (_documentLine is not null) page.Writer.TryWrite(_documentLine);
            foreach (var line in _sinceDocument) page.Writer.TryWrite(line);
            _pages.Add(page);
        }
        gone.Register(() =>
        {
            lock (_lock) _pages.Remove(page);
            page.Writer.TryComplete();
        });
        return page.Reader;
    }

    public void End()
    {
        lock (_lock)
        {
            foreach (var page in _pages) page.Writer.TryComplete();
            _pages.Clear();
        }
    }
}
