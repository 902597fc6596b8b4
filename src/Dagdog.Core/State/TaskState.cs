using Dagdog.Graph;

namespace Dagdog.State;

/// <summary>The last run of a task as its state files tell it.</summary>
/// <param name="LastRun">The record of the last run, or null when it never ran (or its record was unreadable).</param>
/// <param name="Unreadable">True when a state file existed but held no readable record: the task counts as never run.</param>
internal sealed record TaskState(RunRecord? LastRun, bool Unreadable)
{
    /// <summary>Reads a task's state. An unreadable stamp or failure record is removed, so MSBuild too sees the task as never run.</summary>
    public static TaskState Read(StateLayout layout, string task)
    {
        var unreadable = false;
        foreach (var file in new[] { layout.StampFile(task), layout.FailureFile(task) })
        {
            if (!File.Exists(file)) continue;
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                text = "";
            }
            if (RunRecord.FromJson(text) is { } record && TaskNames.Comparer.Equals(record.Task, task)) return new TaskState(record, false);
            unreadable = true;
            File.Delete(file);
        }
        return new TaskState(null, unreadable);
    }

    /// <summary>Records a successful run: the stamp (written last, so its time is after every output) replaces any failure record.</summary>
    public static void RecordSuccess(StateLayout layout, RunRecord record)
    {
        DeleteIfExists(layout.FailureFile(record.Task));
        StateFiles.WriteAtomically(layout.StampFile(record.Task), record.ToJson());
    }

    /// <summary>Records a failed run: no stamp, so the task stays stale.</summary>
    public static void RecordFailure(StateLayout layout, RunRecord record)
    {
        DeleteIfExists(layout.StampFile(record.Task));
        StateFiles.WriteAtomically(layout.FailureFile(record.Task), record.ToJson());
    }

    /// <summary>Forgets a task's runs (dagdog's <c>state.delete()</c>); its outputs are left alone.</summary>
    public static void Forget(StateLayout layout, string task)
    {
        DeleteIfExists(layout.StampFile(task));
        DeleteIfExists(layout.FailureFile(task));
    }

    public static void DeleteIfExists(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }
}
