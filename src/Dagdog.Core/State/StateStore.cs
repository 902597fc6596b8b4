using Dagdog.Families;
using Dagdog.Graph;

namespace Dagdog.State;

/// <summary>
/// Every read and write of the tasks' run records in one build, the one place that knows where a record lives: a
/// task's in its stamp or failure file (<see cref="TaskState"/>), an instance's in its family's journal
/// (<see cref="InstanceJournal"/>, read once per build). Each record is read once and then kept, and every write keeps
/// what it wrote. Safe to use from several threads. A record that cannot be read is forgotten (the task counts as
/// never run) and told to <paramref name="unreadable"/>.
/// </summary>
internal sealed class StateStore(StateLayout layout, Action<string> unreadable)
{
    private readonly Dictionary<string, TaskState> _states = new(TaskNames.Comparer);
    private readonly Dictionary<string, InstanceJournal> _journals = new(TaskNames.Comparer);
    private readonly object _gate = new();

    public StateStore(StateLayout layout) : this(layout, _ => { })
    {
    }

    public StateLayout Layout { get; } = layout;

    public TaskState State(string task)
    {
        lock (_gate)
        {
            if (InstanceKeys.Split(task) is var (family, key))
            {
                var record = Journal(family).RecordOf(key, out var damaged);
                if (damaged) unreadable(task);
                return new TaskState(record, damaged);
            }
            if (_states.TryGetValue(task, out var state)) return state;
            state = TaskState.Read(Layout, task);
            if (state.Unreadable) unreadable(task);
            return _states[task] = state;
        }
    }

    /// <summary>
    /// The outputs' hashes the task's last run recorded; of an instance, read from its line without the rest of its
    /// record (an aggregator trusts 100,000 of them).
    /// </summary>
    public IReadOnlyList<FileHash> RecordedOutputs(string task)
    {
        lock (_gate) return InstanceKeys.Split(task) is var (family, key) ? Journal(family).OutputsOf(key) : State(task).LastRun?.Outputs ?? [];
    }

    /// <summary>
    /// When the task's last successful run was stamped, or null without one: a task's stamp file's time (what MSBuild
    /// compares), an instance's from its journal line.
    /// </summary>
    public DateTime? StampTime(string task, Func<string, DateTime?> lastWriteUtc) =>
        InstanceKeys.Split(task) is var (family, key) ? Stamped(family, key) : lastWriteUtc(Layout.StampFile(task));

    private DateTime? Stamped(string family, string key)
    {
        lock (_gate) return Journal(family).StampedOf(key);
    }

    /// <summary>
    /// Records a successful run, stamped now or at <paramref name="stampedUtc"/> (a stamp is never older than what the
    /// task read); for a task the stamp file is written last, after every output. Returns the record as kept.
    /// </summary>
    public RunRecord RecordSuccess(RunRecord record, DateTime? stampedUtc = null)
    {
        lock (_gate)
        {
            if (InstanceKeys.Split(record.Task) is var (family, key))
            {
                Journal(family).Write(key, record, stampedUtc ?? DateTime.UtcNow);
                return record;
            }
            TaskState.RecordSuccess(Layout, record);
            if (stampedUtc is { } time) File.SetLastWriteTimeUtc(Layout.StampFile(record.Task), time);
            _states[record.Task] = new TaskState(record, Unreadable: false);
            return record;
        }
    }

    /// <summary>Records a failed run: no stamp, so the task stays stale.</summary>
    public void RecordFailure(RunRecord record)
    {
        lock (_gate)
        {
            if (InstanceKeys.Split(record.Task) is var (family, key))
            {
                Journal(family).Write(key, record);
                return;
            }
            TaskState.RecordFailure(Layout, record);
            _states[record.Task] = new TaskState(record, Unreadable: false);
        }
    }

    /// <summary>
    /// A run begins: its stamp goes, so that a build killed while it runs leaves it stale. What it ran with before stays
    /// readable in this build from the record already read (<see cref="Running.TaskRun"/> reads it first).
    /// </summary>
    public void Unstamp(string task)
    {
        lock (_gate)
        {
            if (InstanceKeys.Split(task) is var (family, key)) Journal(family).Write(key, null);
            else TaskState.DeleteIfExists(Layout.StampFile(task));
        }
    }

    /// <summary>Forgets a task's or instance's runs (dagdog's <c>state.delete()</c>); its outputs are left alone.</summary>
    public void Forget(string task)
    {
        lock (_gate)
        {
            if (InstanceKeys.Split(task) is var (family, key))
            {
                if (Journal(family).Keys.Contains(key)) Journal(family).Write(key, null);
                return;
            }
            TaskState.Forget(Layout, task);
            _states[task] = new TaskState(null, Unreadable: false);
        }
    }

    /// <summary>The keys of a family's instances that have a record, successful or failed (also those a killed build recorded last).</summary>
    public IReadOnlyList<string> RecordedKeys(string family)
    {
        lock (_gate) return Journal(family).Keys.ToList();
    }

    /// <summary>After a family's turn: its journal is rewritten when most of it is records replaced since.</summary>
    public void Settle(string family)
    {
        lock (_gate) Journal(family).Compact();
    }


    private InstanceJournal Journal(string family)
    {
        if (_journals.TryGetValue(family, out var journal)) return journal;
        journal = InstanceJournal.Read(Layout, family);
        if (journal.UnreadableLines > 0) unreadable(family);
        return _journals[family] = journal;
    }
}
