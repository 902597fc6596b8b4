namespace Dagdog.Watching;

/// <summary>
/// The operating system's file notifications (inotify on Linux) for a set of folders, each path reported to
/// <paramref name="saw"/>; a rename reports both names. When the notifications overflow, changes were lost:
/// <paramref name="overflowed"/> hears it, and the watch then evaluates the project again.
/// </summary>
internal sealed class FolderWatch(Action<string> saw, Action overflowed) : IDisposable
{
    private readonly Dictionary<(string Folder, bool Recursive), FileSystemWatcher> _watchers = [];

    /// <summary>Watches these folders from now on: new ones are added before those no longer wanted are removed, and the rest go on.</summary>
    public void Watch(IReadOnlyList<(string Folder, bool Recursive)> folders)
    {
        foreach (var (folder, recursive) in folders.Where(f => !_watchers.ContainsKey(f) && Directory.Exists(f.Folder)))
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = recursive,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Changed += (_, e) => saw(e.FullPath);
            watcher.Created += (_, e) => saw(e.FullPath);
            watcher.Deleted += (_, e) => saw(e.FullPath);
            watcher.Renamed += (_, e) =>
            {
                saw(e.OldFullPath);
                saw(e.FullPath);
            };
            watcher.Error += (_, _) => overflowed();
            watcher.EnableRaisingEvents = true;
            _watchers[(folder, recursive)] = watcher;
        }
        foreach (var unwanted in _watchers.Keys.Except(folders).ToList())
        {
            _watchers[unwanted].Dispose();
            _watchers.Remove(unwanted);
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers.Values) watcher.Dispose();
        _watchers.Clear();
    }
}
