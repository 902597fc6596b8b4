using System.Globalization;
using System.Text;
using Dagdog.Graph;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// How paths travel through MSBuild: it gives ';', '%', '$', '@', quotes and parentheses a meaning and escapes them as
/// <c>%XX</c>. A list in item metadata is split before it is unescaped, or a ';' inside a path would cut it in two.
/// </summary>
internal static class MSBuildEscaping
{
    /// <summary>Escapes a declared path for an item's Include, keeping its globs (<c>*</c>, <c>?</c>) working.</summary>
    public static string EscapeKeepingGlobs(string path)
    {
        var escaped = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c is '%' or '$' or '@' or '\'' or ';' or '(' or ')') escaped.Append('%').Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>The entries of a list in an item's metadata, each unescaped.</summary>
    public static IReadOnlyList<string> List(ITaskItem item, string metadata)
    {
        var value = item is ITaskItem2 escaped ? escaped.GetMetadataValueEscaped(metadata) : item.GetMetadata(metadata);
        return TaskDeclaration.SplitList(value).Select(Unescape).ToList();
    }

    private static string Unescape(string value)
    {
        if (!value.Contains('%')) return value;
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && int.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                text.Append((char)code);
                i += 2;
            }
            else text.Append(value[i]);
        }
        return text.ToString();
    }
}
