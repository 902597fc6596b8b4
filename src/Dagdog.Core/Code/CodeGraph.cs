using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;

namespace Dagdog.Code;

/// <summary>
/// The code of one compiled assembly as a graph, read from metadata and IL only (nothing is loaded). Its nodes are
/// the assembly's types, methods and fields, and the assemblies it references; an edge means "uses". Each node's
/// hash covers what it means, never where it sits: metadata tokens in IL are replaced by the names they stand for,
/// so adding code elsewhere, comments, formatting and local variable names (which live in the PDB) change nothing.
/// </summary>
internal sealed partial class CodeGraph(PEReader pe, string assemblyDirectory)
{
    private readonly MetadataReader _metadata = pe.GetMetadataReader();
    private readonly Dictionary<EntityHandle, CodeNode> _nodes = [];
    private readonly Dictionary<EntityHandle, string> _keys = [];
    private readonly Dictionary<string, string> _appLocalBuilds = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The fingerprint of a task: every node reachable from its class (all of whose methods count), one line each,
    /// with the node it was first reached from, so that a change can be explained as a path like <c>Fit.Run -> Stats.Smooth</c>.
    /// </summary>
    public string Fingerprint(TypeDefinitionHandle task)
    {
        var root = (EntityHandle)task;
        var reachedFrom = new Dictionary<EntityHandle, EntityHandle?> { [root] = null };
        var pending = new Queue<EntityHandle>([root]);
        // Every method of the task's class and of its base classes in this assembly counts (Run() may be inherited, and
        // call the task's overrides), and so does the module's static constructor, which calls the [ModuleInitializer]
        // methods before any other code runs (<Module> is always the first type).
        var moduleType = MetadataTokens.TypeDefinitionHandle(1);
        var methods = OwnBases(task).Prepend(task).SelectMany(type => _metadata.GetTypeDefinition(type).GetMethods()).Select(m => (EntityHandle)m);
        foreach (var method in methods.Concat(StaticConstructor(moduleType)))
        {
            if (reachedFrom.TryAdd(method, root)) pending.Enqueue(method);
        }
        while (pending.TryDequeue(out var handle))
        {
            foreach (var used in Node(handle).Uses)
            {
                if (reachedFrom.TryAdd(used, handle)) pending.Enqueue(used);
            }
        }

        var lines = reachedFrom.Select(pair =>
        {
            var node = Node(pair.Key);
            var from = pair.Value is { } parent ? Node(parent).Key : "";
            return new CodeFingerprint.Line(node.Key, node.Hash, node.Display, from).ToString();
        });
        return string.Join('\n', lines.Order(StringComparer.Ordinal).Prepend($"{CodeFingerprint.TypeLinePrefix}{TypeNameProvider.FullName(_metadata, _metadata.GetTypeDefinition(task))}")) + "\n";
    }

    private CodeNode Node(EntityHandle handle)
    {
        if (_nodes.TryGetValue(handle, out var node)) return node;
        var uses = new List<EntityHandle>();
        var text = new StringBuilder();
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition: DescribeType((TypeDefinitionHandle)handle, text, uses); break;
            case HandleKind.MethodDefinition: DescribeMethod((MethodDefinitionHandle)handle, text, uses); break;
            case HandleKind.FieldDefinition: DescribeField((FieldDefinitionHandle)handle, text, uses); break;
            case HandleKind.AssemblyReference: DescribeAssembly((AssemblyReferenceHandle)handle, text); break;
            case HandleKind.ManifestResource: DescribeResource((ManifestResourceHandle)handle, text); break;
            default: throw new InvalidOperationException($"Not a code node: {handle.Kind}.");
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        return _nodes[handle] = new CodeNode(Key(handle), Display(handle), hash, uses);
    }

