using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dagdog;

/// <summary>
/// The run records of a family's instances, one append-only file per family (<see cref="StateLayout.InstanceJournal"/>),
/// the one owner of its format (docs/design.md, "Task families"). Each line is a compact JSON object:
/// <c>{"key":"adelie","run":{…}}</c> is the instance's record from then on (without its name, which the key and the
/// family give; a successful one carries the time of its stamp, since an instance has no stamp file); <c>{"key":"adelie"}</c> takes it back (a run began, or the instance
/// was forgotten); <c>{"code":"…"}</c> is the code fingerprint the records after it ran with, written once instead of
/// in every record. Appending costs one small write per record, where a file per instance cost a file and a rename,
/// and 4 KB of disk; a build killed at any moment leaves every line it finished, so the next build knows every instance
/// that had finished (a torn last line is ignored). <see cref="Compact"/> rewrites the file when most lines are old.
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
    private readonly Dictionary<string, RunRecord> _records;
    // The code fingerprint the next record would be read with, and how many lines the file has.
    private string? _code;
    private int _lines;
    // The file ends in the middle of a line (a build was killed while writing it): the next line starts on a line of its own.
    private bool _torn;

    private InstanceJournal(string path, string family, Dictionary<string, RunRecord> records, string? code, int lines, bool torn, int unreadable)
    {
        (_path, _family, _records, _code, _lines, _torn) = (path, family, records, code, lines, torn);
        UnreadableLines = unreadable;
    }

    /// <summary>Lines that were not a record: damaged, or written by something else. Their instances count as never run.</summary>
    public int UnreadableLines { get; }

    /// <summary>The keys that have a record, successful or failed.</summary>
    public IReadOnlyCollection<string> Keys => _records.Keys;

    public RunRecord? RecordOf(string key) => _records.GetValueOrDefault(key);

    /// <summary>Reads a family's journal; a missing file is an empty one.</summary>
    public static InstanceJournal Read(StateLayout layout, string family)
    {
        var path = layout.InstanceJournal(family);
        var records = new Dictionary<string, RunRecord>(Families.InstanceKeys.Comparer);
        string? code = null;
        var (lines, unreadable, lastUnreadable) = (0, 0, false);
        if (!File.Exists(path)) return new InstanceJournal(path, family, records, null, 0, false, 0);
        using (var reader = new StreamReader(path, Encoding.UTF8))
        {
            while (reader.ReadLine() is { } text)
            {
                lines++;
                var line = Parse(text);
                lastUnreadable = line is null;
                if (line is null) unreadable++;
                else if (line.Code is { } newCode) code = newCode;
                else if (line.Run is null) records.Remove(line.Key!);
                else if ((line.Run with { Task = Families.InstanceKeys.Name(family, line.Key!) }) is var run && RunRecord.IsWhole(run))
                    records[line.Key!] = run with { Code = run.Code ?? code };
                else (unreadable, lastUnreadable) = (unreadable + 1, true);
            }
        }
        var torn = EndsMidLine(path);
        // A torn last line is a build killed while writing it (its instance runs again), not damage worth a warning.
        return new InstanceJournal(path, family, records, code, lines, torn, torn && lastUnreadable ? unreadable - 1 : unreadable);
    }

    private static bool EndsMidLine(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length == 0) return false;
        file.Seek(-1, SeekOrigin.End);
        return file.ReadByte() != '\n';
    }

    /// <summary>Appends an instance's record, or (null) takes its record back.</summary>
    public void Write(string key, RunRecord? record)
    {
        var text = new StringBuilder(_torn ? "\n" : "");
        _torn = false;
        if (record?.Code is { } code && code != _code)
        {
            text.Append(JsonSerializer.Serialize(new JournalLine(null, null, code), Json)).Append('\n');
            _code = code;
            _lines++;
        }
        text.Append(Line(key, record));
        _lines++;
        if (_lines == 1 || !File.Exists(_path)) RemoveFilesOfEarlierVersions();
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
            file.Write(Encoding.UTF8.GetBytes(text.ToString()));
        if (record is null) _records.Remove(key);
        else _records[key] = record;
    }

    private static string Line(string key, RunRecord? record) =>
        JsonSerializer.Serialize(new JournalLine(key, record is null ? null : record with { Task = null!, Code = null }, null), Json) + "\n";

    /// <summary>
    /// Rewrites the journal with one line per record when a third of its lines are replaced records (every run of an
    /// instance adds two lines): through a temporary file and a rename, so a kill leaves the old journal or the new one.
    /// </summary>
    public void Compact()
    {
        if (_lines <= _records.Count * 3 / 2 + 64) return;
        var text = new StringBuilder();
        _code = null;
        _lines = 0;
        foreach (var (key, record) in _records)
        {
            if (record.Code is { } code && code != _code)
            {
                text.Append(JsonSerializer.Serialize(new JournalLine(null, null, code), Json)).Append('\n');
                _code = code;
                _lines++;
            }
            text.Append(Line(key, record));
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

    private static JournalLine? Parse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<JournalLine>(text, Json) is { } line && (line.Code is not null || line.Key is not null) ? line : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => $"{_family}: {_records.Count} record(s) in {_lines} line(s)";

    private sealed record JournalLine(string? Key, RunRecord? Run, string? Code);
}
