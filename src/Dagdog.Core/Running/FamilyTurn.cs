using System.Security.Cryptography;
using System.Text;
using Dagdog.Cache;
using Dagdog.Families;
using Dagdog.Graph;
using Dagdog.State;

namespace Dagdog.Running;

/// <summary>
/// A family's turn (docs/design.md, "Task families"): its instances are worked out now, after its parents ran; each is
/// decided and, when stale, taken like a task by the unit runner (<paramref name="units"/>: its own record, log, cache
/// entry and worker run), several at once under the build's jobs; instances that are gone are forgotten; and the
/// family's own record, which its downstream compares, sums them up.
/// </summary>
internal sealed class FamilyTurn(TaskTurns units, DagOnDisk project, RunSettings settings, ITaskExecutor? executor, IRunEvents events, JobSlots slots)
{
    public async Task<TurnResult> Take(ScheduledTask scheduled, IReadOnlyList<TurnResult> parents, CancellationToken interrupt)
    {
        var family = scheduled.Node;
        // A dry run cannot know the instances a parent that would run first is yet to write.
        if (settings.DecideOnly && parents.FirstOrDefault(p => p.MadeOutput && family.InstanceSources.Contains(p.Task)) is { } writer)
            return new TurnResult(family, TurnStatus.WouldRun) { Reason = Reasons.InstancesUnknown(writer.Task.Name) };

        var found = Instances.Of(family, project.Layout.ProjectDirectory, settings.Items);
        if (found.Problems.Count > 0)
        {
            foreach (var problem in found.Problems.Skip(1)) events.Problem(problem);
            return units.Told(new TurnResult(family, TurnStatus.Failed) { Error = found.Problems[0], Reason = "its instances could not be worked out" });
        }
        if (SharedOutput(family, found.Instances) is { } shared)
            return units.Told(new TurnResult(family, TurnStatus.Failed) { Error = shared, Reason = "two of its instances would write one file" });
        var lastRun = project.StateOf(family).LastRun;
        if (found.Instances.Count == 0)
        {
            // Every file gone at once is a folder moved, unmounted or mistyped, or another branch, far more often than
            // an analysis without data: the results are kept, and forgetting them is asked for by name.
            if (lastRun?.Instances is { Count: > 0 } had && family.InstanceSources.Count == 0 && !settings.Forget.Contains(family.Name))
                return units.Told(new TurnResult(family, TurnStatus.Failed) { Error = AllGone(family, had.Count), Reason = "every instance is gone at once" });
            events.Problem(NoInstances(family));
        }

        var current = found.Instances.Select(i => i.Key).ToHashSet(InstanceKeys.Comparer);
        var before = lastRun?.Instances?.ToHashSet(InstanceKeys.Comparer);
        // The journal also knows the instances a killed build finished and could not sum up in the family's record.
        var gone = (lastRun?.Instances ?? []).Concat(project.Store.RecordedKeys(family.Name)).Distinct(InstanceKeys.Comparer).Where(key => !current.Contains(key)).ToList();
        var selected = found.Instances.Where(i => scheduled.Keys?.Matches(i) != false).ToList();
        if (scheduled.Keys is { Names: true } named && selected.Count == 0)
            return units.Told(new TurnResult(family, TurnStatus.Failed) { Error = UnknownKey(family, named.Filter, found.Instances), Reason = "no instance is selected" });
        if (!settings.DecideOnly)
        {
            // Forgetting asked for by name keeps nothing, and empties what earlier forgetting kept.
            var asked = settings.Forget.Contains(family.Name);
            // Ctrl+C stops forgetting too (what is left is forgotten by the next build).
            foreach (var key in gone.TakeWhile(_ => !interrupt.IsCancellationRequested)) await Forget(family, key, keep: !asked && family.Cacheable).ConfigureAwait(false);
            if (asked) settings.Forgotten?.ForgetFamily(family.Name);
        }

        var results = await TakeInstances(scheduled, selected, parents, interrupt).ConfigureAwait(false);
        var byKey = results.ToDictionary(r => r.Key!, InstanceKeys.Comparer);
        // The instances this run is about: all of them, or those the selection names.
        var all = selected.Select(i => byKey[i.Key]).ToList();
        var added = before is null ? null : found.Instances.FirstOrDefault(i => !before.Contains(i.Key));
        var setChanged = gone.Count > 0 || before is null || added is not null;
        var reason = gone.Count > 0 ? Reasons.InstanceRemoved(gone[0])
            : added is not null ? Reasons.InstanceAdded(added.Key)
            : results.FirstOrDefault(r => r.MadeOutput)?.Reason ?? (lastRun is null ? Reasons.NeverRan : null);

        if (settings.DecideOnly)
        {
            var would = results.Any(r => r.MadeOutput) || setChanged;
            return new TurnResult(family, would ? TurnStatus.WouldRun : TurnStatus.UpToDate) { Reason = would ? reason ?? Reasons.NeverRan : null, Instances = all };
        }

        var keys = found.Instances.Select(i => i.Key).ToList();
        if (all.FirstOrDefault(r => !r.Succeeded) is { } failed)
        {
            TaskRun.OfFamily(project.FamilyOnDisk(family), reason).FailFamily($"instance {failed.Name} {failed.Status.ToString().ToLowerInvariant()}", keys);
            project.Store.Settle(family.Name);
            return new TurnResult(family, all.Any(r => r.Status == TurnStatus.Failed) ? TurnStatus.Failed : TurnStatus.Interrupted) { Reason = reason, Instances = all };
        }

        var ran = results.Any(r => r.Status is TurnStatus.Ran or TurnStatus.Restored || r.Unchanged);
        project.Store.Settle(family.Name);
        if (!ran && !setChanged && lastRun is { Succeeded: true }) return new TurnResult(family, TurnStatus.UpToDate) { Instances = all };

        // The family's record: what its downstream compares. Byte-identical outputs of every instance, and the same
        // instances, give the same version (early cutoff for the family as a whole).
        var versions = InstanceVersions(family, keys, byKey, lastRun);
        var version = FamilyVersion(keys, versions);
        var started = results.Where(r => r.StartedUtc is not null).Select(r => r.StartedUtc!.Value).DefaultIfEmpty(DateTime.UtcNow).Min();
        var seconds = results.Sum(r => r.Seconds);
        TaskRun.OfFamily(project.FamilyOnDisk(family), reason).SumUpFamily(started, seconds, keys, versions, version);
        var status = results.Any(r => r.Status is TurnStatus.Ran or TurnStatus.Restored) || setChanged ? TurnStatus.Ran : TurnStatus.UpToDate;
        return new TurnResult(family, status)
        {
            Reason = reason, StartedUtc = started, Seconds = seconds, Instances = all, OutputVersion = version,
            SameOutput = lastRun?.OutputVersion == version,
        };
    }

