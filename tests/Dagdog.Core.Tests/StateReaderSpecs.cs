using CsCheck;
using Dagdog.Code;
using Dagdog.Graph;
using Dagdog.Running;
using Dagdog.State;

namespace Dagdog.Tests;

/// <summary>Damaged state never throws: every reader either reads a file or reports it unreadable.</summary>
public sealed class StateReaderSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dagdog-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private StateLayout Layout => new(Path.Combine(_directory, "obj", "dag"), _directory);

    // A real record, as a successful run writes it, and everything a damaged copy of it could be.
    private string RealRecord()
    {
        var fit = new TaskOnDisk("Fit", [], TaskDataFiles.None, new StateStore(Layout));
        var run = new TaskRun(fit);
        run.Decide(Reasons.Forced);
        run.Begin();
        run.Succeed("type Analysis.Fit\naaaa\tM:Analysis.Fit::Run\tFit.Run\tT:Analysis.Fit\n");
        return File.ReadAllText(Layout.StampFile("Fit"));
    }

    private static readonly Gen<byte[]> Damage = Gen.OneOf(
        Gen.Byte.Array[0, 400],
        Gen.Const(() => Array.Empty<byte>()),
        Gen.Const(() => "{\"task\":\"Fit\",\"succeeded\":true}"u8.ToArray()),
        Gen.Const(() => "[1,2,3]"u8.ToArray()),
        Gen.Const(() => "{\"task\":\"Fit\",\"reason\":\"x\",\"inputs\":[null]}\n"u8.ToArray()));

    [Fact]
    public void Random_bytes_and_old_formats_in_a_stamp_are_read_or_reported_unreadable_and_never_throw()
    {
        var layout = Layout;
        Directory.CreateDirectory(Path.GetDirectoryName(layout.StampFile("Fit"))!);
        Damage.Sample(bytes =>
        {
            File.WriteAllBytes(layout.StampFile("Fit"), bytes);

            _ = RunRecord.LooksWhole(layout.StampFile("Fit"));
            var state = TaskState.Read(layout, "Fit");

            Assert.True(state.LastRun is not null || state.Unreadable);
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Every_truncation_of_a_real_record_is_read_whole_or_reported_and_a_damaged_one_never_looks_whole()
    {
        var record = RealRecord();
        var layout = Layout;
        Gen.Int[0, record.Length - 1].Sample(length =>
        {
            File.WriteAllText(layout.StampFile("Fit"), record[..length]);

            Assert.False(RunRecord.LooksWhole(layout.StampFile("Fit")));
            var state = TaskState.Read(layout, "Fit");
            Assert.True(state.Unreadable || state.LastRun is { Task: "Fit" });
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void A_record_says_its_format_first_and_one_of_another_format_is_not_read_so_its_task_runs_again()
    {
        var record = RealRecord();
        Assert.StartsWith("{\n  \"format\": 1,\n  \"task\": \"Fit\",", record);
        Assert.NotNull(TaskState.Read(Layout, "Fit").LastRun);

        // A newer Dagdog's record, which this one cannot know how to read.
        File.WriteAllText(Layout.StampFile("Fit"), record.Replace("\"format\": 1,", "\"format\": 2,"));
        // Not whole by its shape either, so a build reads it (and removes it) before MSBuild trusts the stamp's time.
        Assert.False(RunRecord.LooksWhole(Layout.StampFile("Fit")));
        var state = TaskState.Read(Layout, "Fit");

        Assert.True(state is { Unreadable: true, LastRun: null });
        Assert.False(File.Exists(Layout.StampFile("Fit")));
    }

    [Fact]
    public void A_record_of_the_first_version_which_had_no_format_is_read()
    {
        var record = RealRecord();
        File.WriteAllText(Layout.StampFile("Fit"), record.Replace("\"format\": 1,\n  ", ""));

        Assert.True(RunRecord.LooksWhole(Layout.StampFile("Fit")));
        Assert.NotNull(TaskState.Read(Layout, "Fit").LastRun);
    }

    [Fact]
    public void A_damaged_code_fingerprint_is_compared_without_throwing()
    {
        const string code = "type Analysis.Fit\naaaa\tM:Analysis.Fit::Run\tFit.Run\tT:Analysis.Fit\nbbbb\tT:Analysis.Fit\tFit\t\n";
        Gen.OneOf(Gen.String, Gen.Int[0, code.Length - 1].Select(n => code[..n])).Sample(damaged =>
        {
            _ = CodeFingerprint.TypeOf(damaged);
            _ = CodeFingerprint.Change(damaged, code);
            _ = CodeFingerprint.Change(code, damaged);
        }, iter: 300);
    }
}
