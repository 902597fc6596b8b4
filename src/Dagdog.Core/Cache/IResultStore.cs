namespace Dagdog.Cache;

/// <summary>
/// Where cached runs live (a folder, Azure Blob Storage; an S3 store would be one more of these). Entries are
/// content-addressed: a manifest under its run's key, each output's bytes under its SHA-256, so two builds writing the
/// same entry at once write the same bytes. An entry is written once, unless it was found damaged: then the next push
/// replaces it. A manifest or content that cannot be what Dagdog wrote (not a regular file, too large) throws
/// <see cref="DamagedEntryException"/>; any other failure throws, and <see cref="ResultCache"/> turns it into a warning.
/// </summary>
internal interface IResultStore
{
    /// <summary>Where the store is, for messages: never a secret (no key, no token).</summary>
    string Name { get; }

    /// <summary>The manifest stored under <paramref name="key"/>, at most <paramref name="longest"/> bytes, or null when there is none.</summary>
    Task<byte[]?> ReadManifest(string key, int longest, CancellationToken cancellation);

    /// <summary>Copies the bytes stored under <paramref name="sha256"/> to <paramref name="destination"/>.</summary>
    Task ReadContent(string sha256, Stream destination, CancellationToken cancellation);

    /// <summary>Stores a file's bytes under their SHA-256, unless the store already has them and <paramref name="replace"/> is false.</summary>
    Task WriteContent(string sha256, string sourceFile, bool replace, CancellationToken cancellation);

    /// <summary>Stores a manifest under its key, unless one is there already and <paramref name="replace"/> is false; true when it wrote.</summary>
    Task<bool> WriteManifest(string key, byte[] manifest, bool replace, CancellationToken cancellation);
}

/// <summary>What a store holds under a name cannot be an entry Dagdog wrote: the entry is damaged, the store is fine.</summary>
internal sealed class DamagedEntryException(string message) : Exception(message);
