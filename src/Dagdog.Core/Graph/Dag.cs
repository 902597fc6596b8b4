using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;

namespace Dagdog.Graph;

/// <summary>
/// A validated DAG of tasks in topological order. The order is deterministic: among the tasks whose
/// parents are all placed, the one declared first comes next. A task's index is its position here.
/// </summary>
internal sealed partial class Dag
{
    private readonly Dictionary<string, DagNode> _byName;

    private Dag(IReadOnlyList<DagNode> tasks)
    {
        Tasks = tasks;
        _byName = tasks.ToDictionary(t => t.Name, TaskNames.Comparer);
    }

    /// <summary>All tasks, in topological order.</summary>
    public IReadOnlyList<DagNode> Tasks { get; }

    public DagNode this[string name] => _byName[name];

    public bool TryGetTask(string name, out DagNode task) => _byName.TryGetValue(name, out task!);

    /// <summary>Validates the declarations and builds the DAG, or lists every problem found.</summary>
    public static DagValidation Create(IReadOnlyList<TaskDeclaration> declarations)
    {
        var problems = new List<DagProblem>();
        var nodes = new Dictionary<string, DagNode>(TaskNames.Comparer);
        var ordered = new List<DagNode>();

        for (var i = 0; i < declarations.Count; i++)
        {
            var declaration = declarations[i];
            if (!TaskNames.IsValidName(declaration.Name))
            {
                problems.Add(new(DagCodes.InvalidName, declaration.Name,
                    $"Task name '{declaration.Name}' is not a C# identifier. A task is named after its class: " +
                    "use letters, digits and '_' only, not starting with a digit."));
                continue;
            }
            if (Encoding.UTF8.GetByteCount(declaration.Name) is var bytes && bytes > TaskNames.LongestNameBytes)
            {
                problems.Add(new(DagCodes.InvalidName, declaration.Name,
                    $"Task name '{declaration.Name[..40]}...' takes {bytes} bytes in UTF-8; a .NET class name may take at most " +
                    $"{TaskNames.LongestNameBytes} (the compiler says CS7013). Use a shorter name."));
                continue;
            }
            if (nodes.TryGetValue(declaration.Name, out var first))
            {
                problems.Add(new(DagCodes.DuplicateTask, declaration.Name, first.Name == declaration.Name
                    ? $"Task '{declaration.Name}' is declared more than once. Remove the extra DagTask item or merge their DependsOn lists."
                    : $"Tasks '{first.Name}' and '{declaration.Name}' differ only in case. MSBuild compares target names ignoring " +
                      $"case, so Dag_{declaration.Name} would replace Dag_{first.Name}. Rename one of them."));
                continue;
            }
            var (jobs, timeout) = RunLimits(declaration, problems);
            var memory = MemoryOf(declaration, problems);
            problems.AddRange(PathProblems(declaration));
            var cache = declaration.Cache?.Trim();
            if (cache is not (null or "") && !bool.TryParse(cache, out _))
                problems.Add(new(DagCodes.InvalidOption, declaration.Name,
                    $"Cache=\"{declaration.Cache}\" of task '{declaration.Name}' is not true or false. Cache=\"false\" keeps a task with side effects out of the shared cache."));
            var family = Families.FamilyDeclarations.Read(declaration, problems);
            var node = new DagNode(declaration, i)
            {
                Family = family,
                Jobs = jobs,
                Timeout = timeout,
                MemoryMegabytes = memory,
                Cacheable = !string.Equals(cache, "false", StringComparison.OrdinalIgnoreCase) && declaration.Outputs.Count > 0 && !declaration.Outputs.Any(DeclaredFiles.IsGlob),
            };
            nodes.Add(declaration.Name, node);
            ordered.Add(node);
        }

        foreach (var node in ordered)
        {
            foreach (var parentName in node.Declaration.DependsOn)
            {
                if (nodes.TryGetValue(parentName, out var parent))
                {
                    node.AddParent(parent);
                    continue;
                }
                var nearest = TaskNames.Nearest(parentName, nodes.Keys);
                var hint = nearest is null
                    ? $"Declare it with <DagTask Include=\"{parentName}\" /> or remove it from DependsOn."
                    : $"Did you mean '{nearest}'?";
                problems.Add(new(DagCodes.UnknownDependency, node.Name,
                    $"Task '{node.Name}' depends on '{parentName}', which is not a declared task. {hint}"));
            }
        }

        foreach (var node in ordered)
        {
            problems.AddRange(Families.FamilyDeclarations.PathProblems(node));
            node.PairedParents = Families.FamilyDeclarations.PairedParents(node);
            node.InstanceSources = node.Family is { } family ? node.Parents.Where(p => Families.FamilyDeclarations.Writes(p, family)).ToList() : [];
        }

        var sorted = TopologicalOrder(ordered, out var cycle);
        if (cycle is not null)
        {
            var path = string.Join(" -> ", cycle.Append(cycle[0]).Select(n => n.Name));
            problems.Add(new(DagCodes.Cycle, cycle[0].Name,
                $"Tasks depend on each other in a cycle: {path} (each depends on the next). " +
                "Remove one of these dependencies."));
        }

        if (problems.Count > 0) return new DagValidation(null, problems);
        for (var i = 0; i < sorted.Count; i++) sorted[i].Index = i;
        problems.AddRange(DataFlow.Problems(sorted));
        return problems.Any(p => !p.IsWarning) ? new DagValidation(null, problems) : new DagValidation(new Dag(sorted), problems);
    }

