using Dagdog.Graph;

namespace Dagdog.Cache;

/// <summary>
/// The shared result cache a <c>DagCache</c> value names: a remote store (Azure Blob Storage, which the build layer
/// knows: its SDK stays out of the core, and so out of the worker), or a folder (relative to the project, or absolute).
/// </summary>
internal static class ResultStores
{
    // How long one restore or push may take before the store counts as unreachable.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The cache, or null when there is none or it cannot even be opened (a missing variable, a malformed URL: then the
    /// warning says why). A store that fails later is told once to <paramref name="unavailable"/> (as a warning), and a
    /// folder the store creates to <paramref name="created"/> (as the line to show).
    /// </summary>
    /// <param name="remote">The remote store a location names (it throws <see cref="FormatException"/> and the like for one it cannot use); null when it names none.</param>
    public static (ResultCache? Cache, DagProblem? Problem) Open(string location, string projectDirectory, Func<string, IResultStore?> remote, Action<DagProblem> unavailable,
        Action<string> created)
    {
        location = location.Trim();
        if (location.Length == 0) return (null, null);
        try
        {
            var store = remote(location) ?? new FolderStore(Path.GetFullPath(location, projectDirectory), folder => created($"Dag: cache: created the folder {folder}"));
            return (new ResultCache(store, Timeout, why => unavailable(new(DagCodes.CacheUnusable, null,
                $"The cache {store.Name} cannot be used: {why.TrimEnd('.')}. Tasks run as if there were no cache, and it is not asked again in this build.",
                IsWarning: true))), null);
        }
        catch (Exception e) when (e is FormatException or UriFormatException or InvalidOperationException or ArgumentException)
        {
            return (null, new(DagCodes.CacheUnusable, null, $"The cache '{location}' cannot be used: {e.Message.TrimEnd('.')}. Tasks run as if there were no cache.", IsWarning: true));
        }
    }
}
