using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dagdog.Cache;

/// <summary>One output of a cached run: its path relative to the project, its SHA-256 (the name of its bytes in the store) and size.</summary>
internal sealed record CachedOutput(string Path, string Sha256, long Size);

/// <summary>
/// The manifest of a cached run, stored under its key: which outputs the run wrote and their hashes. The only file
/// format of the cache; the bytes of each output are stored under their SHA-256, so equal outputs are stored once.
/// </summary>
internal sealed record CacheEntry(string Format, string Key, string Task, IReadOnlyList<CachedOutput> Outputs)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads a manifest; null when the bytes are not one of this format (damaged, or written by another version).</summary>
    public static CacheEntry? FromJson(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<CacheEntry>(bytes, Json) is { Format: CacheKey.Format, Key: not null, Task: not null, Outputs: not null } entry
                   && entry.Outputs.All(o => o is { Path: not null, Sha256.Length: 64 } && o.Size >= 0)
                ? entry
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
