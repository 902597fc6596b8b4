using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dagdog;

/// <summary>What happened the last time a task ran.</summary>
public sealed record RunRecord(
    string Task,
    bool Succeeded,
    DateTime StartedUtc,
    DateTime FinishedUtc,
    double Seconds,
    string Reason,
    string? Error = null)
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
            return record is { Task: not null, Reason: not null } ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
