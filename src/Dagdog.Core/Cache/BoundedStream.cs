namespace Dagdog.Cache;

/// <summary>
/// Passes what is written on to <paramref name="destination"/> until more than <paramref name="longest"/> bytes come:
/// then the entry being read is damaged (a manifest or content can be no larger than what Dagdog wrote), and reading
/// stops there instead of filling memory or disk.
/// </summary>
internal sealed class BoundedStream(Stream destination, long longest, string tooLarge) : Stream
{
    private long _written;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Count(buffer.Length);
        destination.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count(buffer.Length);
        return destination.WriteAsync(buffer, cancellationToken);
    }

    private void Count(int bytes)
    {
        _written += bytes;
        if (_written > longest) throw new DamagedEntryException(tooLarge);
    }

    public override void Flush() => destination.Flush();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
