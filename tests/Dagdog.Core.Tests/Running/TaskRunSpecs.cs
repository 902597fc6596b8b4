using Dagdog.Graph;
using Dagdog.Running;
using Dagdog.State;

namespace Dagdog.Tests.Running;

/// <summary>
/// A task's turn as every build records it: the stamp goes before Run(), so a run that fails or is killed leaves the
/// task stale; success records what it ran with; a touch changes nothing but the times.
/// </summary>
public sealed class TaskRunSpecs : IDisposable
{
    private const string Code = "type Analysis.Fit\naaaa\tM:Analysis.Fit::Run\tFit.Run\tT:Analysis.Fit\n";
    private readonly string _directory = Directory.CreateTempSubdirectory("dagdog-taskrun-").FullName;
    private readonly StateLayout _layout;

    // Made anew for each use, as each build reads the state anew.
    private TaskOnDisk FitTask => new("Fit", [], new TaskDataFiles(["data/raw.csv"], ["out/model.json"]), new StateStore(_layout));

    public TaskRunSpecs()
    {
        _layout = new StateLayout(Path.Combine(_directory, "obj", "dag"), _directory);
        WriteFile(_layout.CodeFile("Fit"), Code);
        WriteFile(_layout.DataFile("data/raw.csv"), "x,y\n1,2\n");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void WriteFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private RunSuccess RunOnce(string model = "{}")
    {
        var run = new TaskRun(FitTask);
        Assert.Equal(RunVerdict.Run, run.Decide(Reasons.Forced));
        run.Begin();
        WriteFile(_layout.DataFile("out/model.json"), model);
        return run.Succeed(Code);
    }

    [Fact]
    public void A_task_that_never_ran_runs_and_then_is_up_to_date()
    {
        var run = new TaskRun(FitTask);
        Assert.Equal(RunVerdict.Run, run.Decide(null));
        Assert.Equal(Reasons.NeverRan, run.Reason);
        run.Begin();
        WriteFile(_layout.DataFile("out/model.json"), "{}");
        run.Succeed(Code);

        Assert.Equal(RunVerdict.UpToDate, new TaskRun(FitTask).Decide(null));
    }

    [Fact]
    public void Beginning_removes_the_stamp_so_a_killed_run_leaves_the_task_stale()
    {
        RunOnce();
        var run = new TaskRun(FitTask);
        run.Decide(Reasons.Forced);

        run.Begin();

        Assert.False(File.Exists(_layout.StampFile("Fit")));
        Assert.Equal(Reasons.NeverRan, new TaskRun(FitTask) is var next && next.Decide(null) == RunVerdict.Run ? next.Reason : null);
    }

    [Fact]
    public void A_family_s_sum_is_stamped_with_its_instances_and_a_failed_turn_leaves_it_stale_still_knowing_them()
    {
        TaskOnDisk family() => new("Fit", [], TaskDataFiles.None, new StateStore(_layout));
        string[] keys = ["adelie", "gentoo"];

        TaskRun.OfFamily(family(), Reasons.InstanceAdded("gentoo")).SumUpFamily(DateTime.UtcNow, 1.5, keys, ["v1", "v2"], "sum");

        Assert.True(File.Exists(_layout.StampFile("Fit")));
        var summed = TaskState.Read(_layout, "Fit").LastRun!;
        Assert.Equal((true, "sum", Reasons.InstanceAdded("gentoo")), (summed.Succeeded, summed.OutputVersion, summed.Reason));
        Assert.Equal(keys, summed.Instances);
        Assert.Equal(["v1", "v2"], summed.InstanceVersions!);

        TaskRun.OfFamily(family(), null).FailFamily("instance Fit[gentoo] failed", keys);

        Assert.False(File.Exists(_layout.StampFile("Fit")));
        var failed = TaskState.Read(_layout, "Fit").LastRun!;
        Assert.Equal((false, "instance Fit[gentoo] failed"), (failed.Succeeded, failed.Error));
        // The next turn forgets the instances that are gone since, so it must still know which there were.
        Assert.Equal(keys, failed.Instances);
    }

    [Fact]
    public void A_failed_run_is_recorded_and_runs_again()
    {
        var run = new TaskRun(FitTask);
        run.Decide(null);
        run.Begin();
        run.Fail("System.InvalidOperationException: no convergence");

        var next = new TaskRun(FitTask);
        Assert.Equal(RunVerdict.Run, next.Decide(null));
        Assert.Equal(Reasons.LastRunFailed, next.Reason);
        Assert.Equal("System.InvalidOperationException: no convergence", TaskState.Read(_layout, "Fit").LastRun!.Error);
    }

    [Fact]
    public void Output_hashes_the_worker_took_where_it_ran_are_trusted_when_size_and_time_agree_and_not_otherwise()
    {
        var run = new TaskRun(FitTask);
        run.Decide(Reasons.Forced);
        run.Begin();
        WriteFile(_layout.DataFile("out/model.json"), "{}");
        // The kernel's file times are coarse: a time a little after the run began, as a task that runs for a while leaves it.
        File.SetLastWriteTimeUtc(_layout.DataFile("out/model.json"), DateTime.UtcNow.AddSeconds(1));
        var file = new FileInfo(_layout.DataFile("out/model.json"));
        var fromNode = new FileHash("out/model.json", file.Length, file.LastWriteTimeUtc, "hashed-on-the-node");

        run.Succeed(Code, hashedWhereRun: [fromNode]);
        Assert.Equal("hashed-on-the-node", Assert.Single(run.Outputs).Sha256);

        var again = new TaskRun(FitTask);
        again.Decide(Reasons.Forced);
        again.Begin();
        WriteFile(_layout.DataFile("out/model.json"), "{ }");
        again.Succeed(Code, hashedWhereRun: [fromNode]);
        Assert.NotEqual("hashed-on-the-node", Assert.Single(again.Outputs).Sha256);
    }

    [Fact]
    public void A_touched_input_changes_nothing_but_the_times()
    {
        RunOnce();
        File.SetLastWriteTimeUtc(_layout.DataFile("data/raw.csv"), DateTime.UtcNow.AddMinutes(1));

        var run = new TaskRun(FitTask);
        Assert.Equal(RunVerdict.Unchanged, run.Decide(null));
        run.KeepUpToDate();

        Assert.Equal(RunVerdict.UpToDate, new TaskRun(FitTask).Decide(null));
    }

    [Fact]
    public void Success_says_which_declared_outputs_were_not_written_and_whether_the_output_is_the_same()
    {
        Assert.False(RunOnce().SameOutput);
        Assert.True(RunOnce().SameOutput);
        Assert.False(RunOnce(model: "{ \"slope\": 2 }").SameOutput);

        var run = new TaskRun(FitTask);
        run.Decide(Reasons.Forced);
        run.Begin();
        File.Delete(_layout.DataFile("out/model.json"));
        Assert.Equal(["out/model.json"], run.Succeed(Code).MissingOutputs);
    }
}
