using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dagdog.State;

/// <summary>
/// The run records of a family's instances, one append-only file per family (<see cref="StateLayout.InstanceJournal"/>),
/// the one owner of its format (docs/design.md, "Task families"). Each line is a compact JSON object:
/// <c>{"key":"adelie","stamped":"…","run":{…}}</c> is the instance's record from then on (without its name, which the
/// key and the family give), with, after a success, the time of its stamp (an instance has no stamp file);
/// <c>{"key":"adelie"}</c> takes it back (a run began, or the instance was forgotten); <c>{"code":"…"}</c> is the code
/// fingerprint the successful records after it ran with, written once instead of in every record. Appending costs one
/// small write per record, where a file per instance cost a file, a rename and 4 KB of disk; a build killed at any
/// moment leaves every line it finished, so the next build knows every instance that had finished (a torn last line is
/// ignored). <see cref="Compact"/> rewrites the file when a third of its lines are replaced ones.
/// Not thread-safe: <see cref="StateStore"/> serializes its use.
/// </summary>
internal sealed class InstanceJournal
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _path;
    private readonly string _family;
    private readonly Dictionary<string, Entry> _entries;
    // The code fingerprint the next record would be read with, and how many lines the file has.
    private string? _code;
    private int _lines;
    // The file ends in the middle of a line (a build was killed while writing it): the next line starts on a line of its own.
    private bool _torn;

    private InstanceJournal(string path, string family, Dictionary<string, Entry> entries, string? code, int lines, bool torn, int unreadable)
    {
        (_path, _family, _entries, _code, _lines, _torn) = (path, family, entries, code, lines, torn);
        UnreadableLines = unreadable;
    }

    /// <summary>Lines that were not a record: damaged, or written by something else. Their instances count as never run.</summary>
    public int UnreadableLines { get; }

    /// <summary>The keys that have a record, successful or failed.</summary>
    public IReadOnlyCollection<string> Keys => _entries.Keys;

    /// <summary>When the instance's last successful run was stamped; null without one. Reads no record.</summary>
    public DateTime? StampedOf(string key) => _entries.GetValueOrDefault(key)?.Stamped;

    /// <summary>
    /// The instance's record, read from its line when first asked for (a no-op build asks for none); null when it has
    /// none, or (<paramref name="damaged"/>) when its line does not hold a whole record: it is then forgotten.
    /// </summary>
    public RunRecord? RecordOf(string key, out bool damaged)
    {
        damaged = false;
        if (_entries.GetValueOrDefault(key) is not { } entry) return null;
        if (entry.Record is null)
        {
            var record = Parse<RunRecord>(entry.RunJson.Span) is { } run && (run with { Task = Families.InstanceKeys.Name(_family, entry.Key) }) is var named && RunRecord.IsWhole(named)
                ? named with { Code = named.Succeeded ? named.Code ?? entry.Code : named.Code }
                : null;
            if (record is null)
            {
                damaged = true;
                _entries.Remove(key);
                return null;
            }
            entry.Record = record;
        }
        return entry.Record;
    }

    /// <summary>
    /// The outputs' hashes of the instance's record, without reading the rest of it (a damaged line gives none; asking
    /// for its record says so).
    /// </summary>
    public IReadOnlyList<FileHash> OutputsOf(string key)
    {
        if (_entries.GetValueOrDefault(key) is not { } entry) return [];
        if (entry.Record is { } record) return record.Outputs ?? [];
        try
        {
            var reader = new Utf8JsonReader(entry.RunJson.Span);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var outputs = reader.ValueTextEquals("outputs"u8);
                reader.Read();
                if (outputs) return JsonSerializer.Deserialize<List<FileHash>>(ref reader, Json) is { } hashes && hashes.All(h => h is { Path: not null, Sha256: not null }) ? hashes : [];
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return [];
    }

    /// <summary>Reads a family's journal; a missing file is an empty one. Each line's key and stamp are read now, its record when asked for.</summary>
    public static InstanceJournal Read(StateLayout layout, string family)
    {
        var path = layout.InstanceJournal(family);
        var entries = new Dictionary<string, Entry>(Families.InstanceKeys.Comparer);
        if (!File.Exists(path)) return new InstanceJournal(path, family, entries, null, 0, false, 0);
        var bytes = File.ReadAllBytes(path);
        string? code = null;
        var (lines, unreadable, lastUnreadable) = (0, 0, false);
        for (var start = 0; start < bytes.Length;)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) end = bytes.Length;
            var line = ReadLine(bytes.AsSpan(start, end - start));
            lines++;
            lastUnreadable = line is null;
            if (line is null) unreadable++;
            else if (line.Code is { } newCode) code = newCode;
            else if (line.Run is null) entries.Remove(line.Key!);
            else entries[line.Key!] = new Entry(line.Key!, bytes.AsMemory(start + line.Run.Value.Start, line.Run.Value.Length), line.Stamped, code);
            start = end + 1;
        }
        var torn = bytes.Length > 0 && bytes[^1] != '\n';
        // A torn last line is a build killed while writing it (its instance runs again), not damage worth a warning.
        return new InstanceJournal(path, family, entries, code, lines, torn, torn && lastUnreadable ? unreadable - 1 : unreadable);
    }

    // A line's key, stamp and code, and its record's JSON as it is: parsing every record cost a no-op of 100,000
    // instances about two seconds, and it needs none of them.
    private static LineRead? ReadLine(ReadOnlySpan<byte> text)
    {
        try
        {
            var reader = new Utf8JsonReader(text);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            var (key, stamped, run, code) = ((string?)null, (DateTime?)null, ((int Start, int Length)?)null, (string?)null);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "key":
                        key = reader.GetString();
                        break;
                    case "stamped":
                        stamped = reader.GetDateTime();
                        break;
                    case "code":
                        code = reader.GetString();
                        break;
                    case "run" when reader.TokenType == JsonTokenType.StartObject:
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        run = (start, (int)reader.BytesConsumed - start);
                        break;
                    default:
                        return null;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return null;
            return code is not null ? new LineRead(null, null, null, code) : key is not null ? new LineRead(key, stamped, run, null) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Appends an instance's record (stamped when it succeeded), or (null) takes its record back.</summary>
    public void Write(string key, RunRecord? record, DateTime? stampedUtc = null)
    {
        // The first line of a journal: what an earlier version kept instead goes.
        if (_lines == 0) RemoveFilesOfEarlierVersions();
        var text = new StringBuilder(_torn ? "\n" : "");
        _torn = false;
        if (record?.Code is { } code && code != _code)
        {
            text.Append(CodeLine(code));
            _code = code;
            _lines++;
        }
        var entry = record is null ? null : new Entry(key, ReadOnlyMemory<byte>.Empty, stampedUtc, record.Code) { Record = record };
        text.Append(Line(key, entry));
        _lines++;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
            file.Write(Encoding.UTF8.GetBytes(text.ToString()));
        if (entry is null) _entries.Remove(key);
        else _entries[key] = entry;
    }

    private static string CodeLine(string code) => JsonSerializer.Serialize(new JournalLine(null, null, null, code), Json) + "\n";

    // The record without its name (the key and the family give it), its code (a code line gives it) and its format (a
    // line without one reads as format 1: a later format must be written out); a record read from the file and not
    // asked for is written back as it was.
    private static string Line(string key, Entry? entry) =>
        entry is null ? JsonSerializer.Serialize(new JournalLine(key, null, null, null), Json) + "\n"
        : entry.Record is { } record ? JsonSerializer.Serialize(new JournalLine(key, entry.Stamped, record with { Task = null!, Code = null, Format = null }, null), Json) + "\n"
        : $"{JsonSerializer.Serialize(new JournalLine(key, entry.Stamped, null, null), Json)[..^1]},\"run\":{Encoding.UTF8.GetString(entry.RunJson.Span)}}}\n";

    /// <summary>
    /// Rewrites the journal with one line per record when a third of its lines are replaced records (every run of an
    /// instance adds two lines): through a temporary file and a rename, so a kill leaves the old journal or the new one.
    /// </summary>
    public void Compact()
    {
        if (_lines <= _entries.Count * 3 / 2 + 64) return;
        var text = new StringBuilder();
        _code = null;
        _lines = 0;
        foreach (var (key, entry) in _entries)
        {
            if ((entry.Record?.Code ?? entry.Code) is { } code && code != _code)
            {
                text.Append(CodeLine(code));
                _code = code;
                _lines++;
            }
            text.Append(Line(key, entry));
            _lines++;
        }
        StateFiles.WriteAtomically(_path, text.ToString());
    }

    // Before the journal, Dagdog kept a stamp file per instance in its folder.
    private void RemoveFilesOfEarlierVersions()
    {
        var folder = Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".stamp", StringComparison.Ordinal) || f.EndsWith(".failed", StringComparison.Ordinal)))
            File.Delete(file);
    }

    private static T? Parse<T>(ReadOnlySpan<byte> text) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One line: a key with its stamp and record (or none), or a code fingerprint.</summary>
    private sealed record JournalLine(string? Key, DateTime? Stamped, RunRecord? Run, string? Code);

    /// <summary>A line as read: where its record's JSON is in the line.</summary>
    private sealed record LineRead(string? Key, DateTime? Stamped, (int Start, int Length)? Run, string? Code);

    /// <summary>An instance's record: as its line had it until it is asked for (<see cref="RecordOf"/>), then read.</summary>
    private sealed class Entry(string key, ReadOnlyMemory<byte> runJson, DateTime? stamped, string? code)
    {
        /// <summary>The key as written (keys compare ignoring case; the record's name keeps its case).</summary>
        public string Key { get; } = key;

        /// <summary>The record's JSON in the journal's bytes as read (kept until the journal is read again).</summary>
        public ReadOnlyMemory<byte> RunJson { get; } = runJson;

        public DateTime? Stamped { get; } = stamped;

        /// <summary>The code fingerprint of the records before it in the file.</summary>
        public string? Code { get; } = code;

        public RunRecord? Record { get; set; }
    }
}
