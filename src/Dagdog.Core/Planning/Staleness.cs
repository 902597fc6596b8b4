using Dagdog.Code;
using Dagdog.Graph;
using Dagdog.State;

namespace Dagdog.Planning;

/// <summary>
/// Why a task must run, or null when it is up to date. Two steps: first MSBuild's own rule on its generated target
/// (the stamp or an output missing, or an input — code fingerprint, parents' stamps, declared inputs — newer than the
/// oldest output); when timestamps say "maybe", the contents decide: the code the task reaches, its inputs' hashes and
/// its parents' output versions, compared with what its last successful run recorded.
/// </summary>
internal static class Staleness
{
    public static string? Reason(TaskOnDisk task, Func<string, DateTime?> lastWriteUtc) =>
        ByTimestamps(task, lastWriteUtc) switch
        {
            { Reason: { } reason } => reason,
            { NewerInput: true } => ByContent(task, task.State(task.Task).LastRun, HasherFor(task)),
            _ => null,
        };

    /// <summary>
    /// MSBuild's rule for the task's generated target: a reason when its stamp or an output or input is missing;
    /// otherwise whether any input (code fingerprint, parents' stamps, declared inputs) is newer than the oldest output.
    /// </summary>
    public static (string? Reason, bool NewerInput) ByTimestamps(TaskOnDisk task, Func<string, DateTime?> lastWriteUtc)
    {
        var layout = task.Layout;
        if (task.Store.StampTime(task.Task, lastWriteUtc) is not { } stampTime)
            return (task.State(task.Task).LastRun is { Succeeded: false } ? Reasons.LastRunFailed : Reasons.NeverRan, true);

        if (task.Parameters.Count > 0 && ParameterChange(task, task.State(task.Task).LastRun) is { } changed) return (changed, true);
        var oldestOutput = stampTime;
        foreach (var output in task.Files.Outputs)
        {
            if (lastWriteUtc(layout.DataFile(output)) is not { } time) return (Reasons.OutputMissing(output), true);
            if (time < oldestOutput) oldestOutput = time;
        }
        // One look at each input (an aggregator has 100,000): missing, or newer than the oldest output.
        var newerInput = false;
        foreach (var input in task.Files.Inputs)
        {
            if (lastWriteUtc(layout.DataFile(input)) is not { } time) return (Reasons.InputMissing(input), true);
            newerInput |= time > oldestOutput;
        }

        bool NewerThanOutputs(string path) => Newer(lastWriteUtc(path));
        bool Newer(DateTime? time) => !(time is { } t && t <= oldestOutput);
        var newer = newerInput
                    || NewerThanOutputs(layout.CodeFile(task.Task))
                    || (task.Files.Globbed && NewerThanOutputs(layout.FileSetFile(task.Task)))
                    || task.Parents.Any(parent => Newer(task.Store.StampTime(parent, lastWriteUtc)));
        return (null, newer);
    }

    /// <summary>A hasher that trusts the hashes the task's and its parents' last runs recorded (a parent family's: its instances').</summary>
    public static FileHasher HasherFor(TaskOnDisk task) =>
        FileHasher.From(task.Layout, task.State(task.Task).LastRun, task.Parents.SelectMany(parent => task.State(parent).LastRun is { Instances: { } keys }
            ? keys.SelectMany(key => task.Store.RecordedOutputs(Families.InstanceKeys.Name(parent, key)))
            : task.State(parent).LastRun?.Outputs ?? []));