    // Each selected instance decides (file times, cheap); then the stale ones run, several at once, each taking its
    // jobs from the build's as it starts.
    private async Task<IReadOnlyList<TurnResult>> TakeInstances(ScheduledTask scheduled, IReadOnlyList<Instance> instances, IReadOnlyList<TurnResult> parents,
        CancellationToken interrupt)
    {
        var family = scheduled.Node;
        var decided = new List<(TurnUnit Unit, TaskRun? Run, RunVerdict Verdict, TurnResult? Settled)>(instances.Count);
        // Each paired parent's keys, as a set once for all the instances (a list searched per instance was quadratic).
        var pairedKeySets = new Dictionary<DagNode, IReadOnlySet<string>>();
        IReadOnlySet<string> pairedKeys(DagNode parent) =>
            pairedKeySets.TryGetValue(parent, out var keys) ? keys : pairedKeySets[parent] = project.KeysOf(parent).ToHashSet(InstanceKeys.Comparer);
        foreach (var instance in instances)
        {
            var unit = new TurnUnit(family, instance);
            // Ctrl+C during a family of many instances: the ones not decided yet are not run, and the turn ends at once.
            if (interrupt.IsCancellationRequested)
            {
                decided.Add((unit, null, RunVerdict.Run, unit.Result(TurnStatus.NotRun)));
                continue;
            }
            try
            {
                if (MissingPairedParent(unit, pairedKeys) is { } missing)
                {
                    decided.Add((unit, null, RunVerdict.Run, units.Told(unit.Result(TurnStatus.Failed) with { Error = missing })));
                    continue;
                }
                var run = new TaskRun(project.OnDisk(family, instance));
                decided.Add((unit, run, run.Decide(scheduled.Reason), null));
            }
            catch (Exception e)
            {
                decided.Add((unit, null, RunVerdict.Run, units.Failure(unit, e)));
            }
        }
        var toRun = decided.Count(d => d.Settled is null && d.Verdict == RunVerdict.Run);
        if (!settings.DecideOnly)
        {
            events.Expanded(family, toRun);
            if (toRun > 0) executor?.Warm(Math.Min(slots.Jobs, toRun));
        }

        var stopping = false;
        return await Task.WhenAll(decided.Select(d => d.Settled is { } settled ? Task.FromResult(settled) : units.Guarded(d.Unit, async () =>
        {
            var taken = false;
            try
            {
                var result = await units.Act(d.Unit, scheduled.Reason, d.Run!, d.Verdict, parents, interrupt, async () =>
                {
                    await slots.Take(family.Jobs).ConfigureAwait(false);
                    taken = true;
                    return !Volatile.Read(ref stopping) && !interrupt.IsCancellationRequested;
                }).ConfigureAwait(false);
                // make's rule, instance by instance: after a failure no new instance starts, unless keep-going is on.
                if (result.Status is TurnStatus.Failed or TurnStatus.Interrupted && !settings.KeepGoing) Volatile.Write(ref stopping, true);
                return result;
            }
            finally
            {
                if (taken) slots.Return(family.Jobs);
            }
        }))).ConfigureAwait(false);
    }

