using System.Diagnostics;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.State;

namespace Dagdog.Running;

/// <summary>What a task's turn in a build comes to before any user code runs.</summary>
internal enum RunVerdict
{
    /// <summary>Timestamps say up to date: nothing to do (it may have run earlier in this build).</summary>
    UpToDate,

    /// <summary>Timestamps moved but code, inputs and upstream outputs did not: no Run(), times are moved forward.</summary>
    Unchanged,

    /// <summary>Run() is needed, for <see cref="TaskRun.Reason"/>.</summary>
    Run,
}

/// <summary>What a successful run recorded.</summary>
/// <param name="MissingOutputs">Declared outputs the run did not write (warning DAG011).</param>
/// <param name="SameOutput">True when the outputs are byte-identical to the last run's: the downstream stays up to date.</param>
/// <param name="OutputVersion">What the downstream compares (see <see cref="FileHasher.OutputVersion"/>).</param>
internal sealed record RunSuccess(DateTime StartedUtc, double Seconds, IReadOnlyList<string> MissingOutputs, bool SameOutput, string OutputVersion);

/// <summary>
/// One task's turn in a build, as Dagdog records it: decide whether Run() is needed; begin (the stamp goes first, so a
/// task that fails, is killed or interrupted stays stale); then record success, failure, or that newer timestamps
/// changed nothing. A family's turn, which has no Run() of its own, records its sum here too (<see cref="OfFamily"/>).
/// The build's scheduler calls this for every task and instance it checks; nothing else writes run records.
/// </summary>
internal sealed class TaskRun
{
    private readonly TaskOnDisk _task;
    // Read only when needed: a no-op of thousands of tasks reads no stamp's content (an instance's is in memory, in its family's journal).
    private readonly Lazy<RunRecord?> _lastRunRead;
    private readonly Lazy<FileHasher> _hasherMade;
    private readonly Stopwatch _clock = new();
    private IReadOnlyList<FileHash> _inputs = [];
    private Dictionary<string, string> _upstream = [];
    private Dictionary<string, IReadOnlyList<string>>? _upstreamKeys;
    private DateTime _started;

    /// <summary>
    /// A family's turn: its record sums up its instances' and is what its downstream compares. It is written after every
    /// instance's, so a build killed before then leaves the family stale (the stamp-last rule for the family as a whole).
    /// </summary>
    /// <param name="reason">Why the family's turn ran: an instance's reason, or that its instances changed.</param>
    public static TaskRun OfFamily(TaskOnDisk family, string? reason) => new(family) { Reason = reason };

    public TaskRun(TaskOnDisk task)
    {
        _task = task;
        _lastRunRead = new(() => task.State(task.Task).LastRun, LazyThreadSafetyMode.None);
        _hasherMade = new(() => Staleness.HasherFor(task), LazyThreadSafetyMode.None);
    }

    private RunRecord? LastRun => _lastRunRead.Value;

    private FileHasher Hasher => _hasherMade.Value;

    public string Task => _task.Task;

    /// <summary>When the run began (<see cref="Begin"/>).</summary>
    public DateTime StartedUtc => _started;

    /// <summary>The outputs' hashes as a successful run left them (<see cref="Succeed"/>).</summary>
    public IReadOnlyList<FileHash> Outputs { get; private set; } = [];

    /// <summary>The record this turn wrote: of a success, a failure, or of unchanged contents; null when it wrote none.</summary>
    public RunRecord? Recorded { get; private set; }

    /// <summary>
    /// The outputs as declared, wildcards replaced (for the shared cache: a task with output globs is never stored, so
    /// these are its declared paths).
    /// </summary>
    public IReadOnlyList<string> DeclaredOutputs => _task.Files.Outputs;

    /// <summary>The files the task reads, as declared (wildcards replaced), relative to the project.</summary>
    public IReadOnlyList<string> Inputs => _task.Files.Inputs;

    /// <summary>How long the run has gone on since <see cref="Begin"/>.</summary>
    public double Seconds => _clock.Elapsed.TotalSeconds;

    /// <summary>Why Run() is needed, once <see cref="Decide"/> said so.</summary>
    public string? Reason { get; private set; }

    /// <summary>
    /// Decides the task's turn: a reason given by the selection (forced, selected) runs it; otherwise MSBuild's timestamp
    /// rule first, and when a timestamp moved, the contents (see <see cref="Staleness.ByContent"/>).
    /// </summary>
    public RunVerdict Decide(string? givenReason)
    {
        var (reason, newer) = givenReason is null ? Staleness.ByTimestamps(_task, Staleness.FileTime) : (givenReason, true);
        if (reason is null && !newer) return RunVerdict.UpToDate;
        Reason = reason ?? Staleness.ByContent(_task, LastRun, Hasher);
        return Reason is null ? RunVerdict.Unchanged : RunVerdict.Run;
    }

    /// <summary>
    /// Timestamps changed but contents did not (a touch, a checkout of the same bytes, an upstream run with the same
    /// output): the outputs' and stamp's times move forward so that MSBuild's check is quiet next time.
    /// </summary>
    public void KeepUpToDate()
    {
        var layout = _task.Layout;
        var inputs = Hasher.HashAll(_task.Files.Inputs);
        FileSets.Record(layout, Task, _task.Files);
        // Not older than any input, even one dated in the future (another machine's clock), or MSBuild would check again every time.
        var now = new[] { layout.CodeFile(Task), layout.FileSetFile(Task) }.Concat(_task.Files.Inputs.Select(layout.DataFile)).Select(Staleness.FileTime)
            .Concat(_task.Parents.Select(parent => _task.Store.StampTime(parent, Staleness.FileTime))).Append(DateTime.UtcNow).Max()!.Value;
        var outputs = Hasher.HashAll(_task.Files.Outputs).Select(output =>
        {
            var path = layout.DataFile(output.Path);
            File.SetLastWriteTimeUtc(path, now);
            return output with { TimeUtc = File.GetLastWriteTimeUtc(path) };
        }).ToList();
        // An output edited by hand since the last run is new output for the downstream tasks.
        var version = _task.Files.Outputs.Count > 0 ? FileHasher.OutputVersion(_task.Files.Outputs, outputs, LastRun!.StartedUtc) : LastRun!.OutputVersion;
        Recorded = _task.Store.RecordSuccess(InputDigest.Recorded(LastRun with { Outputs = outputs, OutputVersion = version }, inputs), stampedUtc: now);
    }

