using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Dagdog.State;

namespace Dagdog.Cache;

/// <summary>What looking a run up in the cache came to.</summary>
internal abstract record RestoreOutcome
{
    /// <summary>Every output was fetched, verified against its SHA-256 and put in place.</summary>
    public sealed record Restored(long Bytes, TimeSpan Took) : RestoreOutcome;

    public sealed record Missed : RestoreOutcome;

    /// <summary>The entry is damaged: the task runs as if there were no cache, and its push replaces the entry.</summary>
    public sealed record Damaged(string Why) : RestoreOutcome;

    /// <summary>The store could not be used (it was reported once, when it failed): the task runs as if there were no cache.</summary>
    public sealed record Unavailable : RestoreOutcome;
}

/// <summary>What storing a run came to.</summary>
internal enum PushOutcome
{
    /// <summary>A new entry was written.</summary>
    Stored,

    /// <summary>An entry was there already (another build stored the same run): nothing was written.</summary>
    AlreadyStored,

    /// <summary>The entry had been found damaged, and was replaced.</summary>
    Repaired,

    /// <summary>The store could not be used (it was reported once, when it failed).</summary>
    Unavailable,
}

/// <summary>
/// Restores a task's outputs from a store, or pushes them after a real run. Nothing half-fetched reaches the project:
/// outputs are fetched beside their place under temporary names, all verified, and only then renamed into place. What
/// is read is bounded by what an entry can hold, so a damaged store cannot fill memory or disk. A damaged entry is the
/// task's to report, and is replaced by its next push; a store that fails (unreachable, too slow, no access) is reported
/// once through <paramref name="unavailable"/>, and not asked again in the same build.
/// </summary>
internal sealed class ResultCache(IResultStore store, TimeSpan timeout, Action<string> unavailable)
{
    /// <summary>No manifest Dagdog writes is larger: about 80,000 outputs.</summary>
    public const int LongestManifest = 16 * 1024 * 1024;

    private const string FetchSuffix = ".dagdog-fetch";

    private readonly ConcurrentDictionary<string, bool> _damaged = new(StringComparer.Ordinal);
    private int _down;

    public string StoreName => store.Name;

    public async Task<RestoreOutcome> Restore(string key, IReadOnlyList<string> outputs, StateLayout layout)
    {
        if (IsDown) return new RestoreOutcome.Unavailable();
        var clock = Stopwatch.StartNew();
        var fetched = new List<(string Temporary, string Destination)>();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            if (await store.ReadManifest(key, LongestManifest, deadline.Token).ConfigureAwait(false) is not { } manifest) return new RestoreOutcome.Missed();
            if (CacheEntry.FromJson(manifest) is not { } entry || !entry.Outputs.Select(o => o.Path).Order(StringComparer.Ordinal).SequenceEqual(outputs.Order(StringComparer.Ordinal)))
                return Damaged(key, "an unreadable manifest");
            long bytes = 0;
            foreach (var output in entry.Outputs)
            {
                var destination = layout.DataFile(output.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                var temporary = destination + FetchSuffix;
                fetched.Add((temporary, destination));
                await using (var file = File.Create(temporary))
                {
                    await store.ReadContent(output.Sha256, new BoundedStream(file, output.Size, $"'{output.Path}' is larger than its manifest says"), deadline.Token)
                        .ConfigureAwait(false);
                }
                if (await Sha256Of(temporary, deadline.Token).ConfigureAwait(false) != output.Sha256)
                    return Damaged(key, $"'{output.Path}' does not match its SHA-256");
                bytes += new FileInfo(temporary).Length;
            }
            foreach (var (temporary, destination) in fetched) File.Move(temporary, destination, overwrite: true);
            fetched.Clear();
            return new RestoreOutcome.Restored(bytes, clock.Elapsed);
        }
        catch (DamagedEntryException e)
        {
            return Damaged(key, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            GoDown(e);
            return new RestoreOutcome.Unavailable();
        }
        finally
        {
            foreach (var (temporary, _) in fetched) File.Delete(temporary);
        }
    }

    /// <summary>Whether the store holds a readable entry for the key, without fetching it; null when the store failed.</summary>
    public async Task<bool?> Has(string key)
    {
        if (IsDown) return null;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await store.ReadManifest(key, LongestManifest, deadline.Token).ConfigureAwait(false) is { } manifest && CacheEntry.FromJson(manifest) is not null;
        }
        catch (DamagedEntryException)
        {
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            GoDown(e);
            return null;
        }
    }

    /// <summary>Stores a successful run's outputs and then its manifest; an entry found damaged in this build is replaced.</summary>
    public async Task<PushOutcome> Push(string key, string task, IReadOnlyList<FileHash> outputs, StateLayout layout)
    {
        if (IsDown) return PushOutcome.Unavailable;
        var replace = _damaged.ContainsKey(key);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            foreach (var output in outputs) await store.WriteContent(output.Sha256, layout.DataFile(output.Path), replace, deadline.Token).ConfigureAwait(false);
            var entry = new CacheEntry(CacheKey.Format, key, task, outputs.Select(o => new CachedOutput(o.Path, o.Sha256, o.Size)).ToList());
            // The manifest last: a reader that finds it finds every output it names.
            var wrote = await store.WriteManifest(key, entry.ToJson(), replace, deadline.Token).ConfigureAwait(false);
            return replace ? PushOutcome.Repaired : wrote ? PushOutcome.Stored : PushOutcome.AlreadyStored;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            GoDown(e);
            return PushOutcome.Unavailable;
        }
    }

    private RestoreOutcome.Damaged Damaged(string key, string why)
    {
        _damaged[key] = true;
        return new RestoreOutcome.Damaged($"its entry {Short(key)} is damaged ({why})");
    }

    private bool IsDown => Volatile.Read(ref _down) != 0;

    // The first failure is reported, once; the rest of the build does not wait for the store again, task after task.
    private void GoDown(Exception e)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0) unavailable(e is OperationCanceledException ? NoAnswer : OneLine(e));
    }

    private string NoAnswer => $"it did not answer within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";

    // Storage errors can run to many lines (the request, the headers); the first says what went wrong.
    private static string OneLine(Exception e) => e.Message.Split('\n')[0].Trim();

    // Enough of a key to find its entry in the store by eye.
    private static string Short(string key) => key[..Math.Min(12, key.Length)];

    private static async Task<string> Sha256Of(string path, CancellationToken cancellation)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellation).ConfigureAwait(false));
    }
}
