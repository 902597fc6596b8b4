using System.Security.Cryptography;
using System.Text;
using Dagdog.State;

namespace Dagdog.Cache;

/// <summary>
/// What a run of a task computes from, as one SHA-256: its code fingerprint, its inputs' paths and content hashes, its
/// parents' output versions, its declared outputs' paths, the .NET runtime's major version and the cache format; for
/// an instance of a family, also its key and its parameters.
/// Every path is relative to the project, so two clones in different folders, or machines, compute the same key for
/// the same code and data (docs/design.md, "Shared results").
/// </summary>
internal static class CacheKey
{
    public const string Format = "dagdog-cache-1";

    /// <param name="task">The task's name, or an instance's (<c>Fit[adelie]</c>): only an instance's key goes into the key.</param>
    public static string Of(string code, IReadOnlyList<FileHash> inputs, IReadOnlyDictionary<string, string> upstream, IReadOnlyList<string> outputs,
        string task = "", IReadOnlyDictionary<string, string>? parameters = null)
    {
        var text = new StringBuilder()
            .Append(Format).Append('\n')
            .Append("runtime ").Append(Environment.Version.Major).Append('\n')
            .Append(code);
        foreach (var input in inputs.OrderBy(i => i.Path, StringComparer.Ordinal)) text.Append("input ").Append(input.Path).Append(' ').Append(input.Sha256).Append('\n');
        foreach (var (parent, version) in upstream.OrderBy(u => u.Key, StringComparer.Ordinal)) text.Append("upstream ").Append(parent).Append(' ').Append(version).Append('\n');
        foreach (var output in outputs.Order(StringComparer.Ordinal)) text.Append("output ").Append(output).Append('\n');
        // Absent for a task run once, so that its keys stay what they were before families.
        if (Families.InstanceKeys.Split(task) is (_, var key)) text.Append("instance ").Append(key.ToLowerInvariant()).Append('\n');
        foreach (var (name, value) in (parameters ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
            text.Append("parameter ").Append(name.ToLowerInvariant()).Append(' ').Append(value).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
