using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Dagdog.Code;

/// <summary>A class as metadata describes it, with the reader of the assembly that defines it.</summary>
internal readonly record struct DefinedType(MetadataReader Metadata, TypeDefinitionHandle Handle)
{
    public TypeDefinition Definition => Metadata.GetTypeDefinition(Handle);

    public string FullName => TypeNameProvider.FullName(Metadata, Definition);
}

/// <summary>
/// A class and its base classes, nearest first, read from metadata: bases in the same assembly (a generic base by its
/// definition), and bases in an assembly copied beside it (a project or package reference). The walk ends at a base it
/// cannot read, such as the framework's <c>System.Object</c>.
/// </summary>
internal sealed class TypeHierarchy(string assemblyDirectory) : IDisposable
{
    private readonly Dictionary<string, PEReader?> _references = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<DefinedType> SelfAndBases(DefinedType type)
    {
        var seen = new HashSet<(MetadataReader, TypeDefinitionHandle)>();
        for (DefinedType? current = type; current is { } t && seen.Add((t.Metadata, t.Handle)); current = Base(t))
            yield return t;
    }

    private DefinedType? Base(DefinedType type)
    {
        var metadata = type.Metadata;
        var handle = type.Definition.BaseType;
        if (handle.Kind == HandleKind.TypeSpecification)
        {
            // A generic base (CsvTask<Penguin>): its definition holds the members.
            var blob = metadata.GetBlobReader(metadata.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
            blob.ReadSignatureTypeCode();
            handle = blob.ReadTypeHandle();
        }
        return handle.Kind switch
        {
            HandleKind.TypeDefinition => new DefinedType(metadata, (TypeDefinitionHandle)handle),
            HandleKind.TypeReference => Resolve(metadata, (TypeReferenceHandle)handle),
            _ => null,
        };
    }

    private DefinedType? Resolve(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var reference = metadata.GetTypeReference(handle);
        if (reference.ResolutionScope.Kind != HandleKind.AssemblyReference) return null;
        var assembly = metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name);
        if (Open(assembly) is not { } other) return null;
        var space = metadata.GetString(reference.Namespace);
        var name = metadata.GetString(reference.Name);
        foreach (var candidate in other.TypeDefinitions)
        {
            var definition = other.GetTypeDefinition(candidate);
            if (definition.GetDeclaringType().IsNil && other.StringComparer.Equals(definition.Name, name) && other.StringComparer.Equals(definition.Namespace, space))
                return new DefinedType(other, candidate);
        }
        return null;
    }

    private MetadataReader? Open(string assembly)
    {
        if (!_references.TryGetValue(assembly, out var reader))
        {
            var path = Path.Combine(assemblyDirectory, assembly + ".dll");
            try
            {
                reader = File.Exists(path) ? new PEReader(ImmutableArray.Create(File.ReadAllBytes(path))) : null;
                if (reader is { HasMetadata: false }) reader = null;
            }
            catch (BadImageFormatException)
            {
                reader = null;
            }
            _references[assembly] = reader;
        }
        return reader?.GetMetadataReader();
    }

    public void Dispose()
    {
        foreach (var reader in _references.Values) reader?.Dispose();
    }
}