    // Jobs and Timeout metadata; the defaults after adding the problem, so that the rest of the DAG is still checked.
    private static (int Jobs, TimeSpan? Timeout) RunLimits(TaskDeclaration declaration, List<DagProblem> problems)
    {
        var jobs = 1;
        if (!string.IsNullOrWhiteSpace(declaration.Jobs) && (!int.TryParse(declaration.Jobs.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out jobs) || jobs < 1))
        {
            problems.Add(new(DagCodes.InvalidRunLimit, declaration.Name,
                $"Jobs=\"{declaration.Jobs}\" of task '{declaration.Name}' is not a whole number of 1 or more. " +
                "Give how many cores the task uses, such as Jobs=\"2\"."));
            jobs = 1;
        }
        TimeSpan? timeout = null;
        if (!string.IsNullOrWhiteSpace(declaration.Timeout))
        {
            if (!TimeSpan.TryParse(declaration.Timeout.Trim(), CultureInfo.InvariantCulture, out var limit) || limit <= TimeSpan.Zero)
            {
                problems.Add(new(DagCodes.InvalidRunLimit, declaration.Name,
                    $"Timeout=\"{declaration.Timeout}\" of task '{declaration.Name}' is not a positive duration. " +
                    "Write hours:minutes:seconds, such as Timeout=\"00:30:00\"."));
            }
            else timeout = limit;
        }
        return (jobs, timeout);
    }

