using System.Globalization;
using Dagdog.Families;

namespace Dagdog;

/// <summary>
/// What forgetting an instance keeps, so that forgetting is reversible (docs/design.md, "Forgetting is reversible"):
/// the outputs of an instance whose file or item is gone leave the project but are kept in <c>obj/dag/forgotten/</c>, a
/// result store of the shared cache's own shape and key (the instance's key, code, parameters, input contents and
/// upstream outputs). An instance that comes back as it was is restored from it without running; with anything
/// changed, its key differs and it runs. The store is bounded: beyond the limit, the oldest entries go first.
/// </summary>
internal sealed class ForgottenResults
{
    private readonly FolderStore _store;
    private readonly ResultCache _cache;
    private readonly long _limitBytes;

    public ForgottenResults(StateLayout layout, long limitBytes)
    {
        _store = new FolderStore(layout.ForgottenFolder, _ => { });
        // A local folder: a failure of it is a file problem of the turn that used it, reported there.
        _cache = new ResultCache(_store, TimeSpan.FromMinutes(5), _ => { });
        _limitBytes = limitBytes;
    }

    /// <summary>The key a run had, from its record: the one <see cref="TaskRun.CacheKey"/> gives a run that starts with the same.</summary>
    public static string KeyOf(RunRecord record) =>
        CacheKey.Of(record.Code!, record.Inputs ?? [], record.Upstream ?? new Dictionary<string, string>(), (record.Outputs ?? []).Select(output => output.Path).ToList(),
            record.Task, record.Parameters);

    /// <summary>Keeps the outputs of a forgotten instance's last successful run, while they still hold what it wrote; false when there is nothing to keep.</summary>
    public async Task<bool> Keep(RunRecord lastRun, StateLayout layout)
    {
        if (lastRun is not { Succeeded: true, Code: not null, Outputs.Count: > 0 }) return false;
        return await _cache.Push(KeyOf(lastRun), lastRun.Task, lastRun.Outputs, layout).ConfigureAwait(false) is PushOutcome.Stored or PushOutcome.AlreadyStored;
    }

    /// <summary>Restores what a forgotten run of the same key wrote; when it was kept, if it was.</summary>
    public async Task<(RestoreOutcome Outcome, DateTime? Kept)> Restore(string key, IReadOnlyList<string> outputs, StateLayout layout)
    {
        var kept = _store.Entries().FirstOrDefault(found => found.Entry.Key == key).Stored;
        return (await _cache.Restore(key, outputs, layout).ConfigureAwait(false), kept == default ? null : kept);
    }

    /// <summary>Empties what is kept of a family's instances (DagForget, DagReset).</summary>
    public void ForgetFamily(string family) =>
        _store.Remove(_store.Entries().Where(found => InstanceKeys.Split(found.Entry.Task) is (var task, _) && TaskNames.Comparer.Equals(task, family))
            .Select(found => found.Entry.Key).ToList());

    /// <summary>Removes the oldest entries until what is kept fits the limit; returns how many went.</summary>
    public int Evict()
    {
        var entries = _store.Entries();
        var sizes = entries.SelectMany(found => found.Entry.Outputs).GroupBy(output => output.Sha256).ToDictionary(group => group.Key, group => group.First().Size);
        var held = sizes.Values.Sum();
        if (held <= _limitBytes) return 0;
        // Content is stored once however many entries name it: an entry frees the bytes no later entry needs.
        var stillNamed = entries.SelectMany(found => found.Entry.Outputs).GroupBy(output => output.Sha256).ToDictionary(group => group.Key, group => group.Count());
        var evicted = new List<string>();
        foreach (var (entry, _) in entries)
        {
            if (held <= _limitBytes) break;
            evicted.Add(entry.Key);
            foreach (var output in entry.Outputs.DistinctBy(output => output.Sha256))
            {
                if (--stillNamed[output.Sha256] == 0) held -= sizes[output.Sha256];
            }
        }
        _store.Remove(evicted);
        return evicted.Count;
    }

    /// <summary>How long ago, in words: <c>12 min ago</c>.</summary>
    public static string Ago(DateTime kept)
    {
        var age = DateTime.UtcNow - kept;
        return age.TotalMinutes < 1 ? "moments ago"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalDays < 1 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} day(s) ago, {kept.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
    }
}
