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

    public ITaskItem[] DeclaredOutputs { get; set; } = [];

    public override bool Execute()
    {
        var stamp = Path.Combine(StateDirectory, "stamps", $"{TaskName}.stamp");
        if (File.Exists(stamp)) File.Delete(stamp);

        var codeFile = Path.Combine(StateDirectory, "code", $"{TaskName}.code");
        if ((File.Exists(codeFile) ? TaskCode.TypeFromFingerprint(File.ReadAllText(codeFile)) : null) is not { } typeName)
        {
            Log.LogProblem(new(DagCodes.AssemblyUnreadable, TaskName,
                $"The inspection of task '{TaskName}' is missing ({codeFile}). Rebuild the project (dotnet build --no-incremental)."), ProjectFile);
            return false;
        }
        var projectDirectory = Path.GetDirectoryName(ProjectFile)!;

        Log.LogMessage(MessageImportance.High, $"Dag: {TaskName} started");
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        UserFailure? failure;
        using (var output = new TaskOutput(TaskName, Log, Path.Combine(StateDirectory, "logs", $"{TaskName}.log")))
        using (ConsoleCapture.Begin(output))
        {
            failure = TaskInvoker.Run(AssemblyPath, typeName, projectDirectory);
        }
        var seconds = clock.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

        if (failure is not null)
        {
            var error = failure.Exception;
            Log.LogError(subcategory: null, DagCodes.RunThrew, helpKeyword: null,
                failure.File ?? ProjectFile, failure.Line, failure.Column, 0, 0,
                $"Task '{TaskName}' failed after {seconds} s: {Describe(error)} " +
                "Its downstream tasks did not run; it will run again next time. Run with -v:n to see the stack trace.");
            Log.LogMessage(MessageImportance.Normal, $"Dag: {TaskName} stack trace:{Environment.NewLine}{error}");
            return false;
        }

        CheckDeclaredOutputs(projectDirectory, started);
        StateFiles.WriteAtomically(stamp, string.Create(CultureInfo.InvariantCulture,
            $"task {TaskName}\nstarted {started:O}\nfinished {DateTime.UtcNow:O}\nseconds {seconds}\n"));
        Log.LogMessage(MessageImportance.High, $"Dag: {TaskName} finished in {seconds} s");
        return true;
    }

    // The exception and its causes: a TypeInitializationException alone does not say what went wrong.
    private static string Describe(Exception error)
    {
        var causes = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException) causes.Add($"{e.GetType().FullName}: {e.Message}");
        return string.Join(" ---> ", causes);
    }

    private void CheckDeclaredOutputs(string projectDirectory, DateTime started)
    {
        foreach (var output in DeclaredOutputs)
        {
            var path = Path.Combine(projectDirectory, output.ItemSpec);
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
