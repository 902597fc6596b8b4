using System.Text;

namespace Dagdog.State;

/// <summary>Small file operations for Dagdog's own state under <c>obj/dag/</c>.</summary>
internal static class StateFiles
{
    /// <summary>
    /// Writes <paramref name="content"/> only when it differs from what the file holds, so the file's timestamp
    /// changes exactly when its content does. Returns true when the file was written.
    /// </summary>
    public static bool WriteIfChanged(string path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content) return false;
        WriteAtomically(path, content);
        return true;
    }

    /// <summary>
    /// A cheap look at whether a state file is whole, without reading it all: it starts and ends the way Dagdog writes
    /// it (a run record ends with its closing brace on a line of its own, a code fingerprint with a line break). A
    /// missing file is whole; it simply is not there.
    /// </summary>
    public static bool LooksWhole(string path, string start, string end) => LooksWhole(path, [start], end);

    /// <summary>As <see cref="LooksWhole(string, string, string)"/>, for a file that may start in more than one way (ASCII, each at most 64 characters).</summary>
    public static bool LooksWhole(string path, ReadOnlySpan<string> starts, string end)
    {
        // A build looks at two files per task: one open and two reads each, no buffered stream (measured in bench/README.md).
        if (!File.Exists(path)) return true;
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(file);
        Span<byte> bytes = stackalloc byte[64];
        var tail = bytes[..end.Length];
        if (length < end.Length || RandomAccess.Read(file, tail, length - end.Length) != end.Length || !Ascii.Equals(tail, end)) return false;
        foreach (var start in starts)
        {
            var head = bytes[..start.Length];
            if (length >= start.Length + end.Length && RandomAccess.Read(file, head, 0) == start.Length && Ascii.Equals(head, start)) return true;
        }
        return false;
    }

    /// <summary>
    /// Writes through a temporary file and a rename, so a reader or an interrupted build never sees half a file. A write
    /// that fails (a full disk) removes its temporary file; one a crash left is removed by the next build (<see cref="RemoveLeftovers"/>).
    /// </summary>
    public static void WriteAtomically(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Environment.ProcessId}{TemporarySuffix}";
        try
        {
            File.WriteAllText(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The write's own error says what is wrong; the next build removes the file (RemoveLeftovers).
            }
            throw;
        }
    }

    private const string TemporarySuffix = ".tmp";

    /// <summary>
    /// Removes the temporary files of atomic writes that a killed build left in <paramref name="folder"/> and its
    /// subfolders. Only while holding the project's lock: no other build can be writing one.
    /// </summary>
    public static void RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder, "*" + TemporarySuffix, SearchOption.AllDirectories))
        {
            // Only names WriteAtomically makes: <file>.<process id>.tmp.
            var name = Path.GetFileNameWithoutExtension(file);
            if (Path.GetExtension(name) is { Length: > 1 } pid && pid[1..].All(char.IsAsciiDigit)) File.Delete(file);
        }
    }
}
