using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Dagdog.Build.Running;

/// <summary>
/// A result store in an Azure Blob Storage container (or its emulator, Azurite): blobs <c>entries/&lt;key&gt;.json</c> and
/// <c>content/&lt;sha256&gt;</c>, each created only if absent (If-None-Match: *), so concurrent pushes of one entry are harmless.
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

    public async Task<byte[]?> ReadManifest(string key, CancellationToken cancellation)
    {
        try
        {
            var content = await container.GetBlobClient(EntryName(key)).DownloadContentAsync(cancellation).ConfigureAwait(false);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task ReadContent(string sha256, Stream destination, CancellationToken cancellation) =>
        container.GetBlobClient(ContentName(sha256)).DownloadToAsync(destination, cancellation);

    public Task WriteContent(string sha256, string sourceFile, CancellationToken cancellation) =>
        WriteOnce(ContentName(sha256), blob => blob.UploadAsync(sourceFile, OnlyIfAbsent, cancellation), cancellation);

    public Task WriteManifest(string key, byte[] manifest, CancellationToken cancellation) =>
        WriteOnce(EntryName(key), blob => blob.UploadAsync(new BinaryData(manifest), OnlyIfAbsent, cancellation), cancellation);

    private static BlobUploadOptions OnlyIfAbsent => new() { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };

    private async Task WriteOnce(string blobName, Func<BlobClient, Task> upload, CancellationToken cancellation)
    {
        var blob = container.GetBlobClient(blobName);
        try
        {
            await upload(blob).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // The first push to a new container creates it.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellation).ConfigureAwait(false);
            await WriteOnce(blobName, upload, cancellation).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Stored already (by this machine earlier, or another build just now): the same bytes under the same name.
        }
    }

    private static string EntryName(string key) => $"entries/{key}.json";

    private static string ContentName(string sha256) => $"content/{sha256}";
}
