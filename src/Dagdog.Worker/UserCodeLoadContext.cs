using System.Reflection;
using System.Runtime.Loader;

namespace Dagdog.Worker;

/// <summary>
/// A fresh, collectible load context for one run of the user's code. Assemblies are read into memory, so no file
/// stays locked and the next build can overwrite them; NuGet and native dependencies are found through the
/// user assembly's <c>.deps.json</c>. Framework assemblies come from the default context.
/// </summary>
internal sealed class UserCodeLoadContext(string mainAssemblyPath)
    : AssemblyLoadContext($"Dagdog: {Path.GetFileName(mainAssemblyPath)}", isCollectible: true)
{
    // Reading .deps.json is a good part of a trivial run; a worker lives for one build, in which the assembly cannot change.
    private static readonly Dictionary<string, AssemblyDependencyResolver> Resolvers = [];

    // The bytes of the user's assembly and PDB, by path, size and time: every run of the build loads them.
    private static readonly Dictionary<(string, long, DateTime), byte[]> MainFiles = [];

    private readonly AssemblyDependencyResolver _resolver = ResolverFor(mainAssemblyPath);

    private static AssemblyDependencyResolver ResolverFor(string path)
    {
        lock (Resolvers)
        {
            if (!Resolvers.TryGetValue(path, out var resolver)) Resolvers[path] = resolver = new AssemblyDependencyResolver(path);
            return resolver;
        }
    }

    public Assembly LoadMain() => LoadIntoMemory(mainAssemblyPath, Remembered);

    protected override Assembly? Load(AssemblyName name) =>
        _resolver.ResolveAssemblyToPath(name) is { } path ? LoadIntoMemory(path, ReadNow) : null;

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

    private Assembly LoadIntoMemory(string path, Func<string, byte[]?> read)
    {
        using var assembly = new MemoryStream(read(path)!, writable: false);
        using var symbols = read(Path.ChangeExtension(path, ".pdb")) is { } pdb ? new MemoryStream(pdb, writable: false) : null;
        return LoadFromStream(assembly, symbols);
    }

    private static byte[]? ReadNow(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    private static byte[]? Remembered(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) return null;
        var key = (path, file.Length, file.LastWriteTimeUtc);
        lock (MainFiles)
        {
            if (!MainFiles.TryGetValue(key, out var bytes)) MainFiles[key] = bytes = File.ReadAllBytes(path);
            return bytes;
        }
    }
}
