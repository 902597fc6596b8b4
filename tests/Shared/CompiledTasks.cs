using System.Text;
using Dagdog.Code;
using Dagdog.Graph;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Microsoft.CodeAnalysis;

namespace Dagdog.Testing;

/// <summary>
/// Compiles C# source to a real assembly on disk, the way the SDK's Debug build does (deterministic, with a
/// portable PDB beside it), and fingerprints the tasks in it. Lets a spec compare two versions of the same code.
/// </summary>
internal static class CompiledTasks
{
    private static readonly MetadataReference[] Framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToArray();

    // What the .NET SDK's ImplicitUsings adds to a console project.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>Each task's fingerprint, by task name, for source files given as (name, text) pairs.</summary>
    public static IReadOnlyDictionary<string, string> Fingerprints(string[] tasks, params (string Name, string Text)[] sources)
    {
        var directory = Directory.CreateTempSubdirectory("dagdog-code-").FullName;
        try
        {
            return Inspect(Compile("Analysis", sources, directory), tasks);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Each task's fingerprint, by task name, in an assembly already compiled.</summary>
    public static IReadOnlyDictionary<string, string> Inspect(string assembly, params string[] tasks)
    {
        var inspection = TaskCodeInspector.Inspect(assembly, tasks.Select(name => new TaskDeclaration(name, [])).ToList());
        Assert.Empty(inspection.Problems);
        return inspection.Tasks.ToDictionary(t => t.Key, t => t.Value.Fingerprint);
    }

    /// <summary>Compiles <c>name.dll</c> (and its PDB) into <paramref name="directory"/>, replacing an earlier build.</summary>
    public static string Compile(string name, (string Name, string Text)[] sources, string directory, params string[] references) =>
        Compile(name, sources, [], directory, references);

    /// <summary>The same, with manifest resources embedded as an EmbeddedResource item would (name, content).</summary>
    public static string Compile(string name, (string Name, string Text)[] sources, (string Name, string Content)[] resources, string directory, params string[] references)
    {
        var (path, errors) = TryCompile(name, sources, resources, directory, references);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return path;
    }

    /// <summary>Compiles as <see cref="Compile(string, ValueTuple{string, string}[], string, string[])"/> does; the errors, as the compiler prints them, when it cannot.</summary>
    public static (string Path, IReadOnlyList<string> Errors) TryCompile(string name, (string Name, string Text)[] sources, (string Name, string Content)[] resources,
        string directory, params string[] references)
    {
        var compilation = CSharpCompilation.Create(
            name,
            sources.Prepend((Name: "GlobalUsings.g.cs", Text: ImplicitUsings))
                .Select(s => CSharpSyntaxTree.ParseText(SourceText.From(s.Text, Encoding.UTF8), new CSharpParseOptions(LanguageVersion.Latest), path: Path.IsPathRooted(s.Name) ? s.Name : $"/src/{s.Name}")),
            [.. Framework, .. references.Select(r => MetadataReference.CreateFromFile(r))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Debug, deterministic: true,
                nullableContextOptions: NullableContextOptions.Enable));
        var path = Path.Combine(directory, $"{name}.dll");
        using var dll = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(dll, pdb,
            manifestResources: resources.Select(r => new ResourceDescription(r.Name, () => new MemoryStream(Encoding.UTF8.GetBytes(r.Content)), isPublic: true)),
            options: new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.PortablePdb));
        if (!result.Success) return (path, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList());
        File.WriteAllBytes(path, dll.ToArray());
        File.WriteAllBytes(Path.ChangeExtension(path, ".pdb"), pdb.ToArray());
        return (path, []);
    }
}
