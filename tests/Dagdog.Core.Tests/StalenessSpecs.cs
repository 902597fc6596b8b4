using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Running;
using Dagdog.State;

namespace Dagdog.Tests;

/// <summary>
/// When timestamps say a task may be stale, contents decide: Fit (Clean -> Fit, reading data/raw.csv, writing
/// out/model.json) re-runs for new code, new input bytes or new upstream output, never for a touch.
/// </summary>
public sealed class StalenessSpecs : IDisposable
{
    private const string FitCode = "type Analysis.Fit\naaaa\tM:Analysis.Fit::Run\tFit.Run\tT:Analysis.Fit\nbbbb\tT:Analysis.Fit\tFit\t\n";
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _directory = Directory.CreateTempSubdirectory("dagdog-staleness-").FullName;
    private readonly StateLayout _layout;

    // Made anew for each use, as each build reads the state anew.
    private TaskOnDisk CleanTask => new("Clean", [], new TaskDataFiles([], ["out/clean.csv"]), new StateStore(_layout));
    private TaskOnDisk FitTask => new("Fit", ["Clean"], new TaskDataFiles(["data/raw.csv"], ["out/model.json"]), new StateStore(_layout));

    public StalenessSpecs()
    {
        _layout = new StateLayout(Path.Combine(_directory, "obj", "dag"), _directory);
        Write(_layout.CodeFile("Fit"), FitCode, T0);
        Write(_layout.DataFile("data/raw.csv"), "x,y\n1,2\n", T0);
        RunClean(output: "clean-1", at: T0.AddSeconds(1));
        Record(FitTask, at: T0.AddSeconds(3), () => Write(_layout.DataFile("out/model.json"), "{}", T0.AddSeconds(2)));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string? Reason() => Staleness.Reason(FitTask, Staleness.FileTime);

    private static void Write(string path, string content, DateTime time)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, time);
    }

    private void RunClean(string output, DateTime at) => Record(CleanTask, at, () => Write(_layout.DataFile("out/clean.csv"), output, at));

    // A successful run, recorded the way every build records one, and dated 'at'.
    private void Record(TaskOnDisk task, DateTime at, Action run)
    {
        var turn = new TaskRun(task);
        Assert.Equal(RunVerdict.Run, turn.Decide(Reasons.Forced));
        turn.Begin();
        run();
        turn.Succeed(task.Task == "Fit" ? FitCode : "type Analysis.Clean\n");
        File.SetLastWriteTimeUtc(_layout.StampFile(task.Task), at);
    }

    [Fact]
    public void A_task_newer_than_all_its_inputs_with_its_outputs_present_is_up_to_date() => Assert.Null(Reason());

    [Fact]
    public void Without_a_stamp_a_task_never_ran_or_its_last_run_failed()
    {
        File.Delete(_layout.StampFile("Fit"));
        Assert.Equal(Reasons.NeverRan, Reason());

        TaskState.RecordFailure(_layout, new RunRecord("Fit", false, T0, T0, 0, Reasons.NeverRan, "boom"));
        Assert.Equal(Reasons.LastRunFailed, Reason());
    }

    [Fact]
    public void A_missing_output_makes_it_stale()
    {
        File.Delete(_layout.DataFile("out/model.json"));
        Assert.Equal("output missing: out/model.json", Reason());
    }

    [Fact]
    public void A_missing_input_makes_it_stale()
    {
        File.Delete(_layout.DataFile("data/raw.csv"));
        Assert.Equal("input missing: data/raw.csv", Reason());
    }

    [Fact]
    public void A_touched_input_leaves_the_task_up_to_date()
    {
        File.SetLastWriteTimeUtc(_layout.DataFile("data/raw.csv"), T0.AddSeconds(10));
        Assert.Null(Reason());
    }

    [Fact]
    public void One_changed_byte_in_an_input_makes_it_stale()
    {
        Write(_layout.DataFile("data/raw.csv"), "x,y\n1,3\n", T0.AddSeconds(10));
        Assert.Equal("input changed: data/raw.csv", Reason());
    }

    [Fact]
    public void Newer_code_with_the_same_content_is_not_a_change()
    {
        // Rewritten because the code was reached another way: same code, same hashes.
        Write(_layout.CodeFile("Fit"), FitCode.Replace("\tT:Analysis.Fit\n", "\tM:Analysis.Fit::.ctor\n"), T0.AddSeconds(10));
        Assert.Null(Reason());
    }

    [Fact]
    public void Changed_code_makes_it_stale_and_says_where()
    {
        Write(_layout.CodeFile("Fit"), FitCode.Replace("aaaa", "cccc"), T0.AddSeconds(10));
        Assert.Equal("code changed: Fit.Run", Reason());
    }

    [Fact]
    public void An_upstream_run_with_the_same_output_is_not_a_change()
    {
        RunClean(output: "clean-1", at: T0.AddSeconds(10));
        Assert.Null(Reason());
    }

    [Fact]
    public void An_upstream_run_with_new_output_makes_it_stale()
    {
        RunClean(output: "clean-2", at: T0.AddSeconds(10));
        Assert.Equal("upstream Clean produced new output", Reason());
    }

    [Fact]
    public void A_parent_without_a_successful_run_makes_it_stale()
    {
        TaskState.RecordFailure(_layout, new RunRecord("Clean", false, T0, T0, 0, Reasons.NeverRan, "boom"));
        File.SetLastWriteTimeUtc(_layout.CodeFile("Fit"), T0.AddSeconds(10));

        Assert.Equal("upstream Clean has no successful run", Reason());
    }

    [Fact]
    public void An_input_no_longer_declared_makes_it_stale()
    {
        // A glob that no longer matches a deleted file, or an input taken out of the declaration.
        File.SetLastWriteTimeUtc(_layout.CodeFile("Fit"), T0.AddSeconds(10));
        var fit = FitTask with { Files = new TaskDataFiles([], ["out/model.json"]) };

        Assert.Equal("input removed: data/raw.csv", Staleness.Reason(fit, Staleness.FileTime));
    }

    [Fact]
    public void A_newly_matched_input_makes_it_stale()
    {
        Write(_layout.DataFile("data/more.csv"), "3,4\n", T0);
        File.SetLastWriteTimeUtc(_layout.CodeFile("Fit"), T0.AddSeconds(10));
        var fit = FitTask with { Files = new TaskDataFiles(["data/more.csv", "data/raw.csv"], ["out/model.json"], Globbed: true) };

        Assert.Equal("input added: data/more.csv", Staleness.Reason(fit, Staleness.FileTime));
    }

    [Fact]
    public void A_changed_file_set_makes_MSBuild_check_and_an_output_no_longer_matched_makes_it_stale()
    {
        // The file set is newer than the stamp: the timestamps say "maybe"; the record then names the output that went.
        var fit = FitTask with { Files = new TaskDataFiles(["data/raw.csv"], [], Globbed: true) };
        Write(_layout.FileSetFile("Fit"), "input\tdata/raw.csv\n", T0.AddSeconds(10));

        Assert.Equal((null, true), Staleness.ByTimestamps(fit, Staleness.FileTime));
        Assert.Equal("output removed: out/model.json", Staleness.Reason(fit, Staleness.FileTime));
    }

    [Fact]
    public void A_record_with_a_damaged_hash_list_is_unreadable()
    {
        var json = TaskState.Read(_layout, "Fit").LastRun!.ToJson();
        var damaged = System.Text.RegularExpressions.Regex.Replace(json, @"""inputs"": \[[^\]]*\]", @"""inputs"": [null]");

        Assert.NotEqual(json, damaged);
        Assert.Null(RunRecord.FromJson(damaged));
    }

    [Fact]
    public void A_file_whose_size_and_time_match_a_known_hash_is_not_read_again()
    {
        var path = _layout.DataFile("data/raw.csv");
        var known = new FileHash("data/raw.csv", new FileInfo(path).Length, File.GetLastWriteTimeUtc(path), "known");

        Assert.Equal("known", new FileHasher(_layout, [known]).Hash("data/raw.csv")!.Sha256);
        Assert.NotEqual("known", new FileHasher(_layout, [known with { TimeUtc = T0.AddSeconds(-1) }]).Hash("data/raw.csv")!.Sha256);
    }

    [Fact]
    public void Byte_identical_outputs_give_the_same_output_version_and_no_outputs_give_a_new_one_per_run()
    {
        FileHash Output(string sha) => new("out/model.json", 2, T0, sha);

        Assert.Equal(FileHasher.OutputVersion(["out/model.json"], [Output("a")], T0), FileHasher.OutputVersion(["out/model.json"], [Output("a")], T0.AddDays(1)));
        Assert.NotEqual(FileHasher.OutputVersion(["out/model.json"], [Output("a")], T0), FileHasher.OutputVersion(["out/model.json"], [Output("b")], T0));
        Assert.NotEqual(FileHasher.OutputVersion([], [], T0), FileHasher.OutputVersion([], [], T0.AddSeconds(1)));
    }

    [Fact]
    public void A_task_of_many_inputs_records_one_digest_for_them_and_still_tells_a_touch_from_a_change()
    {
        var inputs = Enumerable.Range(0, InputDigest.Largest + 50).Select(i => $"data/part{i}.csv").ToList();
        foreach (var input in inputs) Write(_layout.DataFile(input), input, T0);
        var gather = FitTask with { Files = new TaskDataFiles(inputs, ["out/model.json"]) };
        Record(gather, at: T0.AddSeconds(3), () => Write(_layout.DataFile("out/model.json"), "{}", T0.AddSeconds(2)));
        var record = TaskState.Read(_layout, "Fit").LastRun!;
        Assert.Null(record.Inputs);
        Assert.Equal(150, record.InputDigest!.Count);
        Assert.True(new FileInfo(_layout.StampFile("Fit")).Length < 2_000);

        foreach (var input in inputs) File.SetLastWriteTimeUtc(_layout.DataFile(input), T0.AddSeconds(10));
        Assert.Null(Staleness.Reason(gather, Staleness.FileTime));

        Write(_layout.DataFile("data/part7.csv"), "edited", T0.AddSeconds(11));
        Assert.Equal("one or more of its 150 inputs changed", Staleness.Reason(gather, Staleness.FileTime));
        Assert.Equal("its inputs changed: 150 then, 149 now", Staleness.Reason(gather with { Files = gather.Files with { Inputs = inputs.Skip(1).ToList() } }, Staleness.FileTime));
    }
}