    // A type's shape: what code elsewhere, and reflection-based libraries (CSV, JSON, Parquet serializers), depend on.
    // Reaching a type reaches its constructors, property and event accessors and virtual methods (they may be called
    // through a base class or interface); its other methods count only where they are called, and its static
    // constructor where one of its static fields is used.
    private void DescribeType(TypeDefinitionHandle handle, StringBuilder text, List<EntityHandle> uses)
    {
        var type = _metadata.GetTypeDefinition(handle);
        text.Append("type ").Append(Key(handle)).Append(' ').Append((int)type.Attributes);
        if (!type.BaseType.IsNil) text.Append(" : ").Append(Name(type.BaseType, uses));
        foreach (var implementation in type.GetInterfaceImplementations())
            text.Append(", ").Append(Name(_metadata.GetInterfaceImplementation(implementation).Interface, uses));
        DescribeGenericParameters(type.GetGenericParameters(), text, uses);
        var layout = type.GetLayout();
        text.Append("\nlayout ").Append(layout.PackingSize).Append(' ').Append(layout.Size);
        DescribeAttributes(type.GetCustomAttributes(), text, uses);

        // Compiler-generated classes (closures, lambda caches, array literal data) are never read by reflection, and
        // their field lists grow with unrelated code: their fields count one by one, where they are used.
        var isEnum = !type.BaseType.IsNil && Name(type.BaseType, null).EndsWith("]System.Enum", StringComparison.Ordinal);
        var fields = IsGenerated(type) ? Enumerable.Empty<FieldDefinitionHandle>() : type.GetFields();
        foreach (var fieldHandle in fields)
        {
            var field = _metadata.GetFieldDefinition(fieldHandle);
            text.Append("\nfield ").Append(FieldName(fieldHandle)).Append(' ').Append((int)field.Attributes)
                .Append(' ').Append(field.DecodeSignature(new SignatureNames(this, uses), null));
            // An enum's values matter to parsing, printing and serializers; other constants count where code uses them.
            if (isEnum) DescribeConstant(field.GetDefaultValue(), text);
            DescribeAttributes(field.GetCustomAttributes(), text, uses);
        }
        foreach (var propertyHandle in type.GetProperties())
        {
            var property = _metadata.GetPropertyDefinition(propertyHandle);
            text.Append("\nproperty ").Append(_metadata.GetString(property.Name)).Append(' ')
                .Append(MethodSignature(property.DecodeSignature(new SignatureNames(this, uses), null)));
            DescribeAttributes(property.GetCustomAttributes(), text, uses);
            var accessors = property.GetAccessors();
            uses.AddRange([accessors.Getter, accessors.Setter, .. accessors.Others]);
        }
        foreach (var eventHandle in type.GetEvents())
        {
            var @event = _metadata.GetEventDefinition(eventHandle);
            text.Append("\nevent ").Append(_metadata.GetString(@event.Name)).Append(' ').Append(Name(@event.Type, uses));
            var accessors = @event.GetAccessors();
            uses.AddRange([accessors.Adder, accessors.Remover, accessors.Raiser, .. accessors.Others]);
        }
        foreach (var methodHandle in type.GetMethods())
        {
            var method = _metadata.GetMethodDefinition(methodHandle);
            var name = _metadata.GetString(method.Name);
            if (name is ".ctor" || (method.Attributes & MethodAttributes.Virtual) != 0) uses.Add(methodHandle);
        }
        // An explicit static constructor runs on any first use of the type; field initializers alone (beforefieldinit)
        // run when a static field is first used, so they count from the fields (see DescribeField).
        if ((type.Attributes & TypeAttributes.BeforeFieldInit) == 0) uses.AddRange(StaticConstructor(handle));
        uses.RemoveAll(use => use.IsNil);
    }

    private void DescribeMethod(MethodDefinitionHandle handle, StringBuilder text, List<EntityHandle> uses)
    {
        var method = _metadata.GetMethodDefinition(handle);
        uses.Add(method.GetDeclaringType());
        text.Append("method ").Append(Key(handle)).Append(' ').Append((int)method.Attributes).Append(' ').Append((int)method.ImplAttributes)
            .Append(' ').Append(MethodSignature(method.DecodeSignature(new SignatureNames(this, uses), null)));
        DescribeGenericParameters(method.GetGenericParameters(), text, uses);
        DescribeAttributes(method.GetCustomAttributes(), text, uses);
        foreach (var parameterHandle in method.GetParameters())
        {
            // Parameter names do not count; default values do, since callers compile them in.
            var parameter = _metadata.GetParameter(parameterHandle);
            text.Append("\nparameter ").Append(parameter.SequenceNumber).Append(' ').Append((int)parameter.Attributes);
            DescribeConstant(parameter.GetDefaultValue(), text);
            DescribeAttributes(parameter.GetCustomAttributes(), text, uses);
        }
        if (method.RelativeVirtualAddress != 0) DescribeBody(pe.GetMethodBody(method.RelativeVirtualAddress), text, uses);
    }

