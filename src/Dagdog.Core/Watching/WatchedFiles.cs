namespace Dagdog.Watching;

/// <summary>What a saved file makes a watch cycle redo, least first: each kind includes the ones before it.</summary>
internal enum ChangeKind
{
    /// <summary>Nothing a task reaches: a task's output, the build's own files, an editor's temporary file.</summary>
    None,

    /// <summary>A data file that tasks read and no task writes: decide and run.</summary>
    Data,

    /// <summary>The content of a C# source or an embedded resource the compiler already takes: compile, fingerprint, then as Data.</summary>
    Code,

    /// <summary>The project file, an import, or a source file that came or went: evaluate (and restore) the project again, then as Code.</summary>
    Project,
}

/// <summary>
/// The files a watch watches, as one evaluation of the project lists them, and what a change to each makes a cycle
/// redo. A C# file counts by whether it exists after the save: editors save by writing a temporary file and renaming
/// it over the old one, which is a plain edit of a file the compiler takes, while a file that joins or leaves the
/// project's sources changes what the compiler is given, which only an evaluation knows.
/// </summary>
/// <param name="projectFile">The project file, full path.</param>
/// <param name="compiled">What the compiler takes as it is: the Compile items and the embedded resources that are not <c>.resx</c>, full paths.</param>
/// <param name="generated">Folders whose files the build writes (<c>bin/</c>, <c>obj/</c>), full paths: never a reason for a cycle.</param>
/// <param name="isSourceInput">Whether a path relative to the project is a data file tasks read and none writes (<see cref="DataFlow.IsSourceInput"/>).</param>
internal sealed class WatchedFiles(string projectFile, IReadOnlySet<string> compiled, IReadOnlyList<string> generated, Func<string, bool> isSourceInput)
{
    // What MSBuild imports from the folders above a project by convention; other imports live beside the project.
    private static readonly string[] ConventionalImports = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"];

    private readonly string _projectDirectory = Path.GetDirectoryName(projectFile)!;

    /// <summary>What a change of this file (created, written, renamed or deleted) makes a cycle redo.</summary>
    public ChangeKind Classify(string fullPath)
    {
        if (generated.Any(folder => IsUnder(fullPath, folder))) return ChangeKind.None;
        if (IsImport(fullPath)) return ChangeKind.Project;
        var extension = Path.GetExtension(fullPath);
        if (compiled.Contains(fullPath)) return File.Exists(fullPath) ? ChangeKind.Code : ChangeKind.Project;
        // A new source file; a .resx is turned into resources by the build before the compiler sees it.
        if ((extension.Equals(".cs", StringComparison.OrdinalIgnoreCase) || extension.Equals(".resx", StringComparison.OrdinalIgnoreCase))
            && IsUnder(fullPath, _projectDirectory) && File.Exists(fullPath))
            return ChangeKind.Project;
        // Declared relative to the project, or with a full path.
        return isSourceInput(Path.GetRelativePath(_projectDirectory, fullPath)) || isSourceInput(fullPath) ? ChangeKind.Data : ChangeKind.None;
    }

    /// <summary>
    /// The folders to watch: the project's, with everything under it; the folders above it, for their conventional
    /// imports; those of compiled files outside the project (linked sources); and those of <paramref name="sourceInputs"/>
    /// outside the project (from the first folder without a wildcard).
    /// </summary>
    public IReadOnlyList<(string Folder, bool Recursive)> Folders(IEnumerable<string> sourceInputs)
    {
        var folders = new List<(string, bool)> { (_projectDirectory, true) };
        for (var above = Path.GetDirectoryName(_projectDirectory); above is not null; above = Path.GetDirectoryName(above))
            folders.Add((above, false));
        foreach (var linked in compiled.Select(Path.GetDirectoryName).OfType<string>().Where(folder => !IsUnder(folder, _projectDirectory)).Distinct())
        {
            if (!folders.Contains((linked, false))) folders.Add((linked, false));
        }
        foreach (var input in sourceInputs)
        {
            var fixedPart = input.Replace('\\', '/').Split('/').SkipLast(1).TakeWhile(segment => segment.IndexOfAny(['*', '?']) < 0);
            var folder = Path.GetFullPath(Path.Combine(_projectDirectory, string.Join('/', fixedPart)));
            while (!Directory.Exists(folder) && Path.GetDirectoryName(folder) is { } parent) folder = parent;
            if (!IsUnder(folder, _projectDirectory) && !folders.Contains((folder, true))) folders.Add((folder, true));
        }
        return folders;
    }

    private bool IsImport(string fullPath) =>
        fullPath == projectFile
        || ConventionalImports.Contains(Path.GetFileName(fullPath), StringComparer.OrdinalIgnoreCase) && IsUnder(_projectDirectory, Path.GetDirectoryName(fullPath)!)
        || (fullPath.EndsWith(".props", StringComparison.OrdinalIgnoreCase) || fullPath.EndsWith(".targets", StringComparison.OrdinalIgnoreCase))
           && IsUnder(fullPath, _projectDirectory);

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || path == folder;
}