    // An instance paired with a parent family's instance of the same key needs that instance to exist.
    private DagProblem? MissingPairedParent(TurnUnit unit, Func<DagNode, IReadOnlySet<string>> keysOf)
    {
        foreach (var paired in InstanceUpstream.Of(unit.Task).Where(p => p.Paired))
        {
            var (parent, key) = (paired.Parent, paired.PairedKey(unit.Instance!));
            if (!keysOf(parent).Contains(key))
                return new(DagCodes.UnknownInstance, unit.Task.Name,
                    $"Task '{unit.Name}' is paired with '{InstanceKeys.Name(parent.Name, key)}', but family '{parent.Name}' has no instance '{key}'. " +
                    $"Make both families' instances come from the same files or items, or make '{unit.Task.Name}' aggregate '{parent.Name}' (use its keys as a list).");
        }
        return null;
    }

    // Each instance's output version now: from the record its turn wrote in this build, or, for one that did not
    // run, from the family's last record (reading 10,000 instance records would cost about a second).
    private IReadOnlyList<string?> InstanceVersions(DagNode family, IReadOnlyList<string> keys, IReadOnlyDictionary<string, TurnResult> thisBuild, RunRecord? lastRun)
    {
        var before = lastRun is { Instances: { } known, InstanceVersions: { } versions } && known.Count == versions.Count
            ? known.Zip(versions).ToDictionary(p => p.First, p => p.Second, InstanceKeys.Comparer)
            : null;
        return keys.Select(key =>
        {
            var wrote = thisBuild.GetValueOrDefault(key) is { } result && (result.Status is TurnStatus.Ran or TurnStatus.Restored || result.Unchanged);
            return !wrote && before?.TryGetValue(key, out var version) == true
                ? version
                : project.StateOf(InstanceKeys.Name(family.Name, key)).LastRun?.OutputVersion;
        }).ToList();
    }

