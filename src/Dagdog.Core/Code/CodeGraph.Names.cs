using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;

namespace Dagdog.Code;

// How CodeGraph names things: stable keys that survive recompilation, and the short names a user reads in a reason.
internal sealed partial class CodeGraph
{
    private const string Generated = "<";

    /// <summary>The node's identity across compilations: <c>T:</c>, <c>M:</c>, <c>F:</c> or <c>A:</c> and a full name.</summary>
    private string Key(EntityHandle handle)
    {
        if (_keys.TryGetValue(handle, out var key)) return key;
        key = handle.Kind switch
        {
            HandleKind.TypeDefinition => $"T:{TypeKey((TypeDefinitionHandle)handle)}",
            HandleKind.MethodDefinition => $"M:{MethodKey((MethodDefinitionHandle)handle)}",
            HandleKind.FieldDefinition => $"F:{TypeKey(_metadata.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType())}::{FieldName((FieldDefinitionHandle)handle)}",
            HandleKind.AssemblyReference => $"A:{_metadata.GetString(_metadata.GetAssemblyReference((AssemblyReferenceHandle)handle).Name)}",
            HandleKind.ManifestResource => $"R:{_metadata.GetString(_metadata.GetManifestResource((ManifestResourceHandle)handle).Name)}",
            _ => throw new InvalidOperationException($"Not a code node: {handle.Kind}."),
        };
        return _keys[handle] = key;
    }

