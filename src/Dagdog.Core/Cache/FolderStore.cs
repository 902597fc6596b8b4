namespace Dagdog;

/// <summary>
/// A result store in a folder (local disk, a network share): <c>entries/&lt;key&gt;.json</c> and
/// <c>content/&lt;2 hex&gt;/&lt;sha256&gt;</c>. Each file is written under a temporary name and renamed into place, so a
/// reader never sees half a file and two writers of the same entry leave one whole copy.
/// </summary>
internal sealed class FolderStore(string folder) : IResultStore
{
    public string Name => folder;

    public async Task<byte[]?> ReadManifest(string key, CancellationToken cancellation)
    {
        var path = EntryPath(key);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The cache folder {folder} does not exist.");
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellation).ConfigureAwait(false) : null;
    }

    public async Task ReadContent(string sha256, Stream destination, CancellationToken cancellation)
    {
        await using var source = File.OpenRead(ContentPath(sha256));
        await source.CopyToAsync(destination, cancellation).ConfigureAwait(false);
    }

    public Task WriteContent(string sha256, string sourceFile, CancellationToken cancellation) =>
        WriteOnce(ContentPath(sha256), temporary => File.Copy(sourceFile, temporary, overwrite: true));

    public Task WriteManifest(string key, byte[] manifest, CancellationToken cancellation) =>
        WriteOnce(EntryPath(key), temporary => File.WriteAllBytes(temporary, manifest));

    private static Task WriteOnce(string path, Action<string> write)
    {
        if (File.Exists(path)) return Task.CompletedTask;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            write(temporary);
            // Another build may have stored the same bytes meanwhile: either copy is the whole entry.
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return Task.CompletedTask;
    }

    private string EntryPath(string key) => Path.Combine(folder, "entries", $"{key}.json");

    private string ContentPath(string sha256) => Path.Combine(folder, "content", sha256[..2], sha256);
}
