using System.Security.Cryptography;
using System.Text;

namespace Dagdog;

/// <summary>
/// What a run of a task computes from, as one SHA-256: its code fingerprint, its inputs' paths and content hashes, its
/// parents' output versions, its declared outputs' paths, the .NET runtime's major version and the cache format.
/// Every path is relative to the project, so two clones in different folders, or machines, compute the same key for
/// the same code and data (docs/design.md, "Shared results").
/// </summary>
internal static class CacheKey
{
    public const string Format = "dagdog-cache-1";

    public static string Of(string code, IReadOnlyList<FileHash> inputs, IReadOnlyDictionary<string, string> upstream, IReadOnlyList<string> outputs)
    {
        var text = new StringBuilder()
            .Append(Format).Append('\n')
            .Append("runtime ").Append(Environment.Version.Major).Append('\n')
            .Append(code);
        foreach (var input in inputs.OrderBy(i => i.Path, StringComparer.Ordinal)) text.Append("input ").Append(input.Path).Append(' ').Append(input.Sha256).Append('\n');
        foreach (var (parent, version) in upstream.OrderBy(u => u.Key, StringComparer.Ordinal)) text.Append("upstream ").Append(parent).Append(' ').Append(version).Append('\n');
        foreach (var output in outputs.Order(StringComparer.Ordinal)) text.Append("output ").Append(output).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
