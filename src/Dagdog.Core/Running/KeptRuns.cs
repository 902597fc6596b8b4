using System.Globalization;

namespace Dagdog.Running;

/// <summary>
/// The last runs' reports, kept under <c>obj/dag/runs/</c> (one file a run, named by when it started, so names sort by
/// time), the oldest removed beyond <c>DagKeptRuns</c>: what the board charts a task's durations from.
/// </summary>
internal static class KeptRuns
{
    private static readonly string Ran = StatusWords.Json(TurnStatus.Ran);

    public static void Keep(StateLayout layout, DateTime startedUtc, string report, int kept)
    {
        if (kept <= 0) return;
        StateFiles.WriteAtomically(Path.Combine(layout.KeptRunsFolder, startedUtc.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture) + ".json"), report);
        foreach (var old in Files(layout).SkipLast(kept)) TaskState.DeleteIfExists(old);
    }

    /// <summary>Each unit's (task's or instance's) durations over the kept runs in which it ran, oldest first.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<double>> Durations(StateLayout layout)
    {
        var durations = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var file in Files(layout))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                continue;
            }
            foreach (var entry in RunReport.Read(text)?.Tasks.SelectMany(t => t.Instances ?? [t]) ?? [])
            {
                if (entry is { Seconds: { } seconds } && entry.Status == Ran) (durations.TryGetValue(entry.Name, out var list) ? list : durations[entry.Name] = []).Add(seconds);
            }
        }
        return durations.ToDictionary(d => d.Key, d => (IReadOnlyList<double>)d.Value, StringComparer.Ordinal);
    }

    private static IEnumerable<string> Files(StateLayout layout) =>
        Directory.Exists(layout.KeptRunsFolder) ? Directory.EnumerateFiles(layout.KeptRunsFolder, "*.json").Order(StringComparer.Ordinal) : [];
}
