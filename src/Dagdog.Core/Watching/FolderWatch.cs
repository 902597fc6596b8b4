namespace Dagdog.Watching;

/// <summary>
/// The operating system's file notifications (inotify on Linux) for a set of folders, each path reported to
/// <paramref name="saw"/>; a rename reports both names. When the notifications overflow, changes were lost:
/// <paramref name="overflowed"/> hears it, and the watch then evaluates the project again.
/// </summary>
internal sealed class FolderWatch(Action<string> saw, Action overflowed) : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private IReadOnlyList<(string Folder, bool Recursive)> _folders = [];

    /// <summary>Watches these folders from now on (only those that changed are set up again).</summary>
    public void Watch(IReadOnlyList<(string Folder, bool Recursive)> folders)
    {
        if (folders.SequenceEqual(_folders)) return;
        Stop();
        _folders = folders;
        foreach (var (folder, recursive) in folders.Where(f => Directory.Exists(f.Folder)))
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
            _watchers.Add(watcher);
        }
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        foreach (var watcher in _watchers) watcher.Dispose();
        _watchers.Clear();
    }
}
