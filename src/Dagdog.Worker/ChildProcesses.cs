using System.Globalization;
using System.Runtime.InteropServices;

namespace Dagdog.Worker;

/// <summary>
/// The processes a task starts, which must not outlive its run. The worker is their "subreaper" (Linux): a process
/// whose parent ends is handed to the worker, not to the system's first process, so that even a background process
/// of a shell script, or a daemon that detached itself, is still found among the worker's children. Linux only
/// (<c>/proc</c> and <c>prctl</c>); elsewhere processes a task leaves running are not stopped.
/// </summary>
internal static class ChildProcesses
{
    private const int SetChildSubreaper = 36; // PR_SET_CHILD_SUBREAPER
    private const int Kill = 9; // SIGKILL
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    /// <summary>Makes the worker the subreaper of everything it starts.</summary>
    public static void Adopt()
    {
        if (OperatingSystem.IsLinux()) _ = Prctl(SetChildSubreaper, 1, 0, 0, 0);
    }

    /// <summary>
    /// Stops every process the worker's tasks started that is still running, with everything they started, and waits
    /// until they are gone. Returns what was stopped, as <c>sleep 30 (process 4242)</c>, children before grandchildren.
    /// </summary>
    public static IReadOnlyList<string> StopAll()
    {
        if (!OperatingSystem.IsLinux() || !HasChildren()) return [];
        var stopped = new List<string>();
        var seen = new HashSet<int>();
        var deadline = DateTime.UtcNow + StopWait;
        // Killing a process hands its own children to the worker: look again until none is left.
        while (Running(Children(Environment.ProcessId)) is { Count: > 0 } running && DateTime.UtcNow < deadline)
        {
            foreach (var pid in running)
            {
                foreach (var process in Running(Tree(pid)))
                {
                    if (seen.Add(process) && Describe(process) is { } description) stopped.Add(description);
                    _ = SendSignal(process, Kill);
                }
            }
            Thread.Sleep(10);
        }
        return stopped;
    }

    // One system call, where reading every thread's list of children takes a few dozen: waitid without waiting and
    // without reaping says ECHILD when the worker has no child at all, which is nearly always.
    private static unsafe bool HasChildren()
    {
        const int anyChild = 0, exited = 4, stopped = 2, continued = 8, noHang = 1, noWait = 0x1000000;
        var information = stackalloc byte[128];
        return WaitId(anyChild, 0, information, exited | stopped | continued | noHang | noWait) == 0 || Marshal.GetLastPInvokeError() != 10;
    }

    // The process and everything below it, the process first.
    private static List<int> Tree(int root)
    {
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++) tree.AddRange(Children(tree[i]));
        return tree;
    }

    // A process's children, from the 'children' file of each of its threads: a child belongs to the thread that started it.
    private static IEnumerable<int> Children(int pid)
    {
        string[] threads;
        try
        {
            threads = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        var children = new List<int>();
        foreach (var thread in threads)
        {
            children.AddRange(ReadProc(Path.Combine(thread, "children"))?
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(text => int.Parse(text, CultureInfo.InvariantCulture)) ?? []);
        }
        return children;
    }

    // Processes that have ended but were not yet waited for (zombies) are gone for this purpose: nothing of them runs.
    private static List<int> Running(IEnumerable<int> pids) =>
        pids.Where(pid => ReadProc($"/proc/{pid}/stat") is { } stat && stat.LastIndexOf(')') is var end && end > 0
                          && end + 2 < stat.Length && stat[end + 2] is not ('Z' or 'X')).ToList();

    // How long a process whose command line reads empty gets to show it (see Describe).
    private static readonly TimeSpan ExecWait = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ExecLook = TimeSpan.FromMilliseconds(5);

    // "sleep 30 (process 4242)": its command line, as the user would recognise it.
    private static string? Describe(int pid) => Describe(pid, ReadProc, Thread.Sleep);

    /// <summary>
    /// A process's command line, as <c>sleep 30 (process 4242)</c>; its name alone when it has none to show. A process in
    /// the middle of an exec reads as having none for a moment: the kernel closes the close-on-exec files (which is when
    /// Process.Start returns) before it sets up the new program's arguments, and a busy machine can stop it in between.
    /// </summary>
    internal static string? Describe(int pid, Func<string, string?> read, Action<TimeSpan> pause)
    {
        string? CommandLine() => read($"/proc/{pid}/cmdline")?.Replace('\0', ' ').Trim();
        var commandLine = CommandLine();
        // Null when the process is gone: nothing to wait for.
        for (var waited = TimeSpan.Zero; commandLine is "" && waited < ExecWait; waited += ExecLook)
        {
            pause(ExecLook);
            commandLine = CommandLine();
        }
        if (string.IsNullOrEmpty(commandLine)) commandLine = read($"/proc/{pid}/comm")?.Trim();
        if (string.IsNullOrEmpty(commandLine)) return null;
        if (commandLine.Length > 200) commandLine = commandLine[..200] + "...";
        return $"{commandLine} (process {pid})";
    }

    private static string? ReadProc(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended meanwhile.
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);

    [DllImport("libc", EntryPoint = "waitid", SetLastError = true)]
    private static extern unsafe int WaitId(int idType, int id, byte* information, int options);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
