namespace Dagdog.Board;

/// <summary>
/// The only files the board reads: the declared inputs and outputs and the logs its document names, by the exact path
/// the document gives them, and only while their real path (every symbolic link on the way followed) stays inside the
/// project folder. Anything else (another path, <c>..</c>, an encoded one, a link out) is refused as if it did not exist.
/// </summary>
internal static class FileGate
{
    /// <summary>The full path of a file the document names; null when it names none, or it leads outside the project.</summary>
    public static string? Open(BoardDocument? document, string? path)
    {
        if (document is null || string.IsNullOrEmpty(path) || !Named(document).Contains(path)) return null;
        var root = RealPath(Path.GetFullPath(document.ProjectDirectory));
        var real = RealPath(Path.GetFullPath(path, document.ProjectDirectory));
        return real.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? real : null;
    }

    // Every path a document names, the form the page asks for them by: gathered once a document, not once a request
    // (a snapshot of a 10,000-instance family opens each of their files).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<BoardDocument, IReadOnlySet<string>> NamedBy = new();

    private static IReadOnlySet<string> Named(BoardDocument document) => NamedBy.GetValue(document, Gather);

    private static IReadOnlySet<string> Gather(BoardDocument document) =>
        document.Tasks.SelectMany(task => task.Instances is { } instances ? instances.Prepend(task) : [task])
            .SelectMany(unit => unit.Inputs.Concat(unit.Outputs).Select(file => file.Path).Append(unit.Log))
            .ToHashSet(StringComparer.Ordinal);

    // The path with every symbolic link along it followed, as the operating system would open it.
    private static string RealPath(string full)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            current = info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target ? RealPath(target.FullName) : next;
        }
        return current;
    }
}