    /// <summary>
    /// Why the task must run judging by contents alone, or null when its code, inputs and upstream outputs are the
    /// same as in its last successful run (then newer timestamps were only touches, or upstream runs that produced the same output).
    /// </summary>
    public static string? ByContent(TaskOnDisk task, RunRecord? lastRun, FileHasher hasher)
    {
        if (lastRun is not { Succeeded: true }) return lastRun is null ? Reasons.NeverRan : Reasons.LastRunFailed;

        if (ParameterChange(task, lastRun) is { } changed) return changed;
        var codeFile = task.Layout.CodeFile(task.Task);
        if (!File.Exists(codeFile)) return Reasons.CodeChanged;
        if (CodeFingerprint.Reason(lastRun.Code, File.ReadAllText(codeFile)) is { } codeReason) return codeReason;

        foreach (var output in task.Files.Outputs)
        {
            if (!File.Exists(task.Layout.DataFile(output))) return Reasons.OutputMissing(output);
        }
        // A parent family that gained or lost an instance says so, before the files that came or went with it.
        foreach (var parent in task.Parents)
        {
            if (task.State(parent).LastRun is { Succeeded: true } parentRun && InstancesChange(parent, lastRun, parentRun) is { } change) return change;
        }
        // Inputs recorded one by one: a file a glob matches now and did not then (or one newly declared), one that it no
        // longer matches, and each one's content.
        if (lastRun.InputDigest is null)
        {
            var inputsThen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var then in lastRun.Inputs ?? []) inputsThen.TryAdd(then.Path, then.Sha256);
            var inputsNow = task.Files.Inputs.ToHashSet(StringComparer.Ordinal);
            if (task.Files.Inputs.FirstOrDefault(input => !inputsThen.ContainsKey(input)) is { } added) return Reasons.InputAdded(added);
            if ((lastRun.Inputs ?? []).FirstOrDefault(then => !inputsNow.Contains(then.Path)) is { } removed) return Reasons.InputRemoved(removed.Path);
            foreach (var input in task.Files.Inputs)
            {
                if (hasher.Hash(input) is not { } now) return Reasons.InputMissing(input);
                if (inputsThen[input] != now.Sha256) return Reasons.InputChanged(input);
            }
        }
        // An output of the last run that an output glob no longer matches: deleted. A new match is not a reason: the
        // task's own run made it, or something else did, and neither changes what the task computed.
        var outputsNow = task.Files.Outputs.ToHashSet(StringComparer.Ordinal);
        if ((lastRun.Outputs ?? []).FirstOrDefault(then => !outputsNow.Contains(then.Path)) is { } gone) return Reasons.OutputRemoved(gone.Path);
        foreach (var parent in task.Parents)
        {
            if (task.State(parent).LastRun is not { Succeeded: true, OutputVersion: { } version } parentRun) return Reasons.UpstreamNotRun(parent);
            if (lastRun.Upstream?.GetValueOrDefault(parent) != version) return InstancesChange(parent, lastRun, parentRun) ?? Reasons.UpstreamChanged(parent);
        }
        // Many inputs kept as one digest: after the upstream, which names what changed in the common case (an instance ran).
        if (lastRun.InputDigest is { } digest)
        {
            var now = hasher.HashAll(task.Files.Inputs);
            if (now.Count < task.Files.Inputs.Count) return Reasons.InputMissing(task.Files.Inputs.First(input => hasher.Hash(input) is null));
            if (InputDigest.Of(now) != digest) return Reasons.InputsChanged(digest.Count, now.Count);
        }
        return null;
    }

    // An item metadata value of an instance that is not what its last run had ("parameter changed: Degree 1 -> 3").
    private static string? ParameterChange(TaskOnDisk task, RunRecord? lastRun)
    {
        if (task.Parameters.Count == 0 || lastRun is not { Succeeded: true }) return null;
        var then = lastRun.Parameters ?? new Dictionary<string, string>();
        foreach (var (name, value) in task.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var old = then.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            if (old != value) return Reasons.ParameterChanged(name, old, value);
        }
        var removed = then.Keys.FirstOrDefault(name => !task.Parameters.ContainsKey(name));
        return removed is null ? null : Reasons.ParameterChanged(removed, then[removed], null);
    }

    // For a parent family whose output changed: the first instance it gained or lost since this task's last run, if any.
    private static string? InstancesChange(string parent, RunRecord lastRun, RunRecord parentRun)
    {
        if (parentRun.Instances is not { } now || lastRun.UpstreamKeys?.GetValueOrDefault(parent) is not { } then) return null;
        var before = then.ToHashSet(Families.InstanceKeys.Comparer);
        if (now.FirstOrDefault(key => !before.Contains(key)) is { } added) return Reasons.InstanceAdded(added);
        var after = now.ToHashSet(Families.InstanceKeys.Comparer);
        return then.FirstOrDefault(key => !after.Contains(key)) is { } removed ? Reasons.InstanceRemoved(removed) : null;
    }

    /// <summary>The file system's last write time, or null for a missing file (one system call: a no-op build makes thousands).</summary>
    public static DateTime? FileTime(string path) => File.GetLastWriteTimeUtc(path) is var time && time == MissingFileTime ? null : time;

    // What File.GetLastWriteTimeUtc gives for a file that does not exist.
    private static readonly DateTime MissingFileTime = DateTime.FromFileTimeUtc(0);
}
