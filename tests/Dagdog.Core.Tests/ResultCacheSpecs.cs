using Dagdog.Cache;
using Dagdog.State;

namespace Dagdog.Tests;

/// <summary>The shared cache's key and protocol, with a folder store: what is keyed, and that nothing half-fetched reaches a project.</summary>
public sealed class ResultCacheSpecs : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dagdog-cache-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly FileHash Raw = new("data/raw.csv", 10, DateTime.UnixEpoch, new string('a', 64));

    private static string Key(string code = "type Analysis.Fit\n", FileHash? input = null, string upstream = "v1", string output = "out/model.txt") =>
        CacheKey.Of(code, [input ?? Raw], new Dictionary<string, string> { ["Clean"] = upstream }, [output]);

    [Fact]
    public void The_key_changes_with_code_input_content_upstream_version_and_outputs_and_with_nothing_else()
    {
        Assert.Equal(Key(), Key(input: Raw with { Size = 99, TimeUtc = DateTime.UtcNow }));
        Assert.NotEqual(Key(), Key(code: "type Analysis.Fit\nchanged\n"));
        Assert.NotEqual(Key(), Key(input: Raw with { Sha256 = new string('b', 64) }));
        Assert.NotEqual(Key(), Key(input: Raw with { Path = "data/other.csv" }));
        Assert.NotEqual(Key(), Key(upstream: "v2"));
        Assert.NotEqual(Key(), Key(output: "out/other.txt"));
    }

    private StateLayout Project(string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        return new StateLayout(Path.Combine(directory, "obj", "dag"), directory);
    }

    private static FileHash Write(StateLayout project, string path, string content)
    {
        var file = project.DataFile(path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return new FileHasher(project, []).Hash(path)!;
    }

    private readonly List<string> _unavailable = [];
    private readonly List<string> _created = [];

    private ResultCache Cache(IResultStore store, TimeSpan? timeout = null) => new(store, timeout ?? TimeSpan.FromSeconds(10), _unavailable.Add);

    private FolderStore Folder(string path) => new(path, _created.Add);

    [Fact]
    public async Task Outputs_pushed_from_one_project_are_restored_into_another_byte_for_byte()
    {
        var cache = Cache(Folder(Path.Combine(_root, "store")));
        var first = Project("first");
        var second = Project("second");
        var model = Write(first, "out/model.txt", "slope 2");

        Assert.Equal(PushOutcome.Stored, await cache.Push("k1", "Fit", [model], first));
        Assert.Equal(PushOutcome.AlreadyStored, await cache.Push("k1", "Fit", [model], first));
        var restored = await cache.Restore("k1", ["out/model.txt"], second);

        Assert.Equal(7, Assert.IsType<RestoreOutcome.Restored>(restored).Bytes);
        Assert.Equal("slope 2", File.ReadAllText(second.DataFile("out/model.txt")));
        Assert.IsType<RestoreOutcome.Missed>(await cache.Restore("k2", ["out/model.txt"], second));
    }

    [Fact]
    public async Task A_damaged_entry_fails_and_leaves_the_project_as_it_was()
    {
        var store = Path.Combine(_root, "store");
        var cache = Cache(Folder(store));
        var first = Project("first");
        var second = Project("second");
        Assert.Equal(PushOutcome.Stored, await cache.Push("k1", "Fit", [Write(first, "out/a.txt", "a"), Write(first, "out/b.txt", "b")], first));
        Write(second, "out/a.txt", "old a");
        foreach (var file in Directory.GetFiles(Path.Combine(store, "content"), "*", SearchOption.AllDirectories).Where(f => File.ReadAllText(f) == "b"))
            File.WriteAllText(file, "c");

        var outcome = await cache.Restore("k1", ["out/a.txt", "out/b.txt"], second);

        Assert.Equal("its entry k1 is damaged ('out/b.txt' does not match its SHA-256)", Assert.IsType<RestoreOutcome.Damaged>(outcome).Why);
        Assert.Equal("old a", File.ReadAllText(second.DataFile("out/a.txt")));
        Assert.Equal(["a.txt"], Directory.GetFiles(second.DataFile("out")).Select(Path.GetFileName));
        Assert.Empty(_unavailable);
    }

    [Fact]
    public async Task The_push_after_a_damaged_entry_repairs_it_and_the_next_build_restores_it()
    {
        var store = Path.Combine(_root, "store");
        var first = Project("first");
        var model = Write(first, "out/model.txt", "slope 2");
        await Cache(Folder(store)).Push("k1", "Fit", [model], first);
        foreach (var file in Directory.GetFiles(Path.Combine(store, "content"), "*", SearchOption.AllDirectories)) File.WriteAllText(file, "rotten");
        var second = Project("second");
        var cache = Cache(Folder(store));
        Assert.IsType<RestoreOutcome.Damaged>(await cache.Restore("k1", ["out/model.txt"], second));

        Assert.Equal(PushOutcome.Repaired, await cache.Push("k1", "Fit", [model], first));

        Assert.IsType<RestoreOutcome.Restored>(await Cache(Folder(store)).Restore("k1", ["out/model.txt"], Project("third")));
    }

    [Fact]
    public async Task A_manifest_that_is_a_link_to_an_endless_device_is_a_damaged_entry_read_with_a_bound()
    {
        var store = Path.Combine(_root, "store");
        var first = Project("first");
        var model = Write(first, "out/model.txt", "slope 2");
        await Cache(Folder(store)).Push("k1", "Fit", [model], first);
        var manifest = Path.Combine(store, "entries", "k1.json");
        File.Delete(manifest);
        File.CreateSymbolicLink(manifest, "/dev/zero");
        var cache = Cache(Folder(store));

        var outcome = await cache.Restore("k1", ["out/model.txt"], Project("second"));

        Assert.Equal("its entry k1 is damaged ('k1.json' is not a regular file)", Assert.IsType<RestoreOutcome.Damaged>(outcome).Why);
        Assert.Equal(PushOutcome.Repaired, await cache.Push("k1", "Fit", [model], first));
        Assert.False(new FileInfo(manifest).Attributes.HasFlag(FileAttributes.ReparsePoint));
    }

    [Fact]
    public async Task Content_larger_than_its_manifest_says_is_a_damaged_entry_and_is_not_read_further()
    {
        var store = Path.Combine(_root, "store");
        var first = Project("first");
        await Cache(Folder(store)).Push("k1", "Fit", [Write(first, "out/model.txt", "slope 2")], first);
        foreach (var file in Directory.GetFiles(Path.Combine(store, "content"), "*", SearchOption.AllDirectories)) File.WriteAllText(file, new string('x', 1_000_000));
        var second = Project("second");

        var outcome = await Cache(Folder(store)).Restore("k1", ["out/model.txt"], second);

        Assert.Equal("its entry k1 is damaged ('out/model.txt' is larger than its manifest says)", Assert.IsType<RestoreOutcome.Damaged>(outcome).Why);
        Assert.False(Directory.Exists(second.DataFile("out")) && Directory.EnumerateFileSystemEntries(second.DataFile("out")).Any());
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_is_created_on_first_use()
    {
        var store = Path.Combine(_root, "new", "store");
        var cache = Cache(Folder(store));

        Assert.IsType<RestoreOutcome.Missed>(await cache.Restore("k1", ["out/model.txt"], Project("p")));

        Assert.True(Directory.Exists(store));
        Assert.Equal([store], _created);
        Assert.Empty(_unavailable);
    }

    [Fact]
    public async Task A_store_that_does_not_answer_in_time_is_reported_once_with_the_time_it_was_given_and_not_asked_again()
    {
        var store = new SilentStore();
        var cache = Cache(store, TimeSpan.FromMilliseconds(200));

        var outcomes = new[] { await cache.Restore("k1", ["out/model.txt"], Project("p")), await cache.Restore("k2", ["out/model.txt"], Project("q")) };

        Assert.All(outcomes, outcome => Assert.IsType<RestoreOutcome.Unavailable>(outcome));
        Assert.Equal(PushOutcome.Unavailable, await cache.Push("k1", "Fit", [], Project("r")));
        Assert.Equal(["it did not answer within 0.2 s"], _unavailable);
        Assert.Equal(1, store.Asked);
    }

    [Fact]
    public void A_manifest_of_another_format_or_damaged_is_not_read() =>
        Assert.All(new[] { "{}"u8.ToArray(), "not json"u8.ToArray(), """{"format":"dagdog-cache-0","key":"k","task":"Fit","outputs":[]}"""u8.ToArray() },
            bytes => Assert.Null(CacheEntry.FromJson(bytes)));

    // A store that never answers, as a hung network share or server would.
    private sealed class SilentStore : IResultStore
    {
        public string Name => "silent";

        public int Asked { get; private set; }

        public async Task<byte[]?> ReadManifest(string key, int longest, CancellationToken cancellation)
        {
            Asked++;
            await Task.Delay(Timeout.Infinite, cancellation);
            return null;
        }

        public Task ReadContent(string sha256, Stream destination, CancellationToken cancellation) => throw new NotSupportedException();

        public Task WriteContent(string sha256, string sourceFile, bool replace, CancellationToken cancellation) => throw new NotSupportedException();

        public Task<bool> WriteManifest(string key, byte[] manifest, bool replace, CancellationToken cancellation) => throw new NotSupportedException();
    }
}
