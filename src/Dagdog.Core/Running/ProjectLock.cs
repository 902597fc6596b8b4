using System.Globalization;
using Dagdog.Graph;
using Dagdog.State;

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

    /// <summary>
    /// Takes the lock, waiting while another process holds it; <paramref name="waiting"/> is told once who that is
    /// (<c>process 4242</c>, or <c>another process</c> when the one named in the owner file is no longer alive). Any
    /// other error on the lock file (a read-only or full disk) is thrown at once: only a real lock means "wait".
    /// </summary>
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
        catch (IOException e) when (IoErrors.IsLockConflict(e))
        {
            return null;
        }
    }

    private static string ReadOwner(StateLayout layout)
    {
        try
        {
            // The owner file can outlive its process (killed before the next build rewrote it): name only a live one.
            return int.TryParse(File.ReadAllText(layout.LockOwnerFile).Trim(), CultureInfo.InvariantCulture, out var pid) && IsAlive(pid)
                ? $"process {pid}"
                : "another process";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "another process";
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose() => _file.Dispose();
}
