namespace Dagdog.Build.Running;

/// <summary>The result store a <c>DagCache</c> value names: a folder (relative to the project, or absolute).</summary>
internal static class ResultStores
{
    public static IResultStore Open(string location, string projectDirectory) =>
        new FolderStore(Path.GetFullPath(location, projectDirectory));
}
