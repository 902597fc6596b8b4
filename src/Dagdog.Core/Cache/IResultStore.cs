namespace Dagdog;

/// <summary>
/// Where cached runs live (a folder, Azure Blob Storage; an S3 store would be one more of these). Entries are
/// write-once and content-addressed: a manifest under its run's key, each output's bytes under its SHA-256, so two
/// builds writing the same entry at once write the same bytes. Any failure throws; <see cref="ResultCache"/> turns it
/// into a warning.
/// </summary>
internal interface IResultStore
{
    /// <summary>Where the store is, for messages: never a secret (no key, no token).</summary>
    string Name { get; }

    /// <summary>The manifest stored under <paramref name="key"/>, or null when there is none.</summary>
    Task<byte[]?> ReadManifest(string key, CancellationToken cancellation);

    /// <summary>Copies the bytes stored under <paramref name="sha256"/> to <paramref name="destination"/>.</summary>
    Task ReadContent(string sha256, Stream destination, CancellationToken cancellation);

    /// <summary>Stores a file's bytes under their SHA-256, unless the store already has them.</summary>
    Task WriteContent(string sha256, string sourceFile, CancellationToken cancellation);

    /// <summary>Stores a manifest under its key, unless one is there already.</summary>
    Task WriteManifest(string key, byte[] manifest, CancellationToken cancellation);
}
