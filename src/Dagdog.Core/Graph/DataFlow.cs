using System.Text.RegularExpressions;

namespace Dagdog.Graph;

/// <summary>
/// Checks the declared files against the declared dependencies, so that the DAG the user wrote is the one the data
/// follows: two tasks writing one file (an error: which one's data would a reader get?), a task reading its own output
/// (a warning: it would run on every build), and a task reading another's output without depending on it (a warning:
/// it could run first and read stale data). Paths compare as declared, relative to the project; a glob input is
/// matched against other tasks' plain outputs, and a glob output against plain inputs; a family's wildcard counts as a glob.
/// </summary>
internal static class DataFlow
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static readonly StringComparer PathComparer =
        PathComparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    // Runs in every build, so plain paths are looked up, not compared pairwise: a 1,000-task DAG is checked in milliseconds.
    public static IEnumerable<DagProblem> Problems(IReadOnlyList<DagNode> tasks)
    {
        var plainWriters = new Dictionary<string, (DagNode Task, DeclaredPath Output)>(PathComparer);
        var globWriters = new List<(DagNode Task, DeclaredPath Output)>();
        foreach (var task in tasks)
        {
            foreach (var output in task.Declaration.Outputs.Select(DeclaredPath.Of))
            {
                if (output.Glob is not null) globWriters.Add((task, output));
                else if (plainWriters.TryGetValue(output.Normalized, out var first) && first.Task != task)
                {
                    yield return new DagProblem(DagCodes.SharedOutput, task.Name,
                        $"Tasks '{first.Task.Name}' and '{task.Name}' both declare the output '{output.Text}': a task reading it would get " +
                        "whichever ran last, and neither would know the other changed it. Give each task outputs of its own.");
                }
                else plainWriters.TryAdd(output.Normalized, (task, output));
            }
        }

        // A family's outputs are patterns: another task, or another family, whose outputs they can name is a second writer.
        foreach (var problem in FamilyWriters(tasks, plainWriters, globWriters)) yield return problem;

        foreach (var task in tasks)
        {
            HashSet<DagNode>? ancestors = null;
            foreach (var input in InputsOf(task).Select(DeclaredPath.Of))
            {
                var writers = input.Glob is null
                    ? globWriters.Where(w => w.Output.Matches(input)).Concat(plainWriters.TryGetValue(input.Normalized, out var plain) ? [plain] : [])
                    : plainWriters.Values.Where(w => w.Output.Matches(input));
                foreach (var (writer, output) in writers)
                {
                    if (writer == task)
                    {
                        yield return new DagProblem(DagCodes.OutputIsInput, task.Name,
                            $"Task '{task.Name}' declares '{output.Text}' both as an input and as an output: each run changes its own " +
                            "input, so it would run again on every build. Remove it from Inputs.", IsWarning: true);
                    }
                    // A parent is the usual writer; the whole ancestry is walked only for the others.
                    else if (!task.Parents.Contains(writer) && !(ancestors ??= Ancestors(task)).Contains(writer))
                    {
                        yield return new DagProblem(DagCodes.MissingDependency, task.Name,
                            $"Task '{task.Name}' reads '{input.Text}', which task '{writer.Name}' writes, but does not depend on it: it may run " +
                            $"before '{writer.Name}' or read its stale data. Add DependsOn=\"{writer.Name}\" to '{task.Name}'.", IsWarning: true);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The declared inputs that no task writes: the data a user edits, which <c>dotnet watch</c> should watch. Files a
    /// task writes are left out, or each run would set off another build.
    /// </summary>
    public static IEnumerable<string> SourceInputs(IReadOnlyList<DagNode> tasks)
    {
        var outputs = Outputs(tasks);
        return tasks.SelectMany(InputsOf).Select(Families.WildcardPath.AsGlob).Distinct(PathComparer)
            .Where(input => DeclaredPath.Of(input) is var path && !outputs.Any(output => output.Matches(path) || output.SameGlob(path)));
    }

    // Two writers of one file where a family's wildcards decide it (DAG024), and a family whose own, or an unrelated
    // family's, ForEach can match its outputs (DAG035: each build would find new instances in what the last one wrote).
    private static IEnumerable<DagProblem> FamilyWriters(IReadOnlyList<DagNode> tasks, Dictionary<string, (DagNode Task, DeclaredPath Output)> plainWriters,
        List<(DagNode Task, DeclaredPath Output)> globWriters)
    {
        var families = tasks.Where(task => task.Family is not null).ToList();
        if (families.Count == 0) yield break;
        var familyOutputs = families.SelectMany(family => family.Declaration.Outputs.Where(Families.WildcardPath.HasWildcards).Select(output => (Task: family, Output: DeclaredPath.Of(output)))).ToList();
        var reported = new HashSet<(DagNode, DagNode)>();
        foreach (var (family, output) in familyOutputs)
        {
            // Against another pattern, only the same pattern is decided by the declarations (out/{s}.txt and out/{t}.txt):
            // whether out/{s}.bam and out/{s}.sorted.bam meet depends on keys no declaration knows.
            var others = plainWriters.Values.Where(writer => writer.Task != family && output.Matches(writer.Output))
                .Concat(globWriters.Where(writer => writer.Task != family && output.SameGlob(writer.Output)));
            foreach (var (other, path) in others)
            {
                if (!reported.Add((family, other)) || !reported.Add((other, family))) continue;
                yield return new DagProblem(DagCodes.SharedOutput, family.Name,
                    $"Tasks '{family.Name}' and '{other.Name}' can both write one file: '{output.Text}' of '{family.Name}' can name '{path.Text}' of '{other.Name}'. " +
                    "A task reading it would get whichever ran last, and an instance that goes would delete what the other wrote. Give each task outputs of its own " +
                    "(a folder of its own, or a prefix no key can make).");
            }
            foreach (var reader in families.Where(reader => reader.Family!.Files is not null))
            {
                var pattern = DeclaredPath.Of(reader.Family!.Files!.Text);
                // Downstream of the family, its outputs are what a dynamic family is for.
                if (!output.MayMeet(pattern) || reader != family && Ancestors(reader).Contains(family)) continue;
                yield return new DagProblem(DagCodes.InvalidFamily, family.Name, reader == family
                    ? $"Task '{family.Name}' declares the output '{output.Text}', which its own ForEach=\"{pattern.Text}\" can match: every build would find " +
                      "a new instance in what the last one wrote (a-clean, a-clean-clean, ...). Write the outputs to another folder, or name them so the pattern cannot match them."
                    : Ancestors(family).Contains(reader)
                        ? $"Task '{family.Name}' declares the output '{output.Text}', which ForEach=\"{pattern.Text}\" of task '{reader.Name}', upstream of it, can match: " +
                          $"each build '{reader.Name}' would find instances in what '{family.Name}' wrote. Write the outputs where its pattern cannot match them."
                        : $"Task '{family.Name}' declares the output '{output.Text}', which ForEach=\"{pattern.Text}\" of task '{reader.Name}' can match, but '{reader.Name}' " +
                          $"does not depend on '{family.Name}': it would find instances in what '{family.Name}' writes, whenever it happens to run after it. " +
                          $"Add DependsOn=\"{family.Name}\" to '{reader.Name}', or write the outputs where its pattern cannot match them.");
            }
        }
    }

    private static List<DeclaredPath> Outputs(IReadOnlyList<DagNode> tasks) => tasks.SelectMany(task => task.Declaration.Outputs).Select(DeclaredPath.Of).ToList();

    /// <summary>
    /// Whether a file, relative to the project (or absolute), is one of the <see cref="SourceInputs"/>: a data file that a
    /// saved edit makes a task stale, which <c>DagWatch</c> reacts to.
    /// </summary>
    public static Func<string, bool> IsSourceInput(IReadOnlyList<DagNode> tasks)
    {
        var (inputs, outputs) = (SourceInputs(tasks).Select(DeclaredPath.Of).ToList(), Outputs(tasks));
        return path => DeclaredPath.Of(path) is var file && inputs.Any(input => input.Matches(file)) && !outputs.Any(output => output.Matches(file));
    }

    // What a task reads: its Inputs, and for a family over files, the files its ForEach matches.
    private static IEnumerable<string> InputsOf(DagNode task) =>
        task.Family?.Files is { } files ? task.Declaration.Inputs.Prepend(files.Text) : task.Declaration.Inputs;

    private static HashSet<DagNode> Ancestors(DagNode task)
    {
        var seen = new HashSet<DagNode>();
        var pending = new Stack<DagNode>(task.Parents);
        while (pending.TryPop(out var parent))
        {
            if (seen.Add(parent)) foreach (var grandparent in parent.Parents) pending.Push(grandparent);
        }
        return seen;
    }

    /// <summary>A declared path, normalized ('/' separators, no '.' or '..' segments), and as a pattern when it is a glob.</summary>
    private sealed record DeclaredPath(string Text, string Normalized, Regex? Glob)
    {
        public static DeclaredPath Of(string text)
        {
            var segments = new List<string>();
            foreach (var segment in text.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (segment == ".") continue;
                if (segment == ".." && segments.Count > 0 && segments[^1] != "..") segments.RemoveAt(segments.Count - 1);
                else segments.Add(segment);
            }
            var normalized = (text.StartsWith('/') ? "/" : "") + string.Join('/', segments);
            // A wildcard such as {species} stands for any file name part, as '*' does.
            normalized = Families.WildcardPath.AsGlob(normalized);
            return new DeclaredPath(text, normalized, normalized.IndexOfAny(['*', '?']) < 0 ? null : GlobRegex(normalized));
        }

        public bool SameAs(DeclaredPath other) => Glob is null && other.Glob is null && string.Equals(Normalized, other.Normalized, PathComparison);

        /// <summary>Both are the same glob (a family's outputs read by its gatherer: <c>out/fit/{Species}.json</c>).</summary>
        public bool SameGlob(DeclaredPath other) => Glob is not null && other.Glob is not null && string.Equals(Normalized, other.Normalized, PathComparison);

        /// <summary>
        /// True when some file can match both: the same plain path, a plain path the other's pattern matches, or two patterns
        /// that meet, compared segment by segment ('**' standing for any number of segments).
        /// </summary>
        public bool MayMeet(DeclaredPath other) =>
            Glob is null || other.Glob is null
                ? Matches(other)
                : SomeMatchesBoth(Normalized.Split('/'), other.Normalized.Split('/'), segment => segment == "**", SegmentsMeet);

        // Whether one file name matches both segment patterns ('*' any characters, '?' one).
        private static bool SegmentsMeet(string a, string b) =>
            SomeMatchesBoth(a.ToCharArray(), b.ToCharArray(), c => c == '*', (x, y) => x == '?' || y == '?' || string.Equals(x.ToString(), y.ToString(), PathComparison));

        // Whether some sequence matches both patterns, walked through at once: a star stands for any run of items, any
        // other item for one item it meets. Paths use it with '**' over segments, segments with '*' over characters.
        private static bool SomeMatchesBoth<T>(IReadOnlyList<T> a, IReadOnlyList<T> b, Func<T, bool> isStar, Func<T, T, bool> meet)
        {
            var seen = new HashSet<(int, int)>();
            bool Meet(int i, int j)
            {
                if (!seen.Add((i, j))) return false;
                if (i == a.Count && j == b.Count) return true;
                if (i < a.Count && isStar(a[i]) && (Meet(i + 1, j) || j < b.Count && Meet(i, j + 1))) return true;
                if (j < b.Count && isStar(b[j]) && (Meet(i, j + 1) || i < a.Count && Meet(i + 1, j))) return true;
                return i < a.Count && j < b.Count && !isStar(a[i]) && !isStar(b[j]) && meet(a[i], b[j]) && Meet(i + 1, j + 1);
            }
            return Meet(0, 0);
        }

        /// <summary>True when this output is, or may be, the file the input names.</summary>
        public bool Matches(DeclaredPath input) =>
            (Glob, input.Glob) switch
            {
                (null, null) => SameAs(input),
                (null, { } pattern) => pattern.IsMatch(Normalized),
                ({ } pattern, null) => pattern.IsMatch(input.Normalized),
                _ => false,
            };

        // MSBuild's wildcards: ** any folders, * any characters but '/', ? one character.
        private static Regex GlobRegex(string glob)
        {
            var pattern = Regex.Escape(glob).Replace(@"\*\*/", "(.*/)?").Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]");
            return new Regex($"^{pattern}$", PathComparison == StringComparison.Ordinal ? RegexOptions.None : RegexOptions.IgnoreCase);
        }
    }
}
