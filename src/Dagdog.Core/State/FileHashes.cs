using System.Security.Cryptography;
using System.Text;

namespace Dagdog.State;

/// <summary>A declared data file's content hash, with the size and time it had when hashed.</summary>
/// <param name="Path">As declared: relative to the project unless rooted.</param>
internal sealed record FileHash(string Path, long Size, DateTime TimeUtc, string Sha256);

/// <summary>
/// Many inputs as a run record keeps them: their number and one hash over their paths and hashes in path order. An
/// aggregator of 100,000 instances' outputs would otherwise record 20 MB of them, of which only "the same or not" is
/// ever asked; which one changed is told by its upstream instead (see <see cref="Staleness.ByContent"/>).
/// </summary>
internal sealed record InputDigest(int Count, string Sha256)
{
    /// <summary>Up to this many inputs are recorded one by one, so that a reason can name the one that changed.</summary>
    public const int Largest = 100;

    public static InputDigest Of(IEnumerable<FileHash> inputs)
    {
        var text = new StringBuilder();
        var count = 0;
        foreach (var input in inputs.OrderBy(i => i.Path, StringComparer.Ordinal))
        {
            text.Append(input.Path).Append('\t').Append(input.Sha256).Append('\n');
            count++;
        }
        return new InputDigest(count, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))));
    }

    /// <summary>The record with its inputs' hashes, one by one or as a digest.</summary>
    public static RunRecord Recorded(RunRecord record, IReadOnlyList<FileHash> inputs) =>
        inputs.Count > Largest ? record with { Inputs = null, InputDigest = Of(inputs) } : record with { Inputs = inputs, InputDigest = null };
}

/// <summary>
/// Hashes declared inputs and outputs, skipping the work when a file's size and time match a hash already known
/// (from the task's last run, or its parents' outputs), so a no-op check reads no data.
/// </summary>
internal sealed class FileHasher(StateLayout layout, IEnumerable<FileHash> known)
{
    private readonly ILookup<string, FileHash> _known = known.ToLookup(hash => hash.Path, StringComparer.Ordinal);
    private readonly Dictionary<string, FileHash?> _hashed = new(StringComparer.Ordinal);

    /// <summary>A hasher that trusts what a task's last run recorded and the outputs its parents' last runs recorded.</summary>
    public static FileHasher From(StateLayout layout, RunRecord? lastRun, IEnumerable<FileHash> parentOutputs) =>
        new(layout, [.. lastRun?.Inputs ?? [], .. lastRun?.Outputs ?? [], .. parentOutputs]);

    /// <summary>The file's hash now, or null when it does not exist.</summary>
    public FileHash? Hash(string path)
    {
        if (_hashed.TryGetValue(path, out var done)) return done;
        var file = new FileInfo(layout.DataFile(path));
        if (!file.Exists) return _hashed[path] = null;
        var (size, time) = (file.Length, file.LastWriteTimeUtc);
        if (_known[path].FirstOrDefault(k => k.Size == size && k.TimeUtc == time) is { } known) return _hashed[path] = known;
        using var stream = file.OpenRead();
        return _hashed[path] = new FileHash(path, size, time, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>Hashes of the files that exist, in the order given.</summary>
    public IReadOnlyList<FileHash> HashAll(IEnumerable<string> paths) => paths.Select(Hash).OfType<FileHash>().ToList();

    /// <summary>
    /// What downstream tasks compare to know whether a task produced new output: a hash of its declared outputs'
    /// contents, so byte-identical outputs give the same version; without declared outputs, every run is new.
    /// </summary>
    public static string OutputVersion(IReadOnlyList<string> declaredOutputs, IReadOnlyList<FileHash> outputs, DateTime runStartedUtc)
    {
        if (declaredOutputs.Count == 0) return $"run {runStartedUtc:O}";
        var text = string.Join("\n", outputs.OrderBy(o => o.Path, StringComparer.Ordinal).Select(o => $"{o.Sha256} {o.Path}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
