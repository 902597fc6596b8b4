namespace Dagdog.Build.Running;

/// <summary>The result store a <c>DagCache</c> value names: Azure Blob Storage, or a folder (relative to the project, or absolute).</summary>
internal static class ResultStores
{
    public static IResultStore Open(string location, string projectDirectory) =>
        AzureBlobStore.Takes(location) ? AzureBlobStore.Open(location) : new FolderStore(Path.GetFullPath(location, projectDirectory));
}
