using System.Globalization;

namespace Dagdog.Running;

/// <summary>
/// One build at a time runs a project's tasks. The lock is the operating system's lock on an open file (FileShare.None:
/// flock on Linux and macOS, a share lock on Windows), so it goes with its holder's process however that ends, even
/// by kill -9; a marker file would outlive a killed build and block every build after it.
/// </summary>
internal sealed class ProjectLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly FileStream _file;

    private ProjectLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, waiting while another process holds it; <paramref name="waiting"/> is told once who that is.</summary>
    /// <returns>The held lock, or null when <paramref name="cancellation"/> ended the wait.</returns>
    public static ProjectLock? Acquire(StateLayout layout, Action<string> waiting, CancellationToken cancellation)
    {
        Directory.CreateDirectory(layout.StateDirectory);
        var told = false;
        while (!cancellation.IsCancellationRequested)
        {
            if (TryTake(layout.LockFile) is { } file)
            {
                StateFiles.WriteAtomically(layout.LockOwnerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                return new ProjectLock(file);
            }
            if (!told)
            {
                waiting(ReadOwner(layout));
                told = true;
            }
            cancellation.WaitHandle.WaitOne(Poll);
        }
        return null;
    }

    private static FileStream? TryTake(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string ReadOwner(StateLayout layout)
    {
        try
        {
            return File.Exists(layout.LockOwnerFile) ? File.ReadAllText(layout.LockOwnerFile).Trim() : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public void Dispose() => _file.Dispose();
}
