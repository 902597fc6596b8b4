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

    private readonly AssemblyDependencyResolver _resolver = ResolverFor(mainAssemblyPath);

    private static AssemblyDependencyResolver ResolverFor(string path)
    {
        lock (Resolvers)
        {
            if (!Resolvers.TryGetValue(path, out var resolver)) Resolvers[path] = resolver = new AssemblyDependencyResolver(path);
            return resolver;
        }
    }

    public Assembly LoadMain() => LoadIntoMemory(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName name) =>
        _resolver.ResolveAssemblyToPath(name) is { } path ? LoadIntoMemory(path) : null;

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

    private Assembly LoadIntoMemory(string path)
    {
        using var assembly = new MemoryStream(File.ReadAllBytes(path));
        var pdbPath = Path.ChangeExtension(path, ".pdb");
        using var symbols = File.Exists(pdbPath) ? new MemoryStream(File.ReadAllBytes(pdbPath)) : null;
        return LoadFromStream(assembly, symbols);
    }
}
