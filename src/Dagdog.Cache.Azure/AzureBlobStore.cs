using Azure.Core;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs;
using Azure;
using Dagdog.Cache;

namespace Dagdog.Cache.Azure;

/// <summary>
/// A result store in an Azure Blob Storage container (or its emulator, Azurite): blobs <c>entries/&lt;key&gt;.json</c> and
/// <c>content/&lt;sha256&gt;</c>, each created only if absent (If-None-Match: *), so concurrent pushes of one entry are
/// harmless; a damaged entry is overwritten.
/// </summary>
internal sealed class AzureBlobStore(BlobContainerClient container, string name) : IResultStore
{
    private const string FromEnvironment = "azure:";

    // One quick retry: an unreachable store should cost a task seconds, not minutes.
    private static readonly BlobClientOptions Options = new()
    {
        Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(200), Mode = RetryMode.Fixed, NetworkTimeout = TimeSpan.FromSeconds(30) },
    };

    public string Name => name;

    /// <summary>True for the DagCache values this store takes: <c>https://…/container</c> or <c>azure:VARIABLE/container</c>.</summary>
    public static bool Takes(string location) =>
        location.StartsWith(FromEnvironment, StringComparison.Ordinal) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The store a DagCache value names, when it names one in Azure Blob Storage; null otherwise (see <see cref="ResultStores.Open"/>).</summary>
    public static IResultStore? OpenIfNamed(string location) => Takes(location) ? Open(location) : null;

    /// <summary>
    /// A container by URL (a SAS token may follow in the query; it is never shown), or <c>azure:VARIABLE/container</c>,
    /// with the account's connection string in the environment variable VARIABLE, so that no key is ever in a project file or a log.
    /// </summary>
    public static AzureBlobStore Open(string location)
    {
        if (!location.StartsWith(FromEnvironment, StringComparison.Ordinal))
        {
            var url = new Uri(location);
            return new(new BlobContainerClient(url, Options), url.GetLeftPart(UriPartial.Path));
        }
        var parts = location[FromEnvironment.Length..].Split('/', 2);
        if (parts is not [{ Length: > 0 } variable, { Length: > 0 } containerName])
            throw new FormatException($"DagCache '{location}' should be azure:VARIABLE/container, VARIABLE holding the storage account's connection string.");
        var connection = Environment.GetEnvironmentVariable(variable)
                         ?? throw new InvalidOperationException($"the environment variable {variable}, which DagCache names for the connection string, is not set");
        return new(new BlobContainerClient(connection, containerName, Options), $"{FromEnvironment}{variable}/{containerName}");
    }

    public async Task<byte[]?> ReadManifest(string key, int longest, CancellationToken cancellation)
    {
        try
        {
            using var download = (await container.GetBlobClient(EntryName(key)).DownloadStreamingAsync(cancellationToken: cancellation).ConfigureAwait(false)).Value;
            var bytes = new MemoryStream();
            await download.Content.CopyToAsync(new BoundedStream(bytes, longest, $"its manifest is larger than {longest} bytes"), cancellation).ConfigureAwait(false);
            return bytes.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task ReadContent(string sha256, Stream destination, CancellationToken cancellation) =>
        container.GetBlobClient(ContentName(sha256)).DownloadToAsync(destination, cancellation);

    public Task WriteContent(string sha256, string sourceFile, bool replace, CancellationToken cancellation) =>
        Write(ContentName(sha256), (blob, options) => blob.UploadAsync(sourceFile, options, cancellation), replace, cancellation);

    public Task<bool> WriteManifest(string key, byte[] manifest, bool replace, CancellationToken cancellation) =>
        Write(EntryName(key), (blob, options) => blob.UploadAsync(new BinaryData(manifest), options, cancellation), replace, cancellation);

    // Created only if absent (If-None-Match: *), unless a damaged blob is being replaced.
    private static BlobUploadOptions UploadOptions(bool replace) =>
        replace ? new() : new() { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };

    private async Task<bool> Write(string blobName, Func<BlobClient, BlobUploadOptions, Task> upload, bool replace, CancellationToken cancellation)
    {
        var blob = container.GetBlobClient(blobName);
        try
        {
            await upload(blob, UploadOptions(replace)).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // The first push to a new container creates it.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellation).ConfigureAwait(false);
            return await Write(blobName, upload, replace, cancellation).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Stored already (by this machine earlier, or another build just now): the same bytes under the same name.
            return false;
        }
    }

    private static string EntryName(string key) => $"entries/{key}.json";

    private static string ContentName(string sha256) => $"content/{sha256}";
}
