namespace Dagdog;

/// <summary>
/// What an <see cref="IOException"/> means, where Dagdog must tell its causes apart. On Linux and macOS its HResult
/// is the errno; on Windows an HRESULT of the Win32 error.
/// </summary>
internal static class IoErrors
{
    /// <summary>Another process holds the file's lock (EWOULDBLOCK from flock, or a Windows sharing violation).</summary>
    public static bool IsLockConflict(IOException e) =>
        e.HResult == (OperatingSystem.IsMacOS() ? 35 : 11) || (e.HResult & 0xFFFF) is 32 or 33 && OperatingSystem.IsWindows();

    /// <summary>The disk is full (ENOSPC, or ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows).</summary>
    public static bool IsDiskFull(IOException e) =>
        e.HResult == 28 && !OperatingSystem.IsWindows() || (e.HResult & 0xFFFF) is 112 or 39 && OperatingSystem.IsWindows();
}
