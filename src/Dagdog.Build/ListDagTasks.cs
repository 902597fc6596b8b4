using System.Globalization;
using System.Text.Json;
using System.Text;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Running;
using Dagdog.State;
using Microsoft.Build.Framework;

namespace Dagdog.Build;

/// <summary>
/// dagdog's <c>ls</c>: every task with its index, parents, status and why, and its last run, as a table in the
/// build log or as JSON for scripts and CI.
/// </summary>
public sealed class ListDagTasks : DagStatusTask
{
    /// <summary>
    /// The listing as JSON, always. The target puts it in the property DagListJson, so that
    /// <c>dotnet build -t:DagList -getProperty:DagListJson</c> prints it alone: MSBuild silences its loggers for -getProperty.
    /// </summary>
    [Output] public string Json { get; private set; } = "";

    protected override bool ExecuteDagdog()
    {
        // DagFormat: table (the default) or json, what the build log shows.
        var settings = Setting;
        var format = settings.Format;
        if (format is not ("" or "table" or "json"))
        {
            Log.LogProblem(new DagProblem(DagCodes.InvalidOption, null, $"Unknown DagFormat '{settings.FormatAsGiven}' for DagList. Use table or json."), ProjectFile);
            return false;
        }
        if (LoadProject() is not { } project) return false;
        var results = Foresee(project).OrderBy(result => result.Task.Index).ToList();
        var (selection, problem) = Selection.Parse(compact: null, settings.From, mode: null, exclusive: null, force: null);
        if (!GoesOn(problem)) return false;
        var (family, resolveProblem) = selection!.ResolveTask(project.Dag);
        if (!GoesOn(resolveProblem)) return false;

        Json = ToJson(results, project);
        var rows = family is { Family: not null }
            // A family named by DagFrom: a row per instance.
            ? results.Single(r => r.Task == family).Instances.Select(i => (i.Task, i.Name, Status(i), project.StateOf(i.Name).LastRun)).ToList()
            : results.Select(r => (r.Task, Label(r), Status(r), project.StateOf(r.Task).LastRun)).ToList();
        if (format == "json") Live.Print(Json);
        else foreach (var line in Table(rows)) Live.Print(line);
        return true;
    }

    /// <summary>
    /// What a task's status column says: why a plain build would run it, or that it is up to date; for a family, how
    /// many of its instances would run, and why the first one would.
    /// </summary>
    internal static string Status(TurnResult result)
    {
        if (result.Task.Family is not null && result.Key is null && result.Status == TurnStatus.WouldRun
            && result.Instances.Where(i => i.MadeOutput).ToList() is { Count: > 0 } stale)
            return $"{stale.Count} of {result.Instances.Count} instance(s) would run ({stale[0].Name}: {Status(stale[0])})";
        return result.Status switch
        {
            TurnStatus.WouldRun => result.Reason!,
            TurnStatus.WouldRestore => $"{StatusWords.WouldRestore(result)} ({result.Reason})",
            _ => StatusWords.Word(result.Status),
        };
    }

    // A family's row says how many instances it has now.
    private static string Label(TurnResult result) =>
        result.Task.Family is null ? result.Task.Name : $"{result.Task.Name} ({result.Instances.Count} instance{(result.Instances.Count == 1 ? "" : "s")})";

    private static IEnumerable<string> Table(IReadOnlyList<(DagNode task, string name, string status, RunRecord? run)> rows)
    {
        string[] header = ["index", "task", "parents", "status", "last run (UTC)", "took"];
        var cells = rows.Select(r => new[]
        {
            r.task.Index.ToString(CultureInfo.InvariantCulture),
            r.name,
            r.task.Parents.Count == 0 ? "-" : string.Join(", ", r.task.Parents.Select(p => $"{p.Index}:{p.Name}")),
            r.status,
            r.run is null ? "-" : $"{r.run.StartedUtc:yyyy-MM-dd HH:mm:ss}{(r.run.Succeeded ? "" : " (failed)")}",
            r.run is null ? "-" : $"{r.run.Seconds.ToString("0.00", CultureInfo.InvariantCulture)} s",
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();
        return cells.Select(row => "  " + string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
    }

    private static string ToJson(IReadOnlyList<TurnResult> results, DagOnDisk project)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("tasks");
            foreach (var result in results)
            {
                var (task, status, run) = (result.Task, Status(result), project.StateOf(result.Task).LastRun);
                json.WriteStartObject();
                json.WriteNumber("index", task.Index);
                json.WriteString("name", task.Name);
                json.WriteStartArray("parents");
                foreach (var parent in task.Parents)
                {
                    json.WriteStartObject();
                    json.WriteNumber("index", parent.Index);
                    json.WriteString("name", parent.Name);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteBoolean("upToDate", result.Status == TurnStatus.UpToDate);
                json.WriteString("status", status);
                LastRun(json, run);
                if (task.Family is not null)
                {
                    json.WriteStartArray("instances");
                    foreach (var instance in result.Instances)
                    {
                        json.WriteStartObject();
                        json.WriteString("key", instance.Key);
                        json.WriteBoolean("upToDate", instance.Status == TurnStatus.UpToDate);
                        json.WriteString("status", Status(instance));
                        LastRun(json, project.StateOf(instance.Name).LastRun);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void LastRun(Utf8JsonWriter json, RunRecord? run)
    {
        if (run is null)
        {
            json.WriteNull("lastRun");
            return;
        }
        json.WriteStartObject("lastRun");
        json.WriteBoolean("succeeded", run.Succeeded);
        json.WriteString("startedUtc", run.StartedUtc);
        json.WriteString("finishedUtc", run.FinishedUtc);
        json.WriteNumber("seconds", Math.Round(run.Seconds, 3));
        json.WriteString("reason", run.Reason);
        if (run.Error is not null) json.WriteString("error", run.Error);
        json.WriteEndObject();
    }
}
