namespace Dagdog.EndToEnd.Infrastructure;

/// <summary>
/// One folder per test run holding a copy of the freshly built Dagdog.Sdk package as a local feed, a nuget.config
/// that uses it, and a packages folder of its own, so no test ever gets a stale unpacked copy from the user's cache.
/// Test projects are created below it, where that nuget.config applies.
/// </summary>
public sealed class SdkFeed : IDisposable
{
    // The collections' feeds are open at once: the compiler server their builds share is stopped when the last one closes.
    private static int _open;

    public static string Version => Repository.SdkVersion;

    public SdkFeed()
    {
        Interlocked.Increment(ref _open);
        RepositoryRoot = Repository.Root;
        Root = Directory.CreateTempSubdirectory("dagdog-e2e-").FullName;
        var feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        var package = Path.Combine(RepositoryRoot, "artifacts", "packages", $"Dagdog.Sdk.{Version}.nupkg");
        if (!File.Exists(package))
            throw new InvalidOperationException($"{package} is missing: build tests/Dagdog.EndToEnd.Tests (it builds and packs the SDK) before running these tests.");
        File.Copy(package, Path.Combine(feed, Path.GetFileName(package)));

        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="dagdog-under-test" value="{feed}" />
              </packageSources>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" />
              </config>
            </configuration>
            """);
    }

    public string RepositoryRoot { get; }

    public string Root { get; }

    /// <summary>A copy of a folder of this repository (such as demo/), without its build output, as a project below the feed.</summary>
    public DagProject CopyProject(string relativePath, string name, params string[] excluded)
    {
        var source = Path.Combine(RepositoryRoot, relativePath);
        var project = CreateProject(name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj" or "out" || excluded.Contains(relative)) continue;
            project.WriteFile(relative, File.ReadAllText(file));
        }
        return project;
    }

    public DagProject CreateProject(string name) => new(Path.Combine(Root, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]));

    public void Dispose()
    {
        // The specs' builds share one compiler server (see Dotnet.Start), stopped with the last of them, not under the
        // other collection's builds: a server started anew compiles cold, then recompiles its hot code (bench/README.md).
        if (Interlocked.Decrement(ref _open) == 0) Dotnet.Run(Root, ["build-server", "shutdown", "--vbcscompiler"]);
        if (Environment.GetEnvironmentVariable("DAGDOG_KEEP_TEST_PROJECTS") == "1") return;
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server still holding a file must not fail the run; the folder is in the temp directory.
        }
    }
}

/// <summary>
/// End-to-end specs run in two collections at once, one spec at a time in each: a spec's builds leave a core idle while
/// they start processes and wait for them, and the other collection fills it (on 2 cores, 4 min 45 s alone became
/// 3 min 26 s). Each collection has a feed of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<SdkFeed>
{
    public const string Name = "End to end";
}

/// <summary>The other half: the specs with long set-ups (watches, the board, the demo, the cluster, signals, child processes); the two halves hold about as much spec time.</summary>
[CollectionDefinition(Name)]
public sealed class LongEndToEndCollection : ICollectionFixture<SdkFeed>
{
    public const string Name = "End to end, long specs";
}
