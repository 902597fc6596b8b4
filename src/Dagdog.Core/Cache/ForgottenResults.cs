using System.Globalization;
using Dagdog.Families;
using Dagdog.Graph;
using Dagdog.State;

namespace Dagdog.Cache;

/// <summary>What keeping a forgotten instance's outputs came to.</summary>
internal enum KeepOutcome
{
    /// <summary>They are kept: the outputs may leave the project.</summary>
    Kept,

    /// <summary>There is nothing to keep: no successful run, an output it did not write, or more than the limit holds.</summary>
    NothingToKeep,

    /// <summary>The store could not keep them (a full disk, say): the outputs must stay where they are.</summary>
    Failed,
}

/// <summary>
/// What forgetting an instance keeps, so that forgetting is reversible (docs/design.md, "Forgetting is reversible"):
/// the outputs of an instance whose file or item is gone leave the project but are kept in <c>obj/dag/forgotten/</c>, a
/// result store of the shared cache's own shape and key (the instance's key, code, parameters, input contents and
/// upstream outputs). An instance that comes back as it was is restored from it without running; with anything
/// changed, its key differs and it runs. The store is bounded: beyond the limit, the oldest entries go first. Its
/// upkeep is one at a time (families take their turns in parallel).
/// </summary>
internal sealed class ForgottenResults
{
    private readonly FolderStore _store;
    private readonly ResultCache _cache;
    private readonly long _limitBytes;
    private readonly SemaphoreSlim _upkeep = new(1, 1);
    private string? _failure;
    private int _kept;

    public ForgottenResults(StateLayout layout, long limitBytes)
    {
        _store = new FolderStore(layout.ForgottenFolder, _ => { });
        _cache = new ResultCache(_store, TimeSpan.FromMinutes(5), why => _failure = why);
        _limitBytes = limitBytes;
    }

    /// <summary>The store of a run; one that only decides reads it if it is there and creates nothing.</summary>
    public static ForgottenResults? For(StateLayout layout, long limitBytes, bool decideOnly) =>
        !decideOnly || Directory.Exists(layout.ForgottenFolder) ? new ForgottenResults(layout, limitBytes) : null;

    /// <summary>Why the store failed in this build, if it did: the caller reports it once.</summary>
    public string? Failure => _failure;

    /// <summary>The key a run had, from its record: the one <see cref="TaskRun.CacheKey"/> gives a run that starts with the same.</summary>
    public static string KeyOf(RunRecord record) =>
        CacheKey.Of(record.Code!, record.Inputs ?? [], record.Upstream ?? new Dictionary<string, string>(), (record.Outputs ?? []).Select(output => output.Path).ToList(),
            record.Task, record.Parameters);

    /// <summary>Keeps the outputs of a forgotten instance's last successful run, which still hold what it wrote (the caller checked).</summary>
    /// <param name="declaredOutputs">How many outputs the instance declares: a run that did not write them all is never restored, so it is not kept.</param>
    public async Task<KeepOutcome> Keep(RunRecord lastRun, int declaredOutputs, StateLayout layout)
    {
        if (lastRun is not { Succeeded: true, Code: not null, Outputs.Count: > 0 } || lastRun.Outputs.Count != declaredOutputs
            || lastRun.Outputs.DistinctBy(output => output.Sha256).Sum(output => output.Size) > _limitBytes)
            return KeepOutcome.NothingToKeep;
        await _upkeep.WaitAsync().ConfigureAwait(false);
        try
        {
            var pushed = await _cache.Push(KeyOf(lastRun), lastRun.Task, lastRun.Outputs, layout).ConfigureAwait(false);
            if (pushed is not (PushOutcome.Stored or PushOutcome.AlreadyStored)) return KeepOutcome.Failed;
            Interlocked.Increment(ref _kept);
            return KeepOutcome.Kept;
        }
        finally
        {
            _upkeep.Release();
        }
    }

    /// <summary>Whether what a forgotten run of this key wrote is kept (a dry run's "would restore").</summary>
    public bool Has(string key) => _store.StoredAt(key) is not null;

    /// <summary>Restores what a forgotten run of the same key wrote; with when it was kept.</summary>
    public async Task<(RestoreOutcome Outcome, DateTime? Kept)> Restore(string key, IReadOnlyList<string> outputs, StateLayout layout)
    {
        await _upkeep.WaitAsync().ConfigureAwait(false);
        try
        {
            var kept = _store.StoredAt(key);
            return (kept is null ? new RestoreOutcome.Missed() : await _cache.Restore(key, outputs, layout).ConfigureAwait(false), kept);
        }
        finally
        {
            _upkeep.Release();
        }
    }

    /// <summary>Empties what is kept of a family's instances (DagForget, DagReset).</summary>
    public void ForgetFamily(string family) => Upkeep(() =>
        _store.Remove(_store.Entries().Where(found => InstanceKeys.Split(found.Entry.Task) is (var task, _) && TaskNames.Comparer.Equals(task, family))
            .Select(found => found.Entry.Key).ToList()));

    /// <summary>
    /// After a build that kept something: removes the oldest entries until what is kept fits the limit, and returns how
    /// many went. Content is stored once however many entries name it: an entry frees the bytes no later entry needs.
    /// </summary>
    public int Evict()
    {
        if (Volatile.Read(ref _kept) == 0) return 0;
        var evicted = new List<string>();
        Upkeep(() =>
        {
            var entries = _store.Entries();
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            var namedBy = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var output in entries.SelectMany(found => found.Entry.Outputs.DistinctBy(output => output.Sha256)))
            {
                sizes[output.Sha256] = output.Size;
                namedBy[output.Sha256] = namedBy.GetValueOrDefault(output.Sha256) + 1;
            }
            var held = sizes.Values.Sum();
            foreach (var (entry, _) in entries)
            {
                if (held <= _limitBytes) break;
                evicted.Add(entry.Key);
                foreach (var output in entry.Outputs.DistinctBy(output => output.Sha256))
                {
                    if (--namedBy[output.Sha256] == 0) held -= sizes[output.Sha256];
                }
            }
            if (evicted.Count > 0) _store.Remove(evicted);
        });
        return evicted.Count;
    }

    private void Upkeep(Action work)
    {
        _upkeep.Wait();
        try
        {
            work();
        }
        finally
        {
            _upkeep.Release();
        }
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
