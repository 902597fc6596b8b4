using System.Text;

namespace Dagdog;

/// <summary>Small file operations for Dagdog's own state under <c>obj/dag/</c>.</summary>
public static class StateFiles
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

    /// <summary>Writes through a temporary file and a rename, so a reader or an interrupted build never sees half a file.</summary>
    public static void WriteAtomically(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }
}
