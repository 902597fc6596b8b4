using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Reflection;
using Dagdog.Graph;

namespace Dagdog.Code;

/// <summary>What the inspector found for one task: its class and its code fingerprint (see <see cref="CodeFingerprint"/>).</summary>
/// <param name="TypeFullName">The class that implements the task, e.g. <c>Analysis.Fit</c>.</param>
/// <param name="Fingerprint">One line per piece of code the task reaches; it changes exactly when that code changes.</param>
internal sealed record TaskCode(string TypeFullName, string Fingerprint);

/// <summary>The outcome of <see cref="TaskCodeInspector.Inspect"/>.</summary>
internal sealed record AssemblyInspection(IReadOnlyDictionary<string, TaskCode> Tasks, IReadOnlyList<DagProblem> Problems);

/// <summary>
/// Finds each task's class in the built assembly and checks its Run() method, reading metadata only (nothing is
/// loaded). It also fingerprints each task's code: everything in the assembly its class reaches through IL, and the
/// referenced assemblies it uses (see <see cref="CodeGraph"/>). Editing code only one task reaches changes that task's
/// fingerprint alone.
/// </summary>
internal static class TaskCodeInspector
{
    /// <param name="sources">What each task's Run() parameters can take, by task name; null to leave them unchecked.</param>
    public static AssemblyInspection Inspect(string assemblyPath, IReadOnlyList<TaskDeclaration> tasks, Func<string, Families.RunParameterSources>? sources = null)
    {
        using var pe = new PEReader(ImmutableArray.Create(File.ReadAllBytes(assemblyPath)));
        var metadata = pe.GetMetadataReader();
        var problems = new List<DagProblem>();
        var taskTypes = new Dictionary<string, TypeDefinitionHandle>(StringComparer.Ordinal);
        var assemblyDirectory = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        using var hierarchy = new TypeHierarchy(assemblyDirectory);

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
            if (RunMethodProblem(hierarchy, new DefinedType(metadata, handle), out var run) is { } runProblem)
            {
                problems.Add(new(DagCodes.NoRunMethod, task.Name,
                    $"Class '{TypeNameProvider.FullName(metadata, type)}' of task '{task.Name}' {runProblem}. " +
                    "A task needs 'public void Run()' or 'public Task Run()' (either may take a CancellationToken, a family's key or metadata by name, and may be inherited from a base class), static or on a class with a public parameterless constructor."));
                continue;
            }
            if (sources is not null && ParameterProblem(run!, sources(task.Name)) is { } parameterProblem)
            {
                problems.Add(new(DagCodes.RunParameter, task.Name,
                    $"Class '{TypeNameProvider.FullName(metadata, type)}' of task '{task.Name}' {parameterProblem}{run!.Where}. " +
                    "Run's parameters are given by name: a family's wildcards and item metadata, or the keys of a family the task depends on as a list."));
                continue;
            }
            taskTypes.Add(task.Name, handle);
        }

