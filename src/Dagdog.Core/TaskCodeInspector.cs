using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Dagdog;

/// <summary>What the inspector found for one task: its class and the text that fingerprints its code.</summary>
/// <param name="TypeFullName">The class that implements the task, e.g. <c>Analysis.Fit</c>.</param>
/// <param name="Fingerprint">One line per source file and reference the task's code depends on; it changes when that code changes.</param>
public sealed record TaskCode(string TypeFullName, string Fingerprint)
{
    /// <summary>The fingerprint's first line names the class, so the runner need not search for it again.</summary>
    public const string TypeLinePrefix = "type ";

    /// <summary>Reads the class name back from a fingerprint written by <see cref="TaskCodeInspector"/>.</summary>
    public static string? TypeFromFingerprint(string fingerprint) =>
        fingerprint.StartsWith(TypeLinePrefix, StringComparison.Ordinal) ? fingerprint[TypeLinePrefix.Length..fingerprint.IndexOf('\n')] : null;
}

/// <summary>The outcome of <see cref="TaskCodeInspector.Inspect"/>.</summary>
public sealed record AssemblyInspection(IReadOnlyDictionary<string, TaskCode> Tasks, IReadOnlyList<DagProblem> Problems);

/// <summary>
/// Finds each task's class in the built assembly and checks its Run() method, reading metadata only (nothing is
/// loaded). It also fingerprints each task's code from the portable PDB: the source files that define only that
/// task's class (its own files), every other source file (shared helpers count for every task), and the assembly's
/// references. Editing one task's file changes that task's fingerprint alone; editing a shared file changes all.
/// </summary>
public static class TaskCodeInspector
{
    // Roslyn records the files of types that have no method bodies (enums, interfaces, constants) under this kind.
    private static readonly Guid TypeDefinitionDocumentsKind = new("932E74BC-DBA9-4478-8D46-0F32A7BAB3D3");

    public static AssemblyInspection Inspect(string assemblyPath, IReadOnlyList<TaskDeclaration> tasks, string projectDirectory)
    {
        using var pe = new PEReader(ImmutableArray.Create(File.ReadAllBytes(assemblyPath)));
        var metadata = pe.GetMetadataReader();
        var problems = new List<DagProblem>();
        var taskTypes = new Dictionary<string, TypeDefinitionHandle>(StringComparer.Ordinal);

        var candidates = metadata.TypeDefinitions
            .Select(handle => (handle, type: metadata.GetTypeDefinition(handle)))
            .Where(t => t.type.GetDeclaringType().IsNil && !metadata.GetString(t.type.Name).StartsWith('<')
                        && (t.type.Attributes & TypeAttributes.Interface) == 0)
            .ToList();
        var bySimpleName = candidates.ToLookup(t => metadata.GetString(t.type.Name), StringComparer.Ordinal);
        var byFullName = candidates.ToLookup(t => TypeNameProvider.FullName(metadata, t.type), StringComparer.Ordinal);

        foreach (var task in tasks)
        {
            var matches = (task.TypeName is null ? bySimpleName[task.Name] : byFullName[task.TypeName]).ToList();
            if (matches.Count == 0)
            {
                problems.Add(NoClassProblem(task, assemblyPath));
                continue;
            }
            if (matches.Count > 1)
            {
                var names = matches.Select(m => TypeNameProvider.FullName(metadata, m.type)).Order(StringComparer.Ordinal).ToList();
                problems.Add(new(DagCodes.SeveralClasses, task.Name,
                    $"Several classes are named '{task.Name}': {string.Join(", ", names)}. Say which one runs the task with " +
                    $"<DagTask Include=\"{task.Name}\" Type=\"{names[0]}\" />."));
                continue;
            }
            var (handle, type) = matches[0];
            if (RunMethodProblem(metadata, type) is { } runProblem)
            {
                problems.Add(new(DagCodes.NoRunMethod, task.Name,
                    $"Class '{TypeNameProvider.FullName(metadata, type)}' of task '{task.Name}' {runProblem}. " +
                    "A task needs 'public void Run()' or 'public Task Run()', static or on a class with a public parameterless constructor."));
                continue;
            }
            taskTypes.Add(task.Name, handle);
        }

        var fingerprints = Fingerprints(pe, metadata, assemblyPath, taskTypes, projectDirectory);
        var codes = taskTypes.ToDictionary(
            t => t.Key,
            t =>
            {
                var typeName = TypeNameProvider.FullName(metadata, metadata.GetTypeDefinition(t.Value));
                return new TaskCode(typeName, $"{TaskCode.TypeLinePrefix}{typeName}\n{fingerprints[t.Value]}");
            },
            StringComparer.Ordinal);
        return new AssemblyInspection(codes, problems);
    }

    private static DagProblem NoClassProblem(TaskDeclaration task, string assemblyPath) =>
        task.TypeName is null
            ? new(DagCodes.NoClass, task.Name,
                $"No class named '{task.Name}' was found in {Path.GetFileName(assemblyPath)}. Add a class '{task.Name}' " +
                "with a public Run() method, or point to an existing class with the DagTask's Type metadata.")
            : new(DagCodes.NoClass, task.Name,
                $"The class '{task.TypeName}' given as Type of task '{task.Name}' was not found in {Path.GetFileName(assemblyPath)}. " +
                "Check the namespace and name (nested classes are not supported).");

