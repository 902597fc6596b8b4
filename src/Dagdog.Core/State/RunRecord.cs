using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dagdog.State;

/// <summary>What happened the last time a task ran, and, for a successful run, what it ran with and produced.</summary>
/// <param name="Code">The code fingerprint the task ran with.</param>
/// <param name="Inputs">Its declared inputs' hashes as the run started; for many inputs, <paramref name="InputDigest"/> instead.</param>
/// <param name="Outputs">Its declared outputs' hashes as the run finished.</param>
/// <param name="OutputVersion">What downstream tasks compare (see <see cref="FileHasher.OutputVersion"/>).</param>
/// <param name="Upstream">Each parent's output version when this run started.</param>
/// <param name="UpstreamKeys">Each parent family's instance keys when this run started (to say which instance came or went).</param>
/// <param name="Parameters">An instance's item metadata it ran with (<c>ForEachItem</c>).</param>
/// <param name="Instances">A family's record: its instances' keys, in key order.</param>
/// <param name="InstanceVersions">A family's record: each instance's output version, in the order of <paramref name="Instances"/>.</param>
/// <param name="InputDigest">For a task of more than <see cref="Dagdog.InputDigest.Largest"/> inputs (an aggregator): one hash over them all.</param>
internal sealed record RunRecord(
    string Task,
    bool Succeeded,
    DateTime StartedUtc,
    DateTime FinishedUtc,
    double Seconds,
    string Reason,
    string? Error = null,
    string? Code = null,
    IReadOnlyList<FileHash>? Inputs = null,
    IReadOnlyList<FileHash>? Outputs = null,
    string? OutputVersion = null,
    IReadOnlyDictionary<string, string>? Upstream = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? UpstreamKeys = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    IReadOnlyList<string>? Instances = null,
    IReadOnlyList<string?>? InstanceVersions = null,
    InputDigest? InputDigest = null)
{
    /// <summary>The format of a record; one of another format (a newer Dagdog's) is not read, and its task runs again.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The record's format, written first; records of the first version, which had none, are of format 1.</summary>
    [JsonPropertyOrder(-1)]
    public int? Format { get; init; } = CurrentFormat;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>Reads a record; null when the text is not one (a file written by something else, or damaged).</summary>
    public static RunRecord? FromJson(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<RunRecord>(text, Json) is { } record && IsWhole(record) ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether a record file is whole by its shape alone, as <see cref="ToJson"/> begins and ends it (or the first
    /// version, without a format), without parsing it: what a build checks of every stamp before MSBuild trusts the
    /// stamp's time. A record of another format is not: it is read, found unreadable, and removed.
    /// </summary>
    public static bool LooksWhole(string path) =>
        StateFiles.LooksWhole(path, [CurrentFormatStart, FirstVersionStart], "\n}\n");

    private static readonly string CurrentFormatStart = $"{{\n  \"format\": {CurrentFormat},";
    private const string FirstVersionStart = "{\n  \"task\":";

    /// <summary>Whether a record read from JSON is of this format and has what every record has (JSON leaves a missing property null).</summary>
    public static bool IsWhole(RunRecord record) =>
        record is { Format: CurrentFormat, Task: not null, Reason: not null }
        && record.Inputs?.Any(i => i?.Path is null || i.Sha256 is null) != true
        && record.Outputs?.Any(o => o?.Path is null || o.Sha256 is null) != true;
}
