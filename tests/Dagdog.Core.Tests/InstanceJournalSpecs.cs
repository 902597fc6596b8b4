using CsCheck;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.State;

namespace Dagdog.Tests;

/// <summary>
/// A family's instances' records live in one append-only journal: what a build wrote is read back by the next one,
/// whatever it was stopped in the middle of, and the file stays small.
/// </summary>
public sealed class InstanceJournalSpecs : IDisposable
{
    private const string Code = "type Fit\naaaa\tM:Fit::Run\tFit.Run\tT:Fit\n";
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _directory = Directory.CreateTempSubdirectory("dagdog-journal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private StateLayout Layout => new(Path.Combine(_directory, "obj", "dag"), _directory);

    private string JournalFile => Layout.InstanceJournal("Fit");

    private static RunRecord Success(string key, string output = "x") => new($"Fit[{key}]", true, T0, T0, 0.1, Reasons.NeverRan, Code: Code,
        Inputs: [new FileHash($"data/{key}.csv", 3, T0, new string('a', 64))], Outputs: [new FileHash($"out/{key}.txt", 3, T0, new string('b', 64))],
        OutputVersion: output);

    [Fact]
    public void A_build_reads_back_every_record_the_last_one_wrote_with_the_code_written_once()
    {
        var store = new StateStore(Layout);
        foreach (var key in new[] { "adelie", "gentoo", "chinstrap" }) store.RecordSuccess(Success(key));
        store.RecordFailure(new RunRecord("Fit[bee]", false, T0, T0, 0.1, Reasons.NeverRan, "boom"));

        var next = new StateStore(Layout);
        Assert.Equal(["adelie", "bee", "chinstrap", "gentoo"], next.RecordedKeys("Fit").Order());
        // An aggregator trusts its parent's instances' outputs, read without the rest of their records.
        Assert.Equal(Success("chinstrap").Outputs, next.RecordedOutputs("Fit[chinstrap]"));
        Assert.Empty(next.RecordedOutputs("Fit[bee]"));
        var gentoo = next.State("Fit[GENTOO]").LastRun!;
        Assert.Equal(Success("gentoo").ToJson(), gentoo.ToJson());
        Assert.Equal("boom", next.State("Fit[bee]").LastRun!.Error);
        Assert.Null(next.StampTime("Fit[bee]", Staleness.FileTime));
        Assert.NotNull(next.StampTime("Fit[adelie]", Staleness.FileTime));
        // One copy of the code for every record, and one line per record.
        var text = File.ReadAllText(JournalFile);
        Assert.Equal(1, text.Split("M:Fit::Run").Length - 1);
        Assert.Equal(5, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void A_run_that_began_or_an_instance_forgotten_has_no_record_any_more()
    {
        var store = new StateStore(Layout);
        store.RecordSuccess(Success("adelie"));
        store.RecordSuccess(Success("gentoo"));
        store.Unstamp("Fit[adelie]");
        store.Forget("Fit[gentoo]");

        var next = new StateStore(Layout);
        Assert.Null(next.State("Fit[adelie]").LastRun);
        Assert.Null(next.State("Fit[gentoo]").LastRun);
        Assert.Empty(next.RecordedKeys("Fit"));
    }

    [Fact]
    public void A_line_torn_by_a_killed_build_is_ignored_without_a_warning_and_the_next_record_starts_on_a_line_of_its_own()
    {
        new StateStore(Layout).RecordSuccess(Success("adelie"));
        File.AppendAllText(JournalFile, "{\"key\":\"gentoo\",\"run\":{\"task\":\"Fit[gen");
        var warned = new List<string>();

        var next = new StateStore(Layout, warned.Add);
        Assert.Equal(["adelie"], next.RecordedKeys("Fit"));
        Assert.Empty(warned);
        next.RecordSuccess(Success("chinstrap"));

        Assert.Equal(["adelie", "chinstrap"], new StateStore(Layout).RecordedKeys("Fit").Order());
    }

    [Fact]
    public void A_damaged_line_is_warned_of_and_costs_only_its_own_instance()
    {
        var store = new StateStore(Layout);
        store.RecordSuccess(Success("adelie"));
        File.AppendAllText(JournalFile, "not a record\n{\"key\":\"x\",\"run\":{\"succeeded\":true}}\n");
        new StateStore(Layout).RecordSuccess(Success("gentoo"));
        var warned = new List<string>();

        var next = new StateStore(Layout, warned.Add);
        Assert.Equal(["adelie", "gentoo", "x"], next.RecordedKeys("Fit").Order());
        Assert.Equal(["Fit"], warned);
        // A line that is JSON but not a whole record is found when its record is asked for (a no-op asks for none).
        Assert.Null(next.State("Fit[x]").LastRun);
        Assert.Equal(["Fit", "Fit[x]"], warned);
        Assert.Equal(["adelie", "gentoo"], next.RecordedKeys("Fit").Order());
        Assert.NotNull(next.State("Fit[gentoo]").LastRun);
    }

    [Fact]
    public void Whatever_damage_the_journal_holds_reading_it_never_throws_and_the_next_record_is_read_back() =>
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(JournalFile)!);
            File.WriteAllBytes(JournalFile, bytes);
            var store = new StateStore(Layout, _ => { });
            _ = store.RecordedKeys("Fit");
            store.RecordSuccess(Success("adelie"));
            Assert.Contains("adelie", new StateStore(Layout, _ => { }).RecordedKeys("Fit"));
        }, iter: 300, threads: 1);