    private void DescribeBody(MethodBodyBlock body, StringBuilder text, List<EntityHandle> uses)
    {
        text.Append("\nbody ").Append(body.LocalVariablesInitialized);
        if (!body.LocalSignature.IsNil)
        {
            var locals = _metadata.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(new SignatureNames(this, uses), null);
            text.Append(" locals ").AppendJoin(',', locals);
        }
        foreach (var region in body.ExceptionRegions)
        {
            text.Append("\nregion ").Append(region.Kind).Append(' ').Append(region.TryOffset).Append(' ').Append(region.TryLength)
                .Append(' ').Append(region.HandlerOffset).Append(' ').Append(region.HandlerLength).Append(' ').Append(region.FilterOffset);
            if (!region.CatchType.IsNil) text.Append(' ').Append(Name(region.CatchType, uses));
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            var opcode = (ushort)il.ReadByte();
            if (opcode == 0xFE) opcode = (ushort)(0xFE00 | il.ReadByte());
            text.Append('\n').Append(opcode.ToString("x"));
            switch (ILOperands.Of(opcode))
            {
                case OperandType.InlineString:
                    var userString = _metadata.GetUserString(MetadataTokens.UserStringHandle(il.ReadInt32() & 0xFFFFFF));
                    text.Append(" \"").Append(userString.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('"');
                    break;
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok or OperandType.InlineSig:
                    text.Append(' ').Append(Name(MetadataTokens.EntityHandle(il.ReadInt32()), uses));
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    text.Append(' ').Append(targets);
                    for (var i = 0; i < targets; i++) text.Append(' ').Append(il.ReadInt32());
                    break;
                case var plain:
                    for (var i = ILOperands.SizeOf(plain); i > 0; i--) text.Append(' ').Append(il.ReadByte());
                    break;
            }
        }
    }

    private void DescribeField(FieldDefinitionHandle handle, StringBuilder text, List<EntityHandle> uses)
    {
        var field = _metadata.GetFieldDefinition(handle);
        uses.Add(field.GetDeclaringType());
        if ((field.Attributes & FieldAttributes.Static) != 0) uses.AddRange(StaticConstructor(field.GetDeclaringType()));
        text.Append("field ").Append(Key(handle)).Append(' ').Append((int)field.Attributes)
            .Append(' ').Append(field.DecodeSignature(new SignatureNames(this, uses), null));
        DescribeConstant(field.GetDefaultValue(), text);
        DescribeAttributes(field.GetCustomAttributes(), text, uses);
        if ((field.Attributes & FieldAttributes.HasFieldRVA) != 0)
        {
            // Array and span literals: the compiler stores their bytes in the image, not in IL.
            var size = FieldDataSize(field);
            var data = pe.GetSectionData(field.GetRelativeVirtualAddress());
            if (size > 0 && size <= data.Length) text.Append("\ndata ").Append(Convert.ToHexString(data.GetContent(0, size).AsSpan()));
        }
    }

    private void DescribeAssembly(AssemblyReferenceHandle handle, StringBuilder text)
    {
        var reference = _metadata.GetAssemblyReference(handle);
        var name = _metadata.GetString(reference.Name);
        text.Append("assembly ").Append(name).Append(' ').Append(reference.Version).Append(' ').Append(_metadata.GetString(reference.Culture))
            .Append(' ').Append(Convert.ToHexString(_metadata.GetBlobBytes(reference.PublicKeyOrToken)));
        // A package or project copied next to the assembly: its build id tells a new version even when the assembly version stays.
        var build = AppLocalBuild(name);
        if (build.Length > 0) text.Append(' ').Append(build);
    }

    // An embedded resource by its bytes; one linked from another file counts by its name and where it lives.
    private void DescribeResource(ManifestResourceHandle handle, StringBuilder text)
    {
        var resource = _metadata.GetManifestResource(handle);
        text.Append("resource ").Append(_metadata.GetString(resource.Name)).Append(' ').Append((int)resource.Attributes);
        if (!resource.Implementation.IsNil)
        {
            text.Append(" in ").Append(resource.Implementation.Kind);
            return;
        }
        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        var data = pe.GetSectionData(directory.RelativeVirtualAddress);
        var reader = data.GetReader((int)resource.Offset, data.Length - (int)resource.Offset);
        var bytes = reader.ReadBytes(reader.ReadInt32());
        text.Append(' ').Append(Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>
    /// Code that can read the assembly's manifest resources: <c>Assembly.GetManifestResource*</c>, and
    /// <c>ResourceManager</c>, which the classes generated from .resx files use. Such code reaches every resource.
    /// </summary>
    private static bool ReadsResources(string typeName, string member) =>
        (typeName.EndsWith("]System.Reflection.Assembly", StringComparison.Ordinal) && member.StartsWith("GetManifestResource", StringComparison.Ordinal))
        || typeName.EndsWith("]System.Resources.ResourceManager", StringComparison.Ordinal);

    /// <summary>
    /// A hash of the build ids (MVIDs) of an assembly copied next to the user's and of the copied assemblies it
    /// references, transitively: a package's or project's own dependency can change while it does not. Empty for
    /// an assembly that is not there (the framework's).
    /// </summary>
    private string AppLocalBuild(string name)
    {
        if (_appLocalBuilds.TryGetValue(name, out var known)) return known;
        _appLocalBuilds[name] = ""; // a reference cycle stops here
        var file = Path.Combine(assemblyDirectory, name + ".dll");
        if (!File.Exists(file)) return "";
        var parts = new List<string>();
        try
        {
            using var reader = new PEReader(File.OpenRead(file));
            if (!reader.HasMetadata) return _appLocalBuilds[name] = "no-metadata";
            var metadata = reader.GetMetadataReader();
            parts.Add(metadata.GetGuid(metadata.GetModuleDefinition().Mvid).ToString());
            foreach (var reference in metadata.AssemblyReferences)
            {
                var dependency = metadata.GetString(metadata.GetAssemblyReference(reference).Name);
                parts.Add($"{dependency}={AppLocalBuild(dependency)}");
            }
        }
        catch (BadImageFormatException)
        {
            parts.Add("unreadable");
        }
        return _appLocalBuilds[name] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts))))[..16];
    }

    private void DescribeGenericParameters(GenericParameterHandleCollection parameters, StringBuilder text, List<EntityHandle> uses)
    {
        foreach (var parameterHandle in parameters)
        {
            var parameter = _metadata.GetGenericParameter(parameterHandle);
            text.Append("\ngeneric ").Append(parameter.Index).Append(' ').Append((int)parameter.Attributes);
            foreach (var constraint in parameter.GetConstraints())
                text.Append(' ').Append(Name(_metadata.GetGenericParameterConstraint(constraint).Type, uses));
        }
    }

    private void DescribeAttributes(CustomAttributeHandleCollection attributes, StringBuilder text, List<EntityHandle> uses)
    {
        foreach (var attributeHandle in attributes)
        {
            var attribute = _metadata.GetCustomAttribute(attributeHandle);
            text.Append("\n[").Append(Name(attribute.Constructor, uses)).Append(' ')
                .Append(Convert.ToHexString(_metadata.GetBlobBytes(attribute.Value))).Append(']');
            ReachTypesNamedIn(attribute, uses);
        }
    }

    // typeof(X) in an attribute ([JsonConverter(typeof(PenguinConverter))]) is stored as X's name, not a token.
    private void ReachTypesNamedIn(CustomAttribute attribute, List<EntityHandle> uses)
    {
        try
        {
            attribute.DecodeValue(new SignatureNames(this, uses));
        }
        catch (Exception e) when (e is BadImageFormatException or ArgumentException or InvalidOperationException)
        {
            // An argument of another assembly's enum type whose size is not Int32 cannot be decoded; its bytes count anyway.
        }
    }

    private void DescribeConstant(ConstantHandle handle, StringBuilder text)
    {
        if (handle.IsNil) return;
        var constant = _metadata.GetConstant(handle);
        text.Append(" = ").Append(constant.TypeCode).Append(' ').Append(Convert.ToHexString(_metadata.GetBlobBytes(constant.Value)));
    }

    private int FieldDataSize(FieldDefinition field)
    {
        var signature = _metadata.GetBlobReader(field.Signature);
        signature.ReadSignatureHeader();
        return signature.ReadSignatureTypeCode() switch
        {
            SignatureTypeCode.Boolean or SignatureTypeCode.SByte or SignatureTypeCode.Byte => 1,
            SignatureTypeCode.Char or SignatureTypeCode.Int16 or SignatureTypeCode.UInt16 => 2,
            SignatureTypeCode.Int32 or SignatureTypeCode.UInt32 or SignatureTypeCode.Single => 4,
            SignatureTypeCode.Int64 or SignatureTypeCode.UInt64 or SignatureTypeCode.Double => 8,
            SignatureTypeCode.TypeHandle when signature.ReadTypeHandle() is { Kind: HandleKind.TypeDefinition } type
                => _metadata.GetTypeDefinition((TypeDefinitionHandle)type).GetLayout().Size,
            _ => 0,
        };
    }

    // The base classes of a type that this assembly defines (a generic one through its instantiation), nearest first.
    private IEnumerable<TypeDefinitionHandle> OwnBases(TypeDefinitionHandle type)
    {
        var seen = new HashSet<TypeDefinitionHandle> { type };
        var baseType = _metadata.GetTypeDefinition(type).BaseType;
        while ((baseType.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)baseType : OwnGenericType(baseType)) is { } own && seen.Add(own))
        {
            yield return own;
            baseType = _metadata.GetTypeDefinition(own).BaseType;
        }
    }

    private IEnumerable<EntityHandle> StaticConstructor(TypeDefinitionHandle type) =>
        _metadata.GetTypeDefinition(type).GetMethods().Where(m => _metadata.StringComparer.Equals(_metadata.GetMethodDefinition(m).Name, ".cctor")).Select(m => (EntityHandle)m);

    private static string MethodSignature(MethodSignature<string> signature) =>
        $"{(signature.Header.IsInstance ? "instance " : "")}{signature.GenericParameterCount}({string.Join(",", signature.ParameterTypes)}):{signature.ReturnType}";
}

/// <summary>A node of <see cref="CodeGraph"/>: its stable key, the name a user reads, its hash, and the nodes it uses.</summary>
internal sealed record CodeNode(string Key, string Display, string Hash, IReadOnlyList<EntityHandle> Uses);
