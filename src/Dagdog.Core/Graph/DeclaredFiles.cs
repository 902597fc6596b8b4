using System.Text.RegularExpressions;
using Dagdog.Graph;

namespace Dagdog.Graph;

/// <summary>A task's declared data files as they are on disk now (relative to the project unless rooted).</summary>
/// <param name="Globbed">True when a declared path is a glob: its matches are recorded in a file set (see <see cref="FileSets"/>).</param>
internal sealed record TaskDataFiles(IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, bool Globbed = false)
{
    public static readonly TaskDataFiles None = new([], []);
}

/// <summary>
/// Expands a task's declared paths when Dagdog needs them, not when MSBuild evaluated the project: a glob over files
/// that an upstream task writes in the same build must see them. Globs work as in MSBuild items: <c>*</c> and
/// <c>?</c> within one folder or file name, <c>**</c> for any depth of folders; a literal path stays as written.
/// </summary>
internal static class DeclaredFiles
{
    private static readonly EnumerationOptions Everything = new() { AttributesToSkip = 0, IgnoreInaccessible = true, MatchType = MatchType.Simple };

    // Folder links are not followed under '**', where a link to a parent would never end.
    private static readonly EnumerationOptions RealFolders = new() { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true, MatchType = MatchType.Simple };

    public static bool IsGlob(string path) => path.AsSpan().IndexOfAny('*', '?') >= 0;

    public static bool HasGlobs(TaskDeclaration declaration) => declaration.Inputs.Any(IsGlob) || declaration.Outputs.Any(IsGlob);

    public static TaskDataFiles Of(TaskDeclaration declaration, string projectDirectory) =>
        new(Expand(declaration.Inputs, projectDirectory), Expand(declaration.Outputs, projectDirectory), HasGlobs(declaration));

    /// <summary>Each literal path as written, each glob as the files it matches now (in ordinal order), without repeats.</summary>
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> paths, string projectDirectory)
    {
        if (!paths.Any(IsGlob)) return paths;
        return paths.SelectMany(path => IsGlob(path) ? Matches(path, projectDirectory) : [path]).Distinct(StringComparer.Ordinal).ToList();
    }

    private static List<string> Matches(string pattern, string projectDirectory)
    {
        var segments = pattern.Replace('\\', '/').Split('/');
        // 'out/**' means every file below out/, as in MSBuild.
        if (segments[^1] == "**") segments = [.. segments, "*"];
        var fixedCount = segments.TakeWhile(segment => !IsGlob(segment)).Count();
        var prefix = string.Join('/', segments.Take(fixedCount));
        var matches = new List<string>();
        var root = Path.Combine(projectDirectory, prefix);
        if (Directory.Exists(root)) Walk(root, prefix, segments[fixedCount..], matches);
        matches.Sort(StringComparer.Ordinal);
        return matches;
    }

    private static void Walk(string directory, string relative, string[] rest, List<string> matches)
    {
        string Join(string name) => relative.Length == 0 ? name : $"{relative}/{name}";
        if (rest[0] == "**")
        {
            Walk(directory, relative, rest[1..], matches);
            foreach (var folder in Directory.EnumerateDirectories(directory, "*", RealFolders)) Walk(folder, Join(Path.GetFileName(folder)), rest, matches);
            return;
        }
        var wildcard = Wildcard(rest[0]);
        if (rest.Length == 1)
        {
            matches.AddRange(Directory.EnumerateFiles(directory, "*", Everything).Select(Path.GetFileName).Where(name => wildcard.IsMatch(name!)).Select(name => Join(name!)));
            return;
        }
        foreach (var folder in Directory.EnumerateDirectories(directory, "*", Everything))
        {
            var name = Path.GetFileName(folder);
            if (wildcard.IsMatch(name)) Walk(folder, Join(name), rest[1..], matches);
        }
    }

    // File names compare as the file system does: exactly on Linux, ignoring case on Windows and macOS.
    private static Regex Wildcard(string segment) =>
        new($"^{Regex.Escape(segment).Replace(@"\*", ".*").Replace(@"\?", ".")}$",
            RegexOptions.CultureInvariant | (OperatingSystem.IsLinux() ? RegexOptions.None : RegexOptions.IgnoreCase));
}
