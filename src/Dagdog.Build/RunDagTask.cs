using System.Diagnostics;
using System.Globalization;
using Dagdog.Build.Running;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Runs one task's Run() method. Its stamp is removed first and written again only on success, so a task that
/// fails or is interrupted stays stale; a failure fails the target, which stops everything downstream.
/// </summary>
public sealed class RunDagTask : DagStateTask
{
    [Required] public string TaskName { get; set; } = "";

    [Required] public string AssemblyPath { get; set; } = "";

    /// <summary>Why the task runs, when the plan decided it (forced or selected); otherwise it is worked out here.</summary>
    public string Reason { get; set; } = "";

    public string[] Parents { get; set; } = [];

    public ITaskItem[] DeclaredInputs { get; set; } = [];

    public ITaskItem[] DeclaredOutputs { get; set; } = [];

    // A file problem leaves the task stale: its stamp is written after everything else.
    protected override string? ProblemTaskName => TaskName;

    protected override bool ExecuteOnState()
    {
        var projectDirectory = Path.GetDirectoryName(ProjectFile)!;
        var layout = new StateLayout(StateDirectory, projectDirectory);
        var codeFile = layout.CodeFile(TaskName);
        var code = File.Exists(codeFile) ? File.ReadAllText(codeFile) : null;
        if ((code is null ? null : CodeFingerprint.TypeOf(code)) is not { } typeName)
        {
            Log.LogProblem(new(DagCodes.AssemblyUnreadable, TaskName,
                $"The inspection of task '{TaskName}' is missing ({codeFile}). Rebuild the project (dotnet build --no-incremental)."), ProjectFile);
            return false;
        }

        var task = new TaskOnDisk(TaskName, Parents, Files, layout, name => ReadState(layout, name));
        var lastRun = task.State(TaskName).LastRun;
        var parentRuns = Parents.Select(parent => task.State(parent).LastRun).ToList();
        var hasher = FileHasher.From(layout, lastRun, parentRuns);

        // MSBuild runs this target when a timestamp is newer; the contents decide whether Run() is needed.
        var reason = Reason.Length > 0 ? Reason : Staleness.ByContent(task, lastRun, hasher);
        if (reason is null)
        {
            KeepUpToDate(layout, lastRun!, hasher);
            return true;
        }

        var inputs = hasher.HashAll(Files.Inputs);
        var upstream = Parents.Zip(parentRuns).ToDictionary(p => p.First, p => p.Second?.OutputVersion ?? "", StringComparer.Ordinal);
        TaskState.DeleteIfExists(layout.StampFile(TaskName));
        Log.LogMessage(MessageImportance.High, $"Dag: {TaskName} started ({reason})");
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        UserFailure? failure;
        using (var output = new TaskOutput(TaskName, Log, layout.LogFile(TaskName)))
        using (ConsoleCapture.Begin(output))
        {
            failure = TaskInvoker.Run(AssemblyPath, typeName, projectDirectory);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var duration = seconds.ToString("0.00", CultureInfo.InvariantCulture);

        if (failure is not null)
        {
            var error = failure.Exception;
            TaskState.RecordFailure(layout, new RunRecord(TaskName, false, started, DateTime.UtcNow, seconds, reason, Describe(error)));
            Log.LogError(subcategory: null, DagCodes.RunThrew, helpKeyword: null,
                failure.File ?? ProjectFile, failure.Line, failure.Column, 0, 0,
                $"Task '{TaskName}' failed after {duration} s: {Describe(error)} " +
                "Its downstream tasks did not run; it will run again next time. Run with -v:n to see the stack trace.");
            Log.LogMessage(MessageImportance.Normal, $"Dag: {TaskName} stack trace:{Environment.NewLine}{error}");
            return false;
        }

        CheckDeclaredOutputs(layout, started);
        var outputs = new FileHasher(layout, []).HashAll(Files.Outputs);
        var version = FileHasher.OutputVersion(Files.Outputs, outputs, started);
        TaskState.RecordSuccess(layout, new RunRecord(TaskName, true, started, DateTime.UtcNow, seconds, reason,
            Code: code, Inputs: inputs, Outputs: outputs, OutputVersion: version, Upstream: upstream));
        var sameOutput = Files.Outputs.Count > 0 && lastRun?.OutputVersion == version;
        Log.LogMessage(MessageImportance.High, $"Dag: {TaskName} finished in {duration} s" +
            (sameOutput ? "; its outputs are byte-identical to the last run's, so its downstream stays up to date" : ""));
        return true;
    }

    private readonly Dictionary<string, TaskState> _states = new(StringComparer.Ordinal);

    // Each record is read once per run: this task's and its parents' are needed both to decide and to record.
    private TaskState ReadState(StateLayout layout, string task)
    {
        if (_states.TryGetValue(task, out var known)) return known;
        var state = _states[task] = TaskState.Read(layout, task);
        if (state.Unreadable)
        {
            Log.LogWarning(subcategory: null, DagCodes.StateUnreadable, helpKeyword: null, ProjectFile, 0, 0, 0, 0,
                $"The state of task '{task}' under {layout.StateDirectory} was unreadable and has been reset: it counts as never run.");
        }
        return state;
    }

    private TaskDataFiles? _files;

    private TaskDataFiles Files => _files ??= new(DeclaredInputs.Select(i => i.ItemSpec).ToList(), DeclaredOutputs.Select(o => o.ItemSpec).ToList());

    /// <summary>
    /// Timestamps changed but contents did not (a touch, a checkout of the same bytes, an upstream run with the same
    /// output): Run() is skipped, and the outputs' and stamp's times move forward so that MSBuild's check is quiet next time.
    /// </summary>
    private void KeepUpToDate(StateLayout layout, RunRecord lastRun, FileHasher hasher)
    {
        var inputs = hasher.HashAll(Files.Inputs);
        // Not older than any input, even one dated in the future (another machine's clock), or MSBuild would check again every time.
        var now = new[] { layout.CodeFile(TaskName) }.Concat(Parents.Select(layout.StampFile)).Concat(Files.Inputs.Select(layout.DataFile))
            .Select(Staleness.FileTime).Append(DateTime.UtcNow).Max()!.Value;
        var outputs = hasher.HashAll(Files.Outputs).Select(output =>
        {
            var path = layout.DataFile(output.Path);
            File.SetLastWriteTimeUtc(path, now);
            return output with { TimeUtc = File.GetLastWriteTimeUtc(path) };
        }).ToList();
        // An output edited by hand since the last run is new output for the downstream tasks.
        var version = Files.Outputs.Count > 0 ? FileHasher.OutputVersion(Files.Outputs, outputs, lastRun.StartedUtc) : lastRun.OutputVersion;
        TaskState.RecordSuccess(layout, lastRun with { Inputs = inputs, Outputs = outputs, OutputVersion = version });
        File.SetLastWriteTimeUtc(layout.StampFile(TaskName), now);
        Log.LogMessage(MessageImportance.High, $"Dag: {TaskName} is up to date: newer timestamps, but its code, inputs and upstream outputs are unchanged");
    }

    // The exception and its causes: a TypeInitializationException alone does not say what went wrong.
    private static string Describe(Exception error)
    {
        var causes = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException) causes.Add($"{e.GetType().FullName}: {e.Message}");
        return string.Join(" ---> ", causes);
    }

    private void CheckDeclaredOutputs(StateLayout layout, DateTime started)
    {
        foreach (var output in DeclaredOutputs)
        {
            var path = layout.DataFile(output.ItemSpec);
            if (!File.Exists(path))
            {
                Log.LogWarning(subcategory: null, DagCodes.OutputNotWritten, helpKeyword: null, ProjectFile, 0, 0, 0, 0,
                    $"Task '{TaskName}' finished but did not write its declared output '{output.ItemSpec}', so it will run again " +
                    "every time. Write the file in Run(), or fix the DagTask's Outputs.");
            }
            else if (File.GetLastWriteTimeUtc(path) < started)
            {
                // File.Copy keeps the source's time, and a task may leave an unchanged file alone; either way the output
                // is now current, and an old timestamp would make MSBuild re-run the task on every build.
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            }
        }
    }
}