    private string TypeKey(TypeDefinitionHandle handle)
    {
        var type = _metadata.GetTypeDefinition(handle);
        var name = _metadata.GetString(type.Name);
        // Anonymous types are numbered across the whole assembly; name them by their properties instead.
        if (name.StartsWith("<>f__AnonymousType", StringComparison.Ordinal))
            name = $"<>f__AnonymousType({string.Join(",", type.GetGenericParameters().Select(p => _metadata.GetString(_metadata.GetGenericParameter(p).Name)))})";
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil) return $"{TypeKey(declaring)}+{name}";
        var space = _metadata.GetString(type.Namespace);
        return space.Length == 0 ? name : $"{space}.{name}";
    }

    private string MethodKey(MethodDefinitionHandle handle)
    {
        var method = _metadata.GetMethodDefinition(handle);
        var signature = method.DecodeSignature(new SignatureNames(this, uses: null), null);
        return $"{TypeKey(method.GetDeclaringType())}::{_metadata.GetString(method.Name)}{MethodSignature(signature)}";
    }

    /// <summary>
    /// A field's name, except in compiler-generated classes (closures, async and iterator state machines), whose fields
    /// are named after the user's local variables: there the field's position stands in, so renaming a local changes nothing.
    /// </summary>
    private string FieldName(FieldDefinitionHandle handle)
    {
        var field = _metadata.GetFieldDefinition(handle);
        var declaring = _metadata.GetTypeDefinition(field.GetDeclaringType());
        var typeName = _metadata.GetString(declaring.Name);
        if (!typeName.StartsWith(Generated, StringComparison.Ordinal) || typeName == "<PrivateImplementationDetails>")
            return _metadata.GetString(field.Name);
        var position = declaring.GetFields().TakeWhile(f => f != handle).Count();
        return $"#{position}";
    }

    /// <summary>The name of whatever a token or signature points to; nodes of this graph it reaches are added to <paramref name="uses"/>.</summary>
    private string Name(EntityHandle handle, List<EntityHandle>? uses)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
            case HandleKind.MethodDefinition:
            case HandleKind.FieldDefinition:
                uses?.Add(handle);
                return Key(handle)[2..];
            case HandleKind.TypeReference:
                return TypeReferenceName((TypeReferenceHandle)handle, uses);
            case HandleKind.TypeSpecification:
                return _metadata.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(new SignatureNames(this, uses), null);
            case HandleKind.MemberReference:
                return MemberReferenceName((MemberReferenceHandle)handle, uses);
            case HandleKind.MethodSpecification:
                var specification = _metadata.GetMethodSpecification((MethodSpecificationHandle)handle);
                return $"{Name(specification.Method, uses)}<{string.Join(",", specification.DecodeSignature(new SignatureNames(this, uses), null))}>";
            case HandleKind.StandaloneSignature:
                var standalone = _metadata.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                return standalone.GetKind() == StandaloneSignatureKind.Method
                    ? MethodSignature(standalone.DecodeMethodSignature(new SignatureNames(this, uses), null))
                    : string.Join(",", standalone.DecodeLocalSignature(new SignatureNames(this, uses), null));
            case HandleKind.ModuleReference:
                return $"module {_metadata.GetString(_metadata.GetModuleReference((ModuleReferenceHandle)handle).Name)}";
            default:
                return handle.Kind.ToString();
        }
    }

    private string TypeReferenceName(TypeReferenceHandle handle, List<EntityHandle>? uses)
    {
        var reference = _metadata.GetTypeReference(handle);
        var space = _metadata.GetString(reference.Namespace);
        var name = space.Length == 0 ? _metadata.GetString(reference.Name) : $"{space}.{_metadata.GetString(reference.Name)}";
        switch (reference.ResolutionScope.Kind)
        {
            case HandleKind.AssemblyReference:
                uses?.Add(reference.ResolutionScope);
                return $"[{_metadata.GetString(_metadata.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name)}]{name}";
            case HandleKind.TypeReference:
                return $"{TypeReferenceName((TypeReferenceHandle)reference.ResolutionScope, uses)}+{name}";
            default:
                return name;
        }
    }

    private string MemberReferenceName(MemberReferenceHandle handle, List<EntityHandle>? uses)
    {
        var member = _metadata.GetMemberReference(handle);
        var name = _metadata.GetString(member.Name);
        var provider = new SignatureNames(this, uses);
        var signature = member.GetKind() == MemberReferenceKind.Method
            ? MethodSignature(member.DecodeMethodSignature(provider, null))
            : member.DecodeFieldSignature(provider, null);
        // A member of one of our own generic types used through an instantiation (Box<int>.Get): reach the
        // definitions of that name (every overload: telling them apart would mean matching generic signatures).
        if (uses is not null && OwnGenericType(member.Parent) is { } own)
        {
            var type = _metadata.GetTypeDefinition(own);
            uses.AddRange(type.GetMethods().Where(m => _metadata.StringComparer.Equals(_metadata.GetMethodDefinition(m).Name, name)).Select(m => (EntityHandle)m));
            uses.AddRange(type.GetFields().Where(f => _metadata.StringComparer.Equals(_metadata.GetFieldDefinition(f).Name, name)).Select(f => (EntityHandle)f));
        }
        var parent = Name(member.Parent, uses);
        if (uses is not null && ReadsResources(parent, name)) uses.AddRange(_metadata.ManifestResources.Select(r => (EntityHandle)r));
        return $"{parent}::{name}{signature}";
    }

    private TypeDefinitionHandle? OwnGenericType(EntityHandle parent)
    {
        if (parent.Kind != HandleKind.TypeSpecification) return null;
        var blob = _metadata.GetBlobReader(_metadata.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
        blob.ReadSignatureTypeCode();
        var generic = blob.ReadTypeHandle();
        return generic.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)generic : null;
    }

    /// <summary>
    /// What a user calls a node in a reason: <c>Fit.Run</c>, <c>Stats.Smooth</c>, <c>Penguin</c>, <c>CsvHelper.dll</c>.
    /// Compiler-generated code (lambdas, async state machines, closures) is shown as the method it came from.
    /// </summary>
    private string Display(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return DisplayType((TypeDefinitionHandle)handle);
            case HandleKind.MethodDefinition:
                var method = _metadata.GetMethodDefinition((MethodDefinitionHandle)handle);
                var name = _metadata.GetString(method.Name);
                var methodName = GeneratedFrom(name) ?? name switch { ".ctor" => "constructor", ".cctor" => "static constructor", _ => name };
                var declaring = method.GetDeclaringType();
                return GeneratedFrom(_metadata.GetString(_metadata.GetTypeDefinition(declaring).Name)) is not null
                    ? DisplayType(declaring)
                    : $"{DisplayType(declaring)}.{methodName}";
            case HandleKind.FieldDefinition:
                var field = _metadata.GetFieldDefinition((FieldDefinitionHandle)handle);
                var owner = field.GetDeclaringType();
                return _metadata.GetString(_metadata.GetTypeDefinition(owner).Name).StartsWith(Generated, StringComparison.Ordinal)
                    ? DisplayType(owner)
                    : $"{DisplayType(owner)}.{_metadata.GetString(field.Name)}";
            case HandleKind.ManifestResource:
                // As the user named the file: the compiler prefixes the project's root namespace, the assembly's name by default.
                var resource = _metadata.GetString(_metadata.GetManifestResource((ManifestResourceHandle)handle).Name);
                var prefix = _metadata.GetString(_metadata.GetAssemblyDefinition().Name) + ".";
                return CodeFingerprint.ResourceMark + (resource.StartsWith(prefix, StringComparison.Ordinal) ? resource[prefix.Length..] : resource);
            default:
                return $"{_metadata.GetString(_metadata.GetAssemblyReference((AssemblyReferenceHandle)handle).Name)}.dll";
        }
    }

    // User types as written (Outer.Inner, no namespace); a generated type as the user type and method it came from.
    private string DisplayType(TypeDefinitionHandle handle)
    {
        var type = _metadata.GetTypeDefinition(handle);
        var name = _metadata.GetString(type.Name);
        var tick = name.IndexOf('`');
        if (tick > 0) name = name[..tick];
        var declaring = type.GetDeclaringType();
        if (!name.StartsWith(Generated, StringComparison.Ordinal)) return declaring.IsNil ? name : $"{DisplayType(declaring)}.{name}";
        if (declaring.IsNil) return name;
        var outer = DisplayType(declaring);
        return GeneratedFrom(name) is { } origin && !outer.EndsWith($".{origin}", StringComparison.Ordinal) ? $"{outer}.{origin}" : outer;
    }

    // "<Run>d__0" and "<Run>b__0_0" come from Run; "<>c" and "<>c__DisplayClass0_0" from no method in particular.
    private static string? GeneratedFrom(string name)
    {
        if (!name.StartsWith(Generated, StringComparison.Ordinal)) return null;
        var end = name.IndexOf('>');
        return end > 1 ? name[1..end] : null;
    }

    /// <summary>Names signature types for <see cref="CodeGraph"/>, collecting the nodes they reach.</summary>
    private sealed class SignatureNames(CodeGraph graph, List<EntityHandle>? uses)
        : ISignatureTypeProvider<string, object?>, ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => graph.Name(handle, uses);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => graph.Name(handle, uses);
        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) => graph.Name(handle, uses);
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{new string(',', shape.Rank - 1)}]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType + " pinned";
        public string GetFunctionPointerType(MethodSignature<string> signature) => $"fnptr {MethodSignature(signature)}";
        public string GetGenericMethodParameter(object? context, int index) => $"!!{index}";
        public string GetGenericTypeParameter(object? context, int index) => $"!{index}";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => $"{unmodifiedType} {(isRequired ? "modreq" : "modopt")}({modifier})";
        public string GetSystemType() => "System.Type";
        public bool IsSystemType(string type) => type is "System.Type" || type.EndsWith("]System.Type", StringComparison.Ordinal);
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => graph.OwnType(type) is { } own ? graph.EnumBase(own) : PrimitiveTypeCode.Int32;

        public string GetTypeFromSerializedName(string name)
        {
            var plain = name.Split(',')[0].Trim();
            return graph.OwnType(plain) is { } own ? graph.Name(own, uses) : plain;
        }
    }

    private Dictionary<string, TypeDefinitionHandle>? _typesByName;

    /// <summary>One of this assembly's types by its full name (<c>Namespace.Outer+Inner</c>), or null.</summary>
    private TypeDefinitionHandle? OwnType(string fullName)
    {
        if (_typesByName is null)
        {
            _typesByName = [];
            foreach (var type in _metadata.TypeDefinitions) _typesByName.TryAdd(TypeKey(type), type);
        }
        return _typesByName.TryGetValue(fullName, out var handle) ? handle : null;
    }

    private PrimitiveTypeCode EnumBase(TypeDefinitionHandle handle)
    {
        foreach (var fieldHandle in _metadata.GetTypeDefinition(handle).GetFields())
        {
            var field = _metadata.GetFieldDefinition(fieldHandle);
            if ((field.Attributes & FieldAttributes.Static) != 0) continue;
            var signature = _metadata.GetBlobReader(field.Signature);
            signature.ReadSignatureHeader();
            return (PrimitiveTypeCode)signature.ReadSignatureTypeCode();
        }
        return PrimitiveTypeCode.Int32;
    }

    private bool IsGenerated(TypeDefinition type) => _metadata.GetString(type.Name).StartsWith(Generated, StringComparison.Ordinal);
}
