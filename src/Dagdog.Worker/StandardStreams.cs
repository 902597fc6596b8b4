using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dagdog.Worker;

/// <summary>
/// Rearranges the worker's standard streams before anything else runs, so that no task, and no process a task starts,
/// can read the build's requests or write the worker's messages (see <see cref="Running.WorkerProtocol"/>): the
/// requests are read, and the messages written, on copies of descriptors 0 and 1 that are closed in every process the
/// worker starts; descriptor 0 becomes <c>/dev/null</c>, so reading standard input gives end of file at once; and
/// descriptor 1 becomes the same stream as descriptor 2, where the build takes everything a task writes, in order.
/// Only the three standard descriptors cross into the worker, so this works the same under <c>srun</c>. POSIX only.
/// </summary>
internal sealed class StandardStreams
{
    private const int StandardInput = 0;
    private const int StandardOutput = 1;
    private const int StandardError = 2;
    // FIOCLEX: closes a descriptor in the programs the process starts (ioctl, not the variadic fcntl, which P/Invoke cannot call on every platform).
    private static readonly nuint CloseOnExec = OperatingSystem.IsMacOS() ? 0x20006601u : 0x5451u;

    private StandardStreams(Stream requests, Stream messages)
    {
        Requests = requests;
        Messages = messages;
    }

    /// <summary>The build's requests: what was the worker's standard input.</summary>
    public Stream Requests { get; }

    /// <summary>Where the worker's messages go: what was the worker's standard output.</summary>
    public Stream Messages { get; }

    /// <summary>Takes the streams over. Must run before anything touches <see cref="Console"/>, which keeps its own copies.</summary>
    public static StandardStreams TakeOver()
    {
        var requests = PrivateCopy(StandardInput);
        var messages = PrivateCopy(StandardOutput);
        var empty = OrFail(Open("/dev/null", 0), "open /dev/null");
        OrFail(Dup2(empty, StandardInput), "dup2 onto standard input");
        OrFail(Close(empty), "close");
        OrFail(Dup2(StandardError, StandardOutput), "dup2 onto standard output");
        return new StandardStreams(
            new FileStream(new SafeFileHandle((nint)requests, ownsHandle: true), FileAccess.Read, bufferSize: 0),
            new FileStream(new SafeFileHandle((nint)messages, ownsHandle: true), FileAccess.Write, bufferSize: 0));
    }

    private static int PrivateCopy(int descriptor)
    {
        var copy = OrFail(Dup(descriptor), "dup");
        OrFail(Ioctl(copy, CloseOnExec), "ioctl FIOCLEX");
        return copy;
    }

    private static int OrFail(int result, string what) =>
        result >= 0 ? result : throw new IOException($"Dagdog's worker could not set up its standard streams ({what}: errno {Marshal.GetLastPInvokeError()}).");

    [DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static extern int Dup(int descriptor);

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static extern int Dup2(int descriptor, int target);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(int descriptor, nuint request);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