        var graph = new CodeGraph(pe, assemblyDirectory);
        var codes = taskTypes.ToDictionary(
            t => t.Key,
            t => new TaskCode(TypeNameProvider.FullName(metadata, metadata.GetTypeDefinition(t.Value)), graph.Fingerprint(t.Value)),
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

    private static bool HasAttribute(MetadataReader metadata, CustomAttributeHandleCollection attributes, string fullName) =>
        attributes.Select(metadata.GetCustomAttribute).Any(attribute =>
            attribute.Constructor.Kind == HandleKind.MemberReference
            && metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
            && metadata.GetTypeReference((TypeReferenceHandle)parent) is var type
            && $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}" == fullName);

    // The first parameter nothing gives a value, said as a problem; null when each has a source.
    private static string? ParameterProblem(RunMethod run, Families.RunParameterSources sources)
    {
        var metadata = run.Class.Metadata;
        var names = run.Method.GetParameters().Select(metadata.GetParameter).Where(p => p.SequenceNumber > 0)
            .OrderBy(p => p.SequenceNumber).Select(p => metadata.GetString(p.Name)).ToList();
        return names.Zip(run.Signature.ParameterTypes).Select(p => sources.Problem(p.First, p.Second)).FirstOrDefault(problem => problem is not null);
    }

    // What is wrong with the task's Run(), found on its class or inherited from a base class; null when it can be
    // called, and then chosen is the one Dagdog calls (the public one with the most parameters).
    private static string? RunMethodProblem(TypeHierarchy hierarchy, DefinedType task, out RunMethod? chosen)
    {
        chosen = null;
        var classes = hierarchy.SelfAndBases(task).ToList();
        var runs = classes
            .SelectMany(c => c.Definition.GetMethods().Select(c.Metadata.GetMethodDefinition)
                .Where(m => c.Metadata.GetString(m.Name) == "Run")
                .Select(m => new RunMethod(c, m, m.DecodeSignature(TypeNameProvider.Instance, null), c.Handle == task.Handle && c.Metadata == task.Metadata)))
            .ToList();
        if (runs.Count == 0)
            return classes.Count == 1 ? "has no method named Run" : $"has no method named Run, nor do its base classes ({string.Join(", ", classes.Skip(1).Select(c => c.FullName))})";

        // Parameters are given by name when the task runs (an instance's key and metadata, a family's keys; see the worker's RunArguments).
        var callable = runs.Where(r => r.Signature.GenericParameterCount == 0).ToList();
        if (callable.Count == 0)
            return $"has only a generic Run{runs[0].Where}, which Dagdog cannot call: remove its type parameters";
        if (callable.Where(r => (r.Method.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public)
                .MaxBy(r => r.Signature.ParameterTypes.Length) is not { } run)
            return $"has a Run() that is {Access(callable[0].Method)}{callable[0].Where}: make it public";
        chosen = run;

        var returnType = run.Signature.ReturnType;
        if (returnType is not ("void" or "System.Threading.Tasks.Task") && !returnType.StartsWith("System.Threading.Tasks.Task`1<", StringComparison.Ordinal))
            return $"has a Run() returning '{returnType}'{run.Where}";
        // The caller of an async void method cannot know when it ends: the task would count as done at its first await.
        if (returnType == "void" && HasAttribute(run.Class.Metadata, run.Method.GetCustomAttributes(), "System.Runtime.CompilerServices.AsyncStateMachineAttribute"))
            return $"has an 'async void Run()'{run.Where}, which cannot be awaited: Dagdog would record it as finished at its first await. Declare it 'async Task Run()'";

        if ((run.Method.Attributes & MethodAttributes.Static) != 0) return null;
        var type = task.Definition;
        if ((type.Attributes & TypeAttributes.Abstract) != 0) return "is abstract, so its instance Run() cannot be called";
        var hasDefaultConstructor = type.GetMethods().Select(task.Metadata.GetMethodDefinition).Any(m =>
            task.Metadata.GetString(m.Name) == ".ctor"
            && (m.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public
            && m.DecodeSignature(TypeNameProvider.Instance, null).ParameterTypes.Length == 0);
        return hasDefaultConstructor ? null : "has no public parameterless constructor to call its instance Run() on";
    }

    private static string Access(MethodDefinition method) => (method.Attributes & MethodAttributes.MemberAccessMask) switch
    {
        MethodAttributes.Private => "private",
        MethodAttributes.FamANDAssem => "private protected",
        MethodAttributes.Assembly => "internal",
        MethodAttributes.Family => "protected",
        MethodAttributes.FamORAssem => "protected internal",
        _ => "not public",
    };

    /// <summary>A method named Run on the task's class or one of its bases; <see cref="Where"/> says which base, for messages.</summary>
    private sealed record RunMethod(DefinedType Class, MethodDefinition Method, MethodSignature<string> Signature, bool OnTaskClass)
    {
        public string Where => OnTaskClass ? "" : $" (inherited from {Class.FullName})";
    }
}
