namespace Dagdog.State;

/// <summary>
/// The file that tells MSBuild when the tasks' code was last fingerprinted (its time) and from which build of the
/// assembly (its content). Switching between Debug and Release leaves both assemblies older than the marker, so
/// its time alone would keep the other configuration's fingerprints; its content then sends the build to inspect again.
/// </summary>
internal static class InspectionMarker
{
    public static void Write(StateLayout layout, string assemblyPath) => StateFiles.WriteAtomically(layout.InspectedMarker, Describe(assemblyPath));

    /// <summary>True when the marker was written for this very build of the assembly (its path, size and time).</summary>
    public static bool IsFor(StateLayout layout, string assemblyPath) =>
        File.Exists(layout.InspectedMarker) && File.ReadAllText(layout.InspectedMarker) == Describe(assemblyPath);

    private static string Describe(string assemblyPath)
    {
        var assembly = new FileInfo(assemblyPath);
        return assembly.Exists ? $"{assembly.FullName}\n{assembly.Length}\n{assembly.LastWriteTimeUtc.Ticks}\n" : $"{assembly.FullName}\n";
    }
}
