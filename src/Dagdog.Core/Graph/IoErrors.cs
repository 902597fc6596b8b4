namespace Dagdog.Graph;

/// <summary>
/// What an <see cref="IOException"/> means, where Dagdog must tell its causes apart. On Linux and macOS its HResult
/// is the errno; on Windows an HRESULT of the Win32 error.
/// </summary>
internal static class IoErrors
{
    /// <summary>Another process holds the file's lock (EWOULDBLOCK from flock, or a Windows sharing violation).</summary>
    public static bool IsLockConflict(IOException e) =>
        e.HResult == (OperatingSystem.IsMacOS() ? 35 : 11) || (e.HResult & 0xFFFF) is 32 or 33 && OperatingSystem.IsWindows();

    /// <summary>A name in the path is too long for the file system (ENAMETOOLONG; .NET may give it as PathTooLongException).</summary>
    public static bool IsNameTooLong(Exception e) => e is PathTooLongException || e.HResult == (OperatingSystem.IsMacOS() ? 63 : 36) && !OperatingSystem.IsWindows();

    /// <summary>The target of a symbolic link at <paramref name="path"/> that does not exist; null when it is no such link.</summary>
    public static string? DanglingLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is { } target && !File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, target)) ? target : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The disk is full (ENOSPC, or ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows).</summary>
    public static bool IsDiskFull(IOException e) =>
        e.HResult == 28 && !OperatingSystem.IsWindows() || (e.HResult & 0xFFFF) is 112 or 39 && OperatingSystem.IsWindows();
}