    [Fact]
    public void A_journal_mostly_of_replaced_records_is_rewritten_with_one_line_per_record_after_the_family_s_turn()
    {
        var store = new StateStore(Layout);
        for (var round = 0; round < 10; round++)
        {
            foreach (var key in Enumerable.Range(0, 20).Select(i => $"s{i}"))
            {
                store.Unstamp($"Fit[{key}]");
                store.RecordSuccess(Success(key, output: $"v{round}"));
            }
        }
        store.Forget("Fit[s0]");
        Assert.Equal(401, File.ReadAllLines(JournalFile).Length - 1);

        store.Settle("Fit");

        Assert.Equal(20, File.ReadAllLines(JournalFile).Length);
        var next = new StateStore(Layout);
        Assert.Equal(19, next.RecordedKeys("Fit").Count);
        Assert.Equal("v9", next.State("Fit[s7]").LastRun!.OutputVersion);
        Assert.Equal(Code, next.State("Fit[s7]").LastRun!.Code);
    }

    [Fact]
    public void Records_a_build_never_asked_for_are_written_back_as_they_were_when_the_journal_is_rewritten()
    {
        var store = new StateStore(Layout);
        foreach (var key in Enumerable.Range(0, 50).Select(i => $"s{i}")) store.RecordSuccess(Success(key));
        var stamped = store.StampTime("Fit[s3]", Staleness.FileTime);

        // A later build reads the keys and stamps only, re-runs one instance many times, and rewrites the journal.
        var later = new StateStore(Layout);
        Assert.Equal(stamped, later.StampTime("Fit[s3]", Staleness.FileTime));
        for (var i = 0; i < 100; i++)
        {
            later.Unstamp("Fit[s0]");
            later.RecordSuccess(Success("s0", output: $"v{i}"));
        }
        later.Settle("Fit");
        Assert.Equal(51, File.ReadAllLines(JournalFile).Length);

        var next = new StateStore(Layout);
        Assert.Equal(stamped, next.StampTime("Fit[s3]", Staleness.FileTime));
        Assert.Equal(Success("s3").ToJson(), next.State("Fit[s3]").LastRun!.ToJson());
        Assert.Equal("v99", next.State("Fit[s0]").LastRun!.OutputVersion);
    }

    [Fact]
    public void The_stamp_files_of_instances_an_earlier_version_wrote_go_with_the_first_record()
    {
        var folder = Path.GetDirectoryName(JournalFile)!;
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "adelie.stamp"), "{}");
        File.WriteAllText(Path.Combine(folder, "gentoo.failed"), "{}");

        new StateStore(Layout).RecordSuccess(Success("adelie"));

        Assert.Equal(["instances.journal"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }
}