    /// <summary>The shared cache's key for this run, once <see cref="Begin"/> noted what it starts with (see <see cref="Cache.CacheKey"/>).</summary>
    public string CacheKey(string code, IReadOnlyList<string> declaredOutputs) => Cache.CacheKey.Of(code, _inputs, _upstream, declaredOutputs, Task, _task.Parameters);

    /// <summary>The key a run would have if it started now, without starting it: for dry runs and listings.</summary>
    public string ProspectiveCacheKey(string code, IReadOnlyList<string> declaredOutputs) =>
        Cache.CacheKey.Of(code, Hasher.HashAll(_task.Files.Inputs), UpstreamVersions(), declaredOutputs, Task, _task.Parameters);

    /// <summary>Notes what the run starts with (input hashes, upstream versions) and removes the stamp.</summary>
    public void Begin()
    {
        if (Reason is null) throw new InvalidOperationException($"{nameof(Decide)} did not ask for a run of '{Task}'.");
        // The last run is read now, before the stamp that holds it goes: Succeed compares with it.
        _inputs = Hasher.HashAll(_task.Files.Inputs);
        _ = LastRun;
        _upstream = UpstreamVersions();
        _upstreamKeys = _task.Parents.Select(p => (Parent: p, _task.State(p).LastRun?.Instances)).Where(p => p.Instances is not null)
            .ToDictionary(p => p.Parent, p => p.Instances!, StringComparer.Ordinal) is { Count: > 0 } keys ? keys : null;
        _task.Store.Unstamp(Task);
        _started = DateTime.UtcNow;
        _clock.Restart();
    }

    /// <summary>
    /// Records a successful run: outputs older than the run are brought up to date, then the stamp is written last.
    /// <paramref name="afterRun"/> is the task's files expanded again now, when its output globs may match what it wrote;
    /// <paramref name="hashedWhereRun"/> the outputs' hashes the worker took where it ran, trusted for a file whose size
    /// and time agree.
    /// </summary>
    public RunSuccess Succeed(string code, TaskDataFiles? afterRun = null, IReadOnlyList<FileHash>? hashedWhereRun = null)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var layout = _task.Layout;
        var files = _task.Files with { Outputs = (afterRun ?? _task.Files).Outputs };
        var missing = new List<string>();
        foreach (var output in files.Outputs)
        {
            var path = layout.DataFile(output);
            if (!File.Exists(path)) missing.Add(output);
            // File.Copy keeps the source's time, and a task may leave an unchanged file alone; either way the output
            // is now current, and an old timestamp would make MSBuild re-run the task on every build.
            else if (File.GetLastWriteTimeUtc(path) < _started) File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        var outputs = new FileHasher(layout, hashedWhereRun ?? []).HashAll(files.Outputs);
        var version = FileHasher.OutputVersion(files.Outputs, outputs, _started);
        FileSets.Record(layout, Task, files);
        Recorded = _task.Store.RecordSuccess(InputDigest.Recorded(new RunRecord(Task, true, _started, DateTime.UtcNow, seconds, Reason!,
            Code: code, Outputs: outputs, OutputVersion: version, Upstream: _upstream.Count > 0 ? _upstream : null, UpstreamKeys: _upstreamKeys,
            Parameters: _task.Parameters.Count > 0 ? _task.Parameters : null), _inputs));
        Outputs = outputs;
        return new RunSuccess(_started, seconds, missing, files.Outputs.Count > 0 && LastRun?.OutputVersion == version, version);
    }

    private Dictionary<string, string> UpstreamVersions() =>
        _task.Parents.ToDictionary(parent => parent, parent => _task.State(parent).LastRun?.OutputVersion ?? "", StringComparer.Ordinal);

    /// <summary>Records a failed run: no stamp, so the task runs again next time. Returns how long it ran.</summary>
    public double Fail(string error)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        _task.Store.RecordFailure(Recorded = new RunRecord(Task, false, _started, DateTime.UtcNow, seconds, Reason ?? "", error));
        return seconds;
    }

    /// <summary>Records a family's successful turn: its instances' keys and output versions, and the version they sum up to.</summary>
    public void SumUpFamily(DateTime startedUtc, double seconds, IReadOnlyList<string> keys, IReadOnlyList<string?> versions, string version) =>
        Recorded = _task.Store.RecordSuccess(new RunRecord(Task, true, startedUtc, DateTime.UtcNow, seconds, Reason ?? Reasons.NeverRan,
            OutputVersion: version, Instances: keys, InstanceVersions: versions));

    /// <summary>Records a family's turn that an instance failed or was interrupted in: no stamp, so the family stays stale.</summary>
    public void FailFamily(string error, IReadOnlyList<string> keys)
    {
        var now = DateTime.UtcNow;
        _task.Store.RecordFailure(Recorded = new RunRecord(Task, false, now, now, 0, Reason ?? "", error, Instances: keys));
    }
}
