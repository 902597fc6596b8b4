using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dagdog;

/// <summary>What happened the last time a task ran, and, for a successful run, what it ran with and produced.</summary>
/// <param name="Code">The code fingerprint the task ran with.</param>
/// <param name="Inputs">Its declared inputs' hashes as the run started.</param>
/// <param name="Outputs">Its declared outputs' hashes as the run finished.</param>
/// <param name="OutputVersion">What downstream tasks compare (see <see cref="FileHasher.OutputVersion"/>).</param>
/// <param name="Upstream">Each parent's output version when this run started.</param>
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
    IReadOnlyDictionary<string, string>? Upstream = null)
{
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
            var record = JsonSerializer.Deserialize<RunRecord>(text, Json);
            return record is { Task: not null, Reason: not null }
                   && record.Inputs?.Any(i => i?.Path is null || i.Sha256 is null) != true
                   && record.Outputs?.Any(o => o?.Path is null || o.Sha256 is null) != true
                ? record
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
