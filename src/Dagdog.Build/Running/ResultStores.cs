using Dagdog.Running;
using Microsoft.Build.Utilities;

namespace Dagdog.Build.Running;

/// <summary>The shared result cache a <c>DagCache</c> value names: Azure Blob Storage, or a folder (relative to the project, or absolute).</summary>
internal static class ResultStores
{
    // How long one restore or push may take before the cache counts as unreachable for that task.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The cache, or null when there is none or it cannot even be opened (a missing variable, a malformed URL: warned
    /// about once). A store that fails later is warned about once too, and a folder it creates is said, both through
    /// <paramref name="dispatch"/>, which makes the log call on the thread that may log.
    /// </summary>
    public static ResultCache? Open(string location, string projectDirectory, TaskLoggingHelper log, LiveMessages live, string projectFile, Action<Action> dispatch)
    {
        location = location.Trim();
        if (location.Length == 0) return null;
        try
        {
            IResultStore store = AzureBlobStore.Takes(location)
                ? AzureBlobStore.Open(location)
                : new FolderStore(Path.GetFullPath(location, projectDirectory), folder => dispatch(() => live.Print($"Dag: cache: created the folder {folder}")));
            return new ResultCache(store, Timeout, why => dispatch(() => log.LogProblem(new(DagCodes.CacheUnusable, null,
                $"The cache {store.Name} cannot be used: {why.TrimEnd('.')}. Tasks run as if there were no cache, and it is not asked again in this build.",
                IsWarning: true), projectFile)));
        }
        catch (Exception e) when (e is FormatException or UriFormatException or InvalidOperationException or ArgumentException)
        {
            log.LogProblem(new(DagCodes.CacheUnusable, null, $"The cache '{location}' cannot be used: {e.Message.TrimEnd('.')}. Tasks run as if there were no cache.", IsWarning: true), projectFile);
            return null;
        }
    }

    /// <summary>
    /// The planned tasks that the cache would restore if they ran now: cacheable, with no parent that runs first (so
    /// their key is known), and an entry in the store. For dry runs and listings; inputs are hashed to know the keys.
    /// </summary>
    public static HashSet<DagNode> Restorable(ProjectDag project, IReadOnlyCollection<DagNode> planned, ResultCache cache)
    {
        var restorable = new HashSet<DagNode>();
        var runsFirst = planned.ToHashSet();
        foreach (var task in planned.Where(t => t.Cacheable && !t.Parents.Any(runsFirst.Contains)))
        {
            var codeFile = project.Layout.CodeFile(task.Name);
            if (!File.Exists(codeFile)) continue;
            var key = new TaskRun(project.OnDisk(task)).ProspectiveCacheKey(File.ReadAllText(codeFile), task.Declaration.Outputs);
            if (cache.Has(key).GetAwaiter().GetResult() == true) restorable.Add(task);
        }
        return restorable;
    }
}
