using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Markdig;
using nietras.SeparatedValues;

namespace Dagdog.Board;

/// <summary>
/// What the board shows of a file, chosen by its extension and, for text, its content; read from a bounded prefix, so
/// that a file of any size previews in bounded time and memory. Images and HTML are shown from the file itself (the
/// page asks for it), the rest as data here.
/// </summary>
internal static class Previews
{
    /// <summary>How much of a file a preview reads at most.</summary>
    public const int PrefixBytes = 1 << 20;

    public const int TableRows = 100;

    private const int TextLines = 200;

    // Hashing reads the whole file: only up to this size, the rest shows its size alone.
    private const long HashedBytes = 64L << 20;

    private static readonly MarkdownPipeline CommonMark = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    [JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
    [JsonDerivedType(typeof(Missing), "missing")]
    [JsonDerivedType(typeof(Table), "table")]
    [JsonDerivedType(typeof(JsonText), "json")]
    [JsonDerivedType(typeof(Image), "image")]
    [JsonDerivedType(typeof(Html), "html")]
    [JsonDerivedType(typeof(Markdown), "markdown")]
    [JsonDerivedType(typeof(Text), "text")]
    [JsonDerivedType(typeof(Binary), "binary")]
    public abstract record Preview(string Path, long Bytes);

    public sealed record Missing(string Path) : Preview(Path, 0);

    /// <param name="RowCount">Every row's count; when <paramref name="Estimated"/>, from the prefix's average row.</param>
    public sealed record Table(string Path, long Bytes, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, long RowCount, bool Estimated) : Preview(Path, Bytes);

    public sealed record JsonText(string Path, long Bytes, string Text, bool Truncated) : Preview(Path, Bytes);

    public sealed record Image(string Path, long Bytes, string MediaType) : Preview(Path, Bytes);

    public sealed record Html(string Path, long Bytes) : Preview(Path, Bytes);

    /// <summary>The Markdown rendered as HTML (raw HTML in it is shown as text, not run).</summary>
    public sealed record Markdown(string Path, long Bytes, string Rendered) : Preview(Path, Bytes);

    public sealed record Text(string Path, long Bytes, string Head, bool Truncated) : Preview(Path, Bytes);

    public sealed record Binary(string Path, long Bytes, string? Sha256) : Preview(Path, Bytes);

    /// <summary>The media type a file is served with, by extension; text for what the board does not know.</summary>
    public static string MediaType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".svg" => "image/svg+xml",
        ".html" or ".htm" => "text/html; charset=utf-8",
        ".json" => "application/json",
        ".csv" => "text/csv; charset=utf-8",
        ".parquet" => "application/vnd.apache.parquet",
        ".txt" or ".log" or ".md" or ".tsv" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };

    public static Preview Of(string path, string fullPath)
    {
        var file = new FileInfo(fullPath);
        if (!file.Exists) return new Missing(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".png" or ".jpg" or ".jpeg" or ".gif" or ".svg" => new Image(path, file.Length, MediaType(path)),
            ".html" or ".htm" => new Html(path, file.Length),
            ".csv" => TableOf(path, file, ','),
            ".tsv" => TableOf(path, file, '\t'),
            ".parquet" => ParquetTable(path, file),
            ".json" => JsonOf(path, file),
            ".md" or ".markdown" => new Markdown(path, file.Length, Markdig.Markdown.ToHtml(Prefix(file).Text, CommonMark)),
            _ => TextOrBinary(path, file),
        };
    }

    /// <summary>The last lines of a log, as a live tail shows them.</summary>
    public static string Tail(string fullPath, int lines = TextLines)
    {
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Max(0, stream.Length - PrefixBytes / 4), SeekOrigin.Begin);
        var text = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        var all = text.Split('\n');
        return string.Join('\n', all.TakeLast(lines + 1)).TrimEnd('\n');
    }

    private static Table TableOf(string path, FileInfo file, char separator)
    {
        var (text, truncated) = Prefix(file);
        // A prefix ends on a whole row: what follows its last line break is left to the row count.
        if (truncated && text.LastIndexOf('\n') is > 0 and var end) text = text[..(end + 1)];
        using var reader = Sep.New(separator).Reader(o => o with { HasHeader = true, Unescape = true, DisableColCountCheck = true }).FromText(text);
        var columns = reader.Header.ColNames.ToList();
        var rows = new List<IReadOnlyList<string>>();
        var counted = 0L;
        foreach (var row in reader)
        {
            counted++;
            if (rows.Count >= TableRows) continue;
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++) cells[i] = row[i].ToString();
            rows.Add(cells);
        }
        if (!truncated) return new Table(path, file.Length, columns, rows, counted, Estimated: false);
        var perRow = (double)Encoding.UTF8.GetByteCount(text) / Math.Max(1, counted + 1);
        return new Table(path, file.Length, columns, rows, (long)Math.Round(file.Length / perRow) - 1, Estimated: true);
    }

    // The schema (each column with its type), the row count from the footer, and the first rows of the first row group:
    // what is read is bounded by that group, as the file's writer chose it.
    private static Preview ParquetTable(string path, FileInfo file)
    {
        try
        {
            using var stream = file.OpenRead();
            var rowCount = ReadRowCount(stream);
            stream.Position = 0;
            var result = Parquet.Serialization.ParquetSerializer.DeserializeUntypedAsync(stream, null, 0).GetAwaiter().GetResult();
            var fields = result.Schema.Fields;
            var rows = result.Data.Take(TableRows)
                .Select(row => (IReadOnlyList<string>)fields.Select(field => Cell(row.GetValueOrDefault(field.Name))).ToList()).ToList();
            return new Table(path, file.Length, fields.Select(f => f is Parquet.Schema.DataField data ? $"{f.Name} ({TypeName(data.ClrType)})" : f.Name).ToList(),
                rows, rowCount, Estimated: false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            // Not Parquet after all, or a kind of it this reader does not know: its size and hash, as for any file.
            return TextOrBinary(path, file);
        }
    }

    private static long ReadRowCount(Stream stream)
    {
        var reader = Parquet.ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
        try
        {
            return reader.Metadata?.NumRows ?? 0;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static string TypeName(Type type) => type == typeof(ReadOnlyMemory<char>) ? "string" : (Nullable.GetUnderlyingType(type) ?? type).Name.ToLowerInvariant();

    private static string Cell(object? value) => value switch
    {
        null => "",
        string text => text,
        ReadOnlyMemory<char> text => text.ToString(),
        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => System.Text.Json.JsonSerializer.Serialize(value),
    };

    private static JsonText JsonOf(string path, FileInfo file)
    {
        var (text, truncated) = Prefix(file);
        return new JsonText(path, file.Length, text, truncated);
    }

    private static Preview TextOrBinary(string path, FileInfo file)
    {
        var (text, truncated) = Prefix(file);
        if (!text.Contains('\0')) return new Text(path, file.Length, string.Join('\n', text.Split('\n').Take(TextLines)), truncated || text.Count(c => c == '\n') >= TextLines);
        if (file.Length > HashedBytes) return new Binary(path, file.Length, null);
        using var stream = file.OpenRead();
        return new Binary(path, file.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    // The file's first PrefixBytes as text, and whether there was more.
    private static (string Text, bool Truncated) Prefix(FileInfo file)
    {
        using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        // A task may be rewriting it: what is there now, however long.
        var buffer = new byte[(int)Math.Min(PrefixBytes, stream.Length)];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return (Encoding.UTF8.GetString(buffer, 0, read), stream.Length > read);
    }
}
