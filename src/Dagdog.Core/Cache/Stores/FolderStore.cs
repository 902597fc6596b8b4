using Dagdog.State;

namespace Dagdog.Cache;

/// <summary>
/// A result store in a folder (local disk, a network share): <c>entries/&lt;key&gt;.json</c> and
/// <c>content/&lt;2 hex&gt;/&lt;sha256&gt;</c>. Each file is written under a temporary name and renamed into place, so a
/// reader never sees half a file and two writers of the same entry leave one whole copy. A folder that does not exist
/// is created on first use, as other build caches do; <paramref name="created"/> hears of it.
/// </summary>
internal sealed class FolderStore(string folder, Action<string> created) : IResultStore
{
    private readonly Lazy<bool> _exists = new(() =>
    {
        if (Directory.Exists(folder)) return true;
        Directory.CreateDirectory(folder);
        created(folder);
        return true;
    });

    public string Name => folder;

    public async Task<byte[]?> ReadManifest(string key, int longest, CancellationToken cancellation)
    {
        _ = _exists.Value;
        var path = EntryPath(key);
        if (!File.Exists(path)) return null;
        await using var file = OpenRegular(path);
        var bytes = new MemoryStream();
        await file.CopyToAsync(new BoundedStream(bytes, longest, $"its manifest is larger than {longest} bytes"), cancellation).ConfigureAwait(false);
        return bytes.ToArray();
    }

    public async Task ReadContent(string sha256, Stream destination, CancellationToken cancellation)
    {
        await using var source = OpenRegular(ContentPath(sha256));
        await source.CopyToAsync(destination, cancellation).ConfigureAwait(false);
    }

    public Task WriteContent(string sha256, string sourceFile, bool replace, CancellationToken cancellation) =>
        Task.FromResult(Write(ContentPath(sha256), replace, temporary => File.Copy(sourceFile, temporary, overwrite: true)));

    public Task<bool> WriteManifest(string key, byte[] manifest, bool replace, CancellationToken cancellation) =>
        Task.FromResult(Write(EntryPath(key), replace, temporary => File.WriteAllBytes(temporary, manifest)));

    // A link (to /dev/zero, say) or a device where a file should be was not written by Dagdog; a file a manifest names
    // that is gone is damage of that entry, not of the store.
    private static FileStream OpenRegular(string path) =>
        !File.Exists(path) ? throw new DamagedEntryException($"'{Path.GetFileName(path)}' is missing")
        : (File.GetAttributes(path) & (FileAttributes.ReparsePoint | FileAttributes.Device | FileAttributes.Directory)) == 0
            ? File.OpenRead(path)
            : throw new DamagedEntryException($"'{Path.GetFileName(path)}' is not a regular file");

    /// <summary>When the entry of <paramref name="key"/> was stored; null when there is none.</summary>
    public DateTime? StoredAt(string key) => File.Exists(EntryPath(key)) ? File.GetLastWriteTimeUtc(EntryPath(key)) : null;

    private bool Write(string path, bool replace, Action<string> write)
    {
        _ = _exists.Value;
        if (!replace && File.Exists(path)) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            write(temporary);
            // Another build may have stored the same bytes meanwhile: either copy is the whole entry. A damaged entry
            // is replaced whole, a link in its place included.
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>The readable entries, with when each was stored, oldest first (a local store's upkeep; a shared one is left to its owner).</summary>
    public IReadOnlyList<(CacheEntry Entry, DateTime Stored)> Entries()
    {
        var entries = Path.Combine(folder, "entries");
        if (!Directory.Exists(entries)) return [];
        return Directory.EnumerateFiles(entries, "*.json")
            .Select(path => (Entry: CacheEntry.FromJson(File.ReadAllBytes(path)), Stored: File.GetLastWriteTimeUtc(path)))
            .Where(found => found.Entry is not null).Select(found => (found.Entry!, found.Stored)).OrderBy(found => found.Stored).ToList();
    }

    /// <summary>Removes the entries of <paramref name="keys"/>, then every content file no remaining entry names.</summary>
    public void Remove(IReadOnlyCollection<string> keys)
    {
        foreach (var key in keys) TaskState.DeleteIfExists(EntryPath(key));
        var named = Entries().SelectMany(found => found.Entry.Outputs).Select(output => output.Sha256).ToHashSet(StringComparer.Ordinal);
        var content = Path.Combine(folder, "content");
        if (!Directory.Exists(content)) return;
        // A temporary file is another writer's content on its way in.
        foreach (var file in Directory.EnumerateFiles(content, "*", SearchOption.AllDirectories)
                     .Where(file => !file.EndsWith(".tmp", StringComparison.Ordinal) && !named.Contains(Path.GetFileName(file))).ToList())
            File.Delete(file);
    }

    private string EntryPath(string key) => Path.Combine(folder, "entries", $"{key}.json");

    private string ContentPath(string sha256) => Path.Combine(folder, "content", sha256[..2], sha256);
}
