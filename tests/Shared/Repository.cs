namespace Dagdog.Testing;

/// <summary>Where this repository is, found from the tests' own output folder.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>The version of Dagdog's packages this build of the tests was made with (DagdogVersion in Directory.Build.props).</summary>
    public static string SdkVersion { get; } = typeof(Repository).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "DagdogVersion").Value!;

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dagdog.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Dagdog.sln above {AppContext.BaseDirectory}.");
    }
}
