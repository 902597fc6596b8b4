using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// Runs before MSBuild checks any task: a stamp that is not a whole run record, or a code fingerprint that is not whole,
/// would make MSBuild's timestamp check call a task up to date when Dagdog cannot tell. A damaged stamp is read (and, if
/// unreadable, removed with warning DAG018), so the task runs again before its downstream in this same build; a damaged
/// fingerprint is removed with the inspection marker, so this build fingerprints the code again; so is a marker written
/// for another build of the assembly (Debug and Release). Temporary files of writes a killed build left are removed.
/// </summary>
public sealed class VerifyDagState : DagStateTask
{
        /// <summary>The assembly this build compiles to: fingerprints of another one (the other configuration) are made again.</summary>
    [Required] public string AssemblyPath { get; set; } = "";

    protected override bool ExecuteDagdog()
    {
        var layout = new StateLayout(StateDirectory, Path.GetDirectoryName(ProjectFile)!);
        // A build killed while writing (or on a full disk) may have left temporary files; this build holds the lock.
        StateFiles.RemoveLeftovers(layout.StateDirectory);
        if (!InspectionMarker.IsFor(layout, AssemblyPath)) TaskState.DeleteIfExists(layout.InspectedMarker);
        foreach (var task in Declarations.FromItems(Tasks).Select(t => t.Name).Where(TaskNames.IsValidName))
        {
            if (!RunRecord.LooksWhole(layout.StampFile(task)) && TaskState.Read(layout, task).Unreadable)
                Log.LogProblem(DagOnDisk.Unreadable(layout, task), ProjectFile);
            if (!StateFiles.LooksWhole(layout.CodeFile(task), CodeFingerprint.TypeLinePrefix, "\n"))
            {
                TaskState.DeleteIfExists(layout.CodeFile(task));
                TaskState.DeleteIfExists(layout.InspectedMarker);
                Log.LogWarning(subcategory: null, DagCodes.StateUnreadable, helpKeyword: null, ProjectFile, 0, 0, 0, 0,
                    $"The code fingerprint of task '{task}' ({layout.CodeFile(task)}) was damaged; it is made again in this build.");
            }
        }
        return true;
    }
}
