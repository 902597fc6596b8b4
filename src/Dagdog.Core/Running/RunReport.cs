using System.Text.Json.Serialization;
using System.Text.Json;
using Dagdog.Graph;
using Dagdog.State;

namespace Dagdog.Running;

/// <summary>
/// <c>obj/dag/last-run.json</c>, written by every build that gave a task a turn, for scripts and CI (the one owner of
/// its format, documented in README "Run report"): the selection, when the run started and ended, how many jobs it had,
/// and each task's status, reason, start, duration, worker and output version (a family's instances each with theirs).
/// </summary>
internal static class RunReport
{
    public const int Format = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public sealed record Report(int Format, string Selection, DateTime StartedUtc, DateTime FinishedUtc, int Jobs, IReadOnlyList<TaskEntry> Tasks);

    /// <param name="Status"><c>ran</c>, <c>up-to-date</c>, <c>restored</c>, <c>failed</c>, <c>not-run</c> or <c>interrupted</c>.</param>
    /// <param name="Reason">Why it ran or was restored; for a task not run, the upstream task that stopped it.</param>
    /// <param name="Error">The error's code and message, for a failed or interrupted task.</param>
    /// <param name="Key">For an instance of a family, its key (its name is then <c>Fit[adelie]</c>).</param>
    /// <param name="Instances">For a family, each of its instances, in key order.</param>
    public sealed record TaskEntry(int Index, string Name, string Status, string? Reason, DateTime? StartedUtc, double? Seconds, int? Worker,
        string? OutputVersion, string? Error, string? Key = null, [property: JsonConverter(typeof(OneLineEach))] IReadOnlyList<TaskEntry>? Instances = null);

    // A family's instances one line each: 100,000 instances indented over ten lines each made a third of obj/dag.
    private sealed class OneLineEach : JsonConverter<IReadOnlyList<TaskEntry>>
    {
        private static readonly JsonSerializerOptions Compact = new(Json) { WriteIndented = false };

        public override IReadOnlyList<TaskEntry>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<List<TaskEntry>>(ref reader, options);

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<TaskEntry> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            // The writer indents what it writes, not a raw value: each line starts as it would.
            var indent = "\n" + new string(' ', 2 * writer.CurrentDepth);
            foreach (var entry in value) writer.WriteRawValue(indent + JsonSerializer.Serialize(entry, Compact), skipInputValidation: true);
            writer.WriteEndArray();
        }
    }

    /// <summary>Writes the report, and keeps a copy of it with the last <paramref name="kept"/> runs' (<see cref="KeptRuns"/>).</summary>
    public static void Write(DagOnDisk onDisk, string selection, DateTime startedUtc, int jobs, IReadOnlyList<TurnResult> results, int kept)
    {
        var statusOf = results.ToDictionary(r => r.Task, r => r.Status);
        var report = new Report(Format, selection, startedUtc, DateTime.UtcNow, jobs, results.Select(result => Entry(result, statusOf)).ToList());
        var text = JsonSerializer.Serialize(report, Json) + "\n";
        StateFiles.WriteAtomically(onDisk.Layout.RunReportFile, text);
        KeptRuns.Keep(onDisk, startedUtc, text, kept, results);
    }

    public static Report? Read(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<Report>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TaskEntry Entry(TurnResult result, IReadOnlyDictionary<DagNode, TurnStatus> statusOf)
    {
        var ran = StatusWords.Started(result.Status) && result.StartedUtc is not null;
        return new TaskEntry(result.Task.Index, result.Name, StatusWords.Json(result.Status),
            result.Status == TurnStatus.NotRun ? WhyNotRun(result, statusOf) : result.Reason,
            ran ? result.StartedUtc : null, ran ? Math.Round(result.Seconds, 3) : null, result.Worker, result.OutputVersion,
            result.Error is { } error ? $"{error.Code}: {error.Message}" : null, result.Key,
            result.Task.Family is not null && result.Key is null ? result.Instances.Select(instance => Entry(instance, statusOf)).ToList() : null);
    }

    /// <summary>
    /// Why a task was not run: <c>upstream Fit failed</c> (or <c>was interrupted</c>), <c>upstream Fit did not run</c> when that
    /// one was not run either, or <c>the build stopped</c> (after a failure, or Ctrl+C). The summary says the same.
    /// </summary>
    public static string WhyNotRun(TurnResult result, IReadOnlyDictionary<DagNode, TurnStatus> statusOf) => result.Cause switch
    {
        { } cause when statusOf.GetValueOrDefault(cause) is TurnStatus.Failed => $"upstream {cause.Name} failed",
        { } cause when statusOf.GetValueOrDefault(cause) is TurnStatus.Interrupted => $"upstream {cause.Name} was interrupted",
        { } cause => $"upstream {cause.Name} did not run",
        null when result.Reason is { } reason => reason,
        null when statusOf.Values.Contains(TurnStatus.Interrupted) => "the build was interrupted",
        null => "the build stopped",
    };

    /// <summary>Why a task whose Slurm job had not started yet (queued, or being allocated) at Ctrl+C did not run.</summary>
    public const string InterruptedBeforeStart = "interrupted before its Slurm job started";
}