    // Memory="8GB": a whole number with an optional unit (KB, MB, GB, TB, or K, M, G, T; megabytes without one), in megabytes rounded up.
    private static long? MemoryOf(TaskDeclaration declaration, List<DagProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(declaration.Memory)) return null;
        var text = declaration.Memory.Trim().ToUpperInvariant();
        var digits = new string(text.TakeWhile(char.IsAsciiDigit).ToArray());
        double? perUnit = text[digits.Length..].Trim() switch
        {
            "" or "M" or "MB" => 1,
            "K" or "KB" => 1.0 / 1024,
            "G" or "GB" => 1024,
            "T" or "TB" => 1024 * 1024,
            _ => null,
        };
        if (digits.Length > 0 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0 && perUnit is { } unit)
            return (long)Math.Ceiling(amount * unit);
        problems.Add(new(DagCodes.InvalidRunLimit, declaration.Name,
            $"Memory=\"{declaration.Memory}\" of task '{declaration.Name}' is not an amount of memory. Write a whole number with a unit, such as Memory=\"8GB\" or Memory=\"512MB\"."));
        return null;
    }

    // A control character in a path is a mistake (an escaped %00, a pasted line break): no tool could show or type it.
    // A wildcard path whose name holds a percent sign and two hex digits (a folder named 'g%3B') is read twice over by
    // MSBuild's wildcard expansion, as 'g;': the check target would never see its files, while Dagdog would.
    private static IEnumerable<DagProblem> PathProblems(TaskDeclaration declaration) =>
        new[] { ("Inputs", declaration.Inputs), ("Outputs", declaration.Outputs) }
            .SelectMany(list => list.Item2.Select(path => (Metadata: list.Item1, Path: path)))
            .Select(declared => declared.Path.Any(char.IsControl)
                ? new DagProblem(DagCodes.InvalidPath, declaration.Name,
                    $"{declared.Metadata} of task '{declaration.Name}' has a path with a control character " +
                    $"(U+{(int)declared.Path.First(char.IsControl):X4}): '{Visible(declared.Path)}'. Remove it from the path.")
                : declared.Path.IndexOfAny(['*', '?']) >= 0 && PercentEscape().Match(declared.Path) is { Success: true } escape
                    ? new DagProblem(DagCodes.InvalidPath, declaration.Name,
                        $"{declared.Metadata} of task '{declaration.Name}' has a wildcard path with '{escape.Value}' in a name: '{declared.Path}'. " +
                        $"MSBuild's wildcard expansion reads it as an escaped character, so it would never find those files. " +
                        "Rename the folder or files, or list them without a wildcard.")
                    : null)
            .OfType<DagProblem>();

    [GeneratedRegex("%[0-9A-Fa-f]{2}")]
    private static partial Regex PercentEscape();

    private static string Visible(string path) => string.Concat(path.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    // Kahn's algorithm; ready tasks leave in declaration order. Iterative, so deep chains cannot overflow the stack.
    private static List<DagNode> TopologicalOrder(List<DagNode> nodes, out List<DagNode>? cycle)
    {
        var waitingFor = nodes.ToDictionary(n => n, n => n.Parents.Count);
        var ready = new PriorityQueue<DagNode, int>();
        foreach (var node in nodes.Where(n => n.Parents.Count == 0)) ready.Enqueue(node, node.DeclarationOrder);

        var sorted = new List<DagNode>(nodes.Count);
        while (ready.TryDequeue(out var node, out _))
        {
            sorted.Add(node);
            foreach (var child in node.Children)
            {
                if (--waitingFor[child] == 0) ready.Enqueue(child, child.DeclarationOrder);
            }
        }

        cycle = sorted.Count == nodes.Count ? null : FindCycle(nodes.Where(n => waitingFor[n] > 0).ToList());
        return sorted;
    }

    // Every unsorted task has an unsorted parent, so walking parents from any of them must come back to a task already seen.
    private static List<DagNode> FindCycle(List<DagNode> unsorted)
    {
        var remaining = unsorted.ToHashSet();
        var walk = new List<DagNode>();
        var seenAt = new Dictionary<DagNode, int>();
        var current = unsorted[0];
        while (!seenAt.ContainsKey(current))
        {
            seenAt[current] = walk.Count;
            walk.Add(current);
            current = current.Parents.First(remaining.Contains);
        }
        var cycle = walk.GetRange(seenAt[current], walk.Count - seenAt[current]);

        // Start from the task declared first, so the same cycle is always reported the same way.
        var first = cycle.IndexOf(cycle.MinBy(n => n.DeclarationOrder)!);
        return [.. cycle.Skip(first), .. cycle.Take(first)];
    }
}

/// <summary>The outcome of <see cref="Dag.Create"/>: a DAG, or the problems that prevent one.</summary>
internal sealed record DagValidation(Dag? Dag, IReadOnlyList<DagProblem> Problems);