    // A hash of each instance's key and output version, in key order.
    private static string FamilyVersion(IReadOnlyList<string> keys, IReadOnlyList<string?> versions)
    {
        var text = new StringBuilder();
        for (var i = 0; i < keys.Count; i++) text.Append(keys[i].ToLowerInvariant()).Append(' ').Append(versions[i]).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    // An instance whose file or item is gone: its record goes, and so do its outputs while they hold what it wrote.
    // What its last run wrote is kept first (ForgottenResults), when every output still holds it: an instance that comes
    // back as it was is then restored instead of run.
    private async Task Forget(DagNode family, string key, bool keep)
    {
        var name = InstanceKeys.Name(family.Name, key);
        var lastRun = project.StateOf(name).LastRun;
        var deleted = new List<string>();
        var unchanged = (lastRun?.Outputs ?? []).Where(output => new FileHasher(project.Layout, []).Hash(output.Path)?.Sha256 == output.Sha256).ToList();
        var outcome = keep && settings.Forgotten is { } forgotten && lastRun is not null && unchanged.Count == lastRun.Outputs!.Count
            ? await forgotten.Keep(lastRun, family.Declaration.Outputs.Any(DeclaredFiles.IsGlob) ? -1 : family.Declaration.Outputs.Count, project.Layout).ConfigureAwait(false)
            : KeepOutcome.NothingToKeep;
        var kept = outcome == KeepOutcome.Kept;
        // Outputs that could not be kept (the store failed) stay where they are: nothing is deleted that cannot come back.
        if (outcome == KeepOutcome.Failed) unchanged.Clear();
        foreach (var output in lastRun?.Outputs ?? [])
        {
            var path = project.Layout.DataFile(output.Path);
            if (!File.Exists(path)) continue;
            if (unchanged.Contains(output))
            {
                File.Delete(path);
                deleted.Add(output.Path);
            }
            else
            {
                events.Problem(new(DagCodes.KeptOutput, family.Name, outcome == KeepOutcome.Failed
                    ? $"Task '{name}' is gone (its instance no longer exists), but its output '{output.Path}' could not be kept in {Shown(project.Layout.ForgottenFolder)} ({settings.Forgotten!.Failure}), so it was left in place. Delete it if it is not needed."
                    : $"Task '{name}' is gone (its instance no longer exists), but its output '{output.Path}' was changed since it wrote it, so it was kept. Delete it if it is not needed.",
                    IsWarning: true));
            }
        }
        project.Store.Forget(name);
        TaskState.DeleteIfExists(project.Layout.LogFile(name));
        events.Note($"Dag: {name} forgotten: its instance no longer exists" + (deleted.Count > 0 ? $"; deleted {string.Join(", ", deleted)}" : "") +
                    (kept ? $" (kept in {Shown(project.Layout.ForgottenFolder)}: it is restored if it comes back as it was)" : ""));
    }

    // A state folder as the user would type it from the project's folder (obj/dag/forgotten, unless DagStateDirectory moved it).
    private string Shown(string folder) => Path.GetRelativePath(project.Layout.ProjectDirectory, folder);

    private static DagProblem UnknownKey(DagNode family, KeyFilter keys, IReadOnlyList<Instance> instances)
    {
        var nearest = TaskNames.Nearest(keys.Text.TrimEnd('*'), instances.Select(i => i.Key));
        var hint = nearest is not null ? $"Did you mean '{InstanceKeys.Name(family.Name, nearest)}'?"
            : instances.Count == 0 ? "It has no instances now."
            : $"Its instances: {string.Join(", ", instances.Take(10).Select(i => i.Key))}{(instances.Count > 10 ? $" and {instances.Count - 10} more" : "")}.";
        return new(DagCodes.UnknownInstance, family.Name,
            $"Task '{family.Name}' has no instance {(keys.IsPrefix ? $"whose key starts with '{keys.Text[..^1]}'" : $"'{keys.Text}'")}. {hint} 'dotnet build -t:DagList -p:DagFrom={family.Name}' lists them.");
    }

    // Two instances whose keys put into an output path give one file (out/{a}_{b}.txt with x_y/z and x/y_z): the last
    // writer would win, and forgetting one would delete the other's result. Only the keys can tell, at the family's turn.
    private static DagProblem? SharedOutput(DagNode family, IReadOnlyList<Instance> instances)
    {
        var outputs = family.Declaration.Outputs.Where(WildcardPath.HasWildcards).ToList();
        if (outputs.Count == 0) return null;
        var writers = new Dictionary<string, string>(OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        foreach (var instance in instances)
        {
            foreach (var output in outputs)
            {
                var path = WildcardPath.Substitute(output, instance.Values);
                if (writers.TryAdd(path, instance.Key)) continue;
                return new(DagCodes.SharedOutput, family.Name,
                    $"Task '{family.Name}' has the instances '{InstanceKeys.Name(family.Name, writers[path])}' and '{instance.NameIn(family.Name)}', which would both write '{path}' " +
                    $"(Outputs=\"{output}\"), so neither runs: the last to run would win, and forgetting one would delete the other's result. " +
                    "Keep the wildcards apart in Outputs with something no key value can hold, such as a folder (out/{a}/{b}.txt).");
            }
        }
        return null;
    }

    private DagProblem AllGone(DagNode family, int had)
    {
        const string keep = "Its records and outputs are kept: put the files back and nothing runs again";
        var forget = $"or, to forget them and delete their outputs, build once with -p:DagForget={family.Name}.";
        if (family.Family!.Files is not { } files)
            return new(DagCodes.FamilyVanished, family.Name,
                $"Task '{family.Name}' had {had} instance(s), but there is no {string.Join(" or ", family.Family.ItemTypes)} item now. " +
                $"Its records and outputs are kept: put the items back and nothing runs again (was an item group removed or renamed?), {forget}");
        var folder = files.FixedFolder;
        var where = folder.Length == 0 ? "the project folder has no file that matches"
            : Directory.Exists(project.Layout.DataFile(folder)) ? $"nothing in {folder}/ matches" : $"the folder {folder}/ does not exist";
        return new(DagCodes.FamilyVanished, family.Name,
            $"Task '{family.Name}' had {had} instance(s), but ForEach=\"{files.Text}\" matches nothing now: {where}. " +
            $"{keep} (was a folder moved, unmounted or renamed, or is this another branch?), {forget}");
    }

    private DagProblem NoInstances(DagNode family) => new(DagCodes.EmptyFamily, family.Name,
        family.Family!.Files is { } files
            ? $"Task '{family.Name}' has no instances: no file matches ForEach=\"{files.Text}\". It succeeds with none, and the tasks after it get an empty list."
            : $"Task '{family.Name}' has no instances: there is no {string.Join(" or ", family.Family.ItemTypes)} item. It succeeds with none, and the tasks after it get an empty list.",
        IsWarning: true);
}
