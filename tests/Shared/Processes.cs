using System.Diagnostics;

namespace Dagdog.Testing;

/// <summary>The processes running on this machine, as ps shows them (Linux).</summary>
internal static class Processes
{
    /// <summary>The command lines that start with this text, of processes that are running (not zombies).</summary>
    public static List<string> Running(string commandLine) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(pid =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    return stat[stat.LastIndexOf(')') + 2] is 'Z' or 'X' ? "" : File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
                }
                catch (IOException)
                {
                    return "";
                }
            })
            .Where(line => line.StartsWith(commandLine, StringComparison.Ordinal))
            .ToList();

    /// <summary>Waits until no process with this command line runs; false if one still did after <paramref name="within"/>.</summary>
    public static bool Gone(string commandLine, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (Running(commandLine).Count > 0)
        {
            if (clock.Elapsed > within) return false;
            Thread.Sleep(100);
        }
        return true;
    }
}
