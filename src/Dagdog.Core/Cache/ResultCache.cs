using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Dagdog;

/// <summary>What looking a run up in the cache came to.</summary>
internal abstract record RestoreOutcome
{
    /// <summary>Every output was fetched, verified against its SHA-256 and put in place.</summary>
    public sealed record Restored(long Bytes, TimeSpan Took) : RestoreOutcome;

    public sealed record Missed : RestoreOutcome;

    /// <summary>The store could not be used, or its entry was damaged: the task runs as if there were no cache.</summary>
    public sealed record Failed(string Why) : RestoreOutcome;
}

/// <summary>
/// Restores a task's outputs from a store, or pushes them after a real run. Nothing half-fetched reaches the project:
/// outputs are fetched beside their place under temporary names, all verified, and only then renamed into place. Any
/// failure of the store (unreachable, too slow, no access, damaged entry) is returned as a reason, never thrown.
/// </summary>
internal sealed class ResultCache(IResultStore store, TimeSpan timeout)
{
    private const string FetchSuffix = ".dagdog-fetch";

    // Once the store failed to answer, the rest of the build does not wait for it again, task after task.
    private string? _down;

    public string StoreName => store.Name;

    public async Task<RestoreOutcome> Restore(string key, IReadOnlyList<string> outputs, StateLayout layout)
    {
        if (_down is not null) return new RestoreOutcome.Failed(_down);
        var clock = Stopwatch.StartNew();
        var fetched = new List<(string Temporary, string Destination)>();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            if (await store.ReadManifest(key, deadline.Token).ConfigureAwait(false) is not { } manifest) return new RestoreOutcome.Missed();
            if (CacheEntry.FromJson(manifest) is not { } entry || !entry.Outputs.Select(o => o.Path).Order(StringComparer.Ordinal).SequenceEqual(outputs.Order(StringComparer.Ordinal)))
                return new RestoreOutcome.Failed($"its entry {Short(key)} is damaged (an unreadable manifest)");
            long bytes = 0;
            foreach (var output in entry.Outputs)
            {
                var destination = layout.DataFile(output.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                var temporary = destination + FetchSuffix;
                fetched.Add((temporary, destination));
                await using (var file = File.Create(temporary)) await store.ReadContent(output.Sha256, file, deadline.Token).ConfigureAwait(false);
                if (await Sha256Of(temporary, deadline.Token).ConfigureAwait(false) != output.Sha256)
                    return new RestoreOutcome.Failed($"its entry {Short(key)} is damaged ('{output.Path}' does not match its SHA-256)");
                bytes += new FileInfo(temporary).Length;
            }
            foreach (var (temporary, destination) in fetched) File.Move(temporary, destination, overwrite: true);
            fetched.Clear();
            return new RestoreOutcome.Restored(bytes, clock.Elapsed);
        }
        catch (OperationCanceledException)
        {
            return new RestoreOutcome.Failed(_down = NoAnswer);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new RestoreOutcome.Failed(_down = OneLine(e));
        }
        finally
        {
            foreach (var (temporary, _) in fetched) File.Delete(temporary);
        }
    }

    /// <summary>Whether the store holds a readable entry for the key, without fetching it; null when the store failed.</summary>
    public async Task<bool?> Has(string key)
    {
        if (_down is not null) return null;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await store.ReadManifest(key, deadline.Token).ConfigureAwait(false) is { } manifest && CacheEntry.FromJson(manifest) is not null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _down = e is OperationCanceledException ? NoAnswer : OneLine(e);
            return null;
        }
    }

    /// <summary>Stores a successful run's outputs and then its manifest; null when pushed, or why it could not be.</summary>
    public async Task<string?> Push(string key, string task, IReadOnlyList<FileHash> outputs, StateLayout layout)
    {
        if (_down is not null) return _down;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            foreach (var output in outputs) await store.WriteContent(output.Sha256, layout.DataFile(output.Path), deadline.Token).ConfigureAwait(false);
            var entry = new CacheEntry(CacheKey.Format, key, task, outputs.Select(o => new CachedOutput(o.Path, o.Sha256, o.Size)).ToList());
            // The manifest last: a reader that finds it finds every output it names.
            await store.WriteManifest(key, entry.ToJson(), deadline.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            return _down = NoAnswer;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return _down = OneLine(e);
        }
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