    private static string? RunMethodProblem(MetadataReader metadata, TypeDefinition type)
    {
        var runs = type.GetMethods().Select(metadata.GetMethodDefinition)
            .Where(m => metadata.GetString(m.Name) == "Run").ToList();
        if (runs.Count == 0) return "has no Run() method";

        var usable = runs.Where(m =>
            {
                var signature = m.DecodeSignature(TypeNameProvider.Instance, null);
                return (m.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public
                    && signature.GenericParameterCount == 0
                    && signature.ParameterTypes.Length == 0;
            })
            .Select(m => (MethodDefinition?)m)
            .FirstOrDefault();
        if (usable is not { } run) return "has no public parameterless Run() method";

        var returnType = run.DecodeSignature(TypeNameProvider.Instance, null).ReturnType;
        if (returnType is not ("void" or "System.Threading.Tasks.Task") && !returnType.StartsWith("System.Threading.Tasks.Task`1<", StringComparison.Ordinal))
            return $"has a Run() method returning '{returnType}'";

        if ((run.Attributes & MethodAttributes.Static) != 0) return null;
        if ((type.Attributes & TypeAttributes.Abstract) != 0) return "is abstract, so its instance Run() cannot be called";
        var hasDefaultConstructor = type.GetMethods().Select(metadata.GetMethodDefinition).Any(m =>
            metadata.GetString(m.Name) == ".ctor"
            && (m.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public
            && m.DecodeSignature(TypeNameProvider.Instance, null).ParameterTypes.Length == 0);
        return hasDefaultConstructor ? null : "has no public parameterless constructor to call its instance Run() on";
    }

    private static Dictionary<TypeDefinitionHandle, string> Fingerprints(
        PEReader pe, MetadataReader metadata, string assemblyPath,
        Dictionary<string, TypeDefinitionHandle> taskTypes, string projectDirectory)
    {
        var references = metadata.AssemblyReferences.Select(metadata.GetAssemblyReference)
            .Select(r => $"reference {metadata.GetString(r.Name)} {r.Version}")
            .Order(StringComparer.Ordinal)
            .ToList();

        using var pdbProvider = OpenPdb(pe, assemblyPath);
        if (pdbProvider is null)
        {
            // Without a PDB nothing says which code belongs to which task: any change to the assembly counts for all.
            var module = $"assembly {metadata.GetGuid(metadata.GetModuleDefinition().Mvid)}";
            return taskTypes.Values.ToDictionary(t => t, _ => string.Join('\n', [module, .. references]) + "\n");
        }

        var pdb = pdbProvider.GetMetadataReader();
        var typesByDocument = TypesByDocument(metadata, pdb);
        var taskHandles = taskTypes.Values.ToHashSet();

        var shared = new List<string>();
        var own = taskHandles.ToDictionary(t => t, _ => new List<string>());
        foreach (var documentHandle in pdb.Documents)
        {
            var document = pdb.GetDocument(documentHandle);
            var path = pdb.GetString(document.Name);
            var line = $"{Convert.ToHexStringLower(pdb.GetBlobBytes(document.Hash))} {RelativePath(path, projectDirectory)}";
            var types = typesByDocument.GetValueOrDefault(documentHandle);
            if (types is { Count: > 0 } && types.All(taskHandles.Contains))
            {
                foreach (var type in types) own[type].Add($"own {line}");
            }
            else
            {
                shared.Add($"shared {line}");
            }
        }

        return own.ToDictionary(
            t => t.Key,
            t => string.Join('\n', [.. t.Value.Order(StringComparer.Ordinal), .. shared.Order(StringComparer.Ordinal), .. references]) + "\n");
    }

    private static MetadataReaderProvider? OpenPdb(PEReader pe, string assemblyPath)
    {
        var embedded = pe.ReadDebugDirectory().FirstOrDefault(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        if (embedded.DataSize > 0) return pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        var pdbPath = Path.ChangeExtension(assemblyPath, ".pdb");
        return File.Exists(pdbPath) ? MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(File.ReadAllBytes(pdbPath))) : null;
    }

    // Which top-level types have code in each source file, from method sequence points and Roslyn's type-document records.
    private static Dictionary<DocumentHandle, HashSet<TypeDefinitionHandle>> TypesByDocument(MetadataReader metadata, MetadataReader pdb)
    {
        var result = new Dictionary<DocumentHandle, HashSet<TypeDefinitionHandle>>();
        void Add(DocumentHandle document, TypeDefinitionHandle type)
        {
            if (!result.TryGetValue(document, out var types)) result[document] = types = [];
            types.Add(TopLevel(metadata, type));
        }

        foreach (var methodHandle in metadata.MethodDefinitions)
        {
            var debug = pdb.GetMethodDebugInformation(methodHandle);
            if (debug.SequencePointsBlob.IsNil) continue;
            var type = metadata.GetMethodDefinition(methodHandle).GetDeclaringType();
            if (!debug.Document.IsNil)
            {
                Add(debug.Document, type);
                continue;
            }
            foreach (var point in debug.GetSequencePoints()) Add(point.Document, type);
        }

        foreach (var handle in pdb.CustomDebugInformation)
        {
            var information = pdb.GetCustomDebugInformation(handle);
            if (information.Parent.Kind != HandleKind.TypeDefinition || pdb.GetGuid(information.Kind) != TypeDefinitionDocumentsKind) continue;
            var blob = pdb.GetBlobReader(information.Value);
            while (blob.RemainingBytes > 0) Add(MetadataTokens.DocumentHandle(blob.ReadCompressedInteger()), (TypeDefinitionHandle)information.Parent);
        }
        return result;
    }

    private static TypeDefinitionHandle TopLevel(MetadataReader metadata, TypeDefinitionHandle type)
    {
        for (var declaring = metadata.GetTypeDefinition(type).GetDeclaringType(); !declaring.IsNil; declaring = metadata.GetTypeDefinition(type).GetDeclaringType())
            type = declaring;
        return type;
    }

    private static string RelativePath(string path, string projectDirectory) =>
        Path.IsPathRooted(path) ? Path.GetRelativePath(projectDirectory, path).Replace('\\', '/') : path;
}
