namespace Dagdog.Testing;

/// <summary>A spec of what only Linux has or does (xdg-open, /proc, process groups): skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only";
    }
}
