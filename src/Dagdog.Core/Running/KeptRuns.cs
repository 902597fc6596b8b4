using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Dagdog.State;

namespace Dagdog.Running;

/// <summary>
/// The last runs, kept under <c>obj/dag/runs/</c> for the board's history: each run's report (one file a run, named by
/// when it started, so names sort by time) and beside it the numbers its units' JSON outputs held then
/// (<c>.metrics.json</c>: each numeric leaf by its path in the file, <c>metrics.r2</c>); the oldest go beyond <c>DagKeptRuns</c>.
/// </summary>
internal static class KeptRuns
{
    // A JSON output is read for numbers up to this size, and gives this many at most.
    private const long MetricBytes = 1 << 20;
    private const int MetricsPerFile = 200;

    private const string MetricsExtension = ".metrics.json";

    private static readonly string Ran = StatusWords.Json(TurnStatus.Ran);

    /// <summary>What the kept runs say of one unit (a task, or an instance): in the runs it ran in, oldest first.</summary>
    /// <param name="Metrics">Each such run's numbers, by output file and by the leaf's path in it.</param>
    public sealed record UnitHistory(List<double> Seconds, List<IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> Metrics);

    public static void Keep(DagOnDisk onDisk, DateTime startedUtc, string report, int kept, IReadOnlyList<TurnResult> results)
    {
        var layout = onDisk.Layout;
        // A run in which nothing started (a watch's cycle that found everything up to date) says nothing new.
        if (kept > 0 && results.SelectMany(r => r.Units).Any(u => StatusWords.Started(u.Status)))
            Write(layout, startedUtc, report, onDisk, results);
        foreach (var old in Reports(layout).SkipLast(kept))
        {
            TaskState.DeleteIfExists(old);
            TaskState.DeleteIfExists(Path.ChangeExtension(old, null) + MetricsExtension);
        }
    }

    private static void Write(StateLayout layout, DateTime startedUtc, string report, DagOnDisk onDisk, IReadOnlyList<TurnResult> results)
    {
        var name = Path.Combine(layout.KeptRunsFolder, startedUtc.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture));
        StateFiles.WriteAtomically(name + ".json", report);
        StateFiles.WriteAtomically(name + MetricsExtension, JsonSerializer.Serialize(MetricsOf(onDisk, results)));
    }

    /// <summary>Each unit's durations and numbers over the kept runs in which it ran, oldest first.</summary>
    public static IReadOnlyDictionary<string, UnitHistory> Read(StateLayout layout)
    {
        var history = new Dictionary<string, UnitHistory>(StringComparer.Ordinal);
        foreach (var file in Reports(layout))
        {
            foreach (var ran in ReadOnce(file))
            {
                if (!history.TryGetValue(ran.Name, out var unit)) history[ran.Name] = unit = new([], []);
                unit.Seconds.Add(ran.Seconds);
                if (ran.Numbers is { Count: > 0 } found) unit.Metrics.Add(found);
            }
        }
        foreach (var gone in s_read.Keys.Where(report => !File.Exists(report))) s_read.TryRemove(gone, out _);
        return history;
    }

    // A kept run's two files are written once, under the name of its start: each run is read once a process (the
    // watch's board reads the history after every cycle), again only if either file's time changed, and forgotten once
    // it is no longer kept. A run that could not be read is not remembered.
    private static readonly ConcurrentDictionary<string, ReadRun> s_read = new(StringComparer.Ordinal);

    private sealed record ReadRun(DateTime ReportWritten, DateTime NumbersWritten, IReadOnlyList<UnitThatRan> Units);

    private sealed record UnitThatRan(string Name, double Seconds, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? Numbers);

    private static IReadOnlyList<UnitThatRan> ReadOnce(string report)
    {
        var numbers = Path.ChangeExtension(report, null) + MetricsExtension;
        var (reportWritten, numbersWritten) = (File.GetLastWriteTimeUtc(report), File.GetLastWriteTimeUtc(numbers));
        if (s_read.TryGetValue(report, out var read) && read.ReportWritten == reportWritten && read.NumbersWritten == numbersWritten) return read.Units;
        if (RunReport.Read(Text(report) ?? "") is not { } parsed) return [];
        var numbersText = Text(numbers);
        var metrics = Metrics(numbersText);
        var units = parsed.Tasks.SelectMany(t => t.Instances ?? [t])
            .Where(entry => entry.Seconds is not null && entry.Status == Ran)
            .Select(entry => new UnitThatRan(entry.Name, entry.Seconds!.Value, metrics.GetValueOrDefault(entry.Name)))
            .ToList();
        if (numbersText is not null || !File.Exists(numbers)) s_read[report] = new ReadRun(reportWritten, numbersWritten, units);
        return units;
    }

    // The numbers in the JSON outputs of each unit that ran, as its run record names the outputs.
    private static Dictionary<string, Dictionary<string, Dictionary<string, double>>> MetricsOf(DagOnDisk onDisk, IReadOnlyList<TurnResult> results)
    {
        var metrics = new Dictionary<string, Dictionary<string, Dictionary<string, double>>>(StringComparer.Ordinal);
        foreach (var unit in results.SelectMany(r => r.Units).Where(u => u.Status == TurnStatus.Ran))
        {
            var files = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
            foreach (var output in onDisk.StateOf(unit.Name).LastRun?.Outputs ?? [])
            {
                if (!output.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) continue;
                var full = Path.GetFullPath(output.Path, onDisk.Layout.ProjectDirectory);
                if (NumbersIn(full) is { Count: > 0 } numbers) files[Path.GetRelativePath(onDisk.Layout.ProjectDirectory, full).Replace('\\', '/')] = numbers;
            }
            if (files.Count > 0) metrics[unit.Name] = files;
        }
        return metrics;
    }

    /// <summary>Each numeric leaf of a JSON file by its path in it (<c>slope</c>, <c>metrics.r2</c>, <c>folds[0].auc</c>); none for a file too big or not JSON.</summary>
    public static Dictionary<string, double>? NumbersIn(string file)
    {
        try
        {
            if (new FileInfo(file) is not { Exists: true, Length: <= MetricBytes }) return null;
            using var json = JsonDocument.Parse(File.ReadAllBytes(file));
            var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
            Walk(json.RootElement, "", numbers);
            return numbers;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, double> numbers)
    {
        if (numbers.Count >= MetricsPerFile) return;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetDouble(out var value):
                numbers[path] = value;
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", numbers);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, $"{path}[{index++}]", numbers);
                break;
        }
    }

    private static Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> Metrics(string? text)
    {
        try
        {
            return text is null ? [] : JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, Dictionary<string, double>>>>(text)?
                .ToDictionary(u => u.Key, u => (IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>)u.Value.ToDictionary(f => f.Key, f => (IReadOnlyDictionary<string, double>)f.Value)) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string? Text(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllText(file) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<string> Reports(StateLayout layout) =>
        Directory.Exists(layout.KeptRunsFolder)
            ? Directory.EnumerateFiles(layout.KeptRunsFolder, "*.json").Where(f => !f.EndsWith(MetricsExtension, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [];
}
