using System.Diagnostics;
using System.Globalization;
using Dagdog.Build.Running;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Runs one task's Run() method. Its stamp is removed first and written again only on success, so a task that
/// fails or is interrupted stays stale; a failure fails the target, which stops everything downstream.
/// </summary>
public sealed class RunDagTask : Microsoft.Build.Utilities.Task
{
    [Required] public string TaskName { get; set; } = "";

    [Required] public string AssemblyPath { get; set; } = "";

    [Required] public string ProjectFile { get; set; } = "";

    [Required] public string StateDirectory { get; set; } = "";

    /// <summary>Why the task runs, when the plan decided it (forced or selected); otherwise it is worked out here.</summary>
    public string Reason { get; set; } = "";

    public string[] Parents { get; set; } = [];

    public ITaskItem[] DeclaredInputs { get; set; } = [];

    public ITaskItem[] DeclaredOutputs { get; set; } = [];

    public override bool Execute()
    {
        var projectDirectory = Path.GetDirectoryName(ProjectFile)!;
        var layout = new StateLayout(StateDirectory, projectDirectory);
        var codeFile = layout.CodeFile(TaskName);
        if ((File.Exists(codeFile) ? CodeFingerprint.TypeOf(File.ReadAllText(codeFile)) : null) is not { } typeName)
        {
            Log.LogProblem(new(DagCodes.AssemblyUnreadable, TaskName,
                $"The inspection of task '{TaskName}' is missing ({codeFile}). Rebuild the project (dotnet build --no-incremental)."), ProjectFile);
            return false;
        }

        var reason = Reason.Length > 0 ? Reason : WhyStale(layout);
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
        TaskState.RecordSuccess(layout, new RunRecord(TaskName, true, started, DateTime.UtcNow, seconds, reason));
        Log.LogMessage(MessageImportance.High, $"Dag: {TaskName} finished in {duration} s");
        return true;
    }

    // MSBuild decided the task is stale; say why, by the rule DagList and the dry run use (the same rule, so the fallback is only a safeguard).
    private string WhyStale(StateLayout layout)
    {
        var files = new TaskDataFiles(DeclaredInputs.Select(i => i.ItemSpec).ToList(), DeclaredOutputs.Select(o => o.ItemSpec).ToList());
        return Staleness.Reason(TaskName, Parents, files, layout, () => TaskState.Read(layout, TaskName), Staleness.FileTime) ?? Reasons.OutOfDate;
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
