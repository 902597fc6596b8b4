using System.Reflection;

namespace Dagdog.Board;

/// <summary>The page's files (Page/ in this project), embedded in the assembly: served by the board, inlined into a snapshot.</summary>
internal static class PageFiles
{
    public static readonly IReadOnlyDictionary<string, string> MediaTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["board.js"] = "text/javascript; charset=utf-8",
        ["board.css"] = "text/css; charset=utf-8",
        ["dagre.min.js"] = "text/javascript; charset=utf-8",
    };

    public static string Read(string name)
    {
        using var stream = typeof(PageFiles).Assembly.GetManifestResourceStream($"page/{name}")
            ?? throw new InvalidOperationException($"The board's page file {name} is not in {typeof(PageFiles).Assembly.Location}.");
        // As a browser reads it (line breaks are LF there): a snapshot's script hashes are of this text.
        return new StreamReader(stream).ReadToEnd().ReplaceLineEndings("\n");
    }
}
