using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dagdog.Board;

/// <summary>
/// What the board shows of a project (<c>-t:DagBoard</c>, <c>DagBoardFile</c>): every task with its status and why, its
/// last run, its declared files and log, the command line that runs it alone; a family with its instances. Written by
/// the build (<c>BoardDocuments</c> in Dagdog.Build), read by the board process and, as JSON, by the page.
/// </summary>
/// <param name="Statuses">The words a task's <see cref="BoardTask.Status"/> can take, with how the page draws each (the picture's table, <see cref="DagPicture"/>).</param>
internal sealed record BoardDocument(int Format, string Project, string ProjectDirectory, DateTime WrittenUtc, string? Cycle,
    IReadOnlyList<BoardStatus> Statuses, IReadOnlyList<BoardTask> Tasks);

internal sealed record BoardStatus(string Name, string Label, string Fill, string Stroke);

/// <param name="Status">One of the document's <see cref="BoardDocument.Statuses"/>.</param>
/// <param name="Reason">Why it will run, when it will.</param>
/// <param name="Log">The log file of its last run, relative to the project folder.</param>
/// <param name="Command">The command line that runs just it (<c>dotnet build -p:Dag=Fit[adelie]</c>).</param>
/// <param name="History">Its durations over the kept runs, oldest first, in seconds.</param>
/// <param name="Metrics">The numbers in its JSON outputs at its last run, each with the one before and its history.</param>
/// <param name="Instances">For a family, each instance, in key order (each with its <see cref="Key"/>).</param>
internal sealed record BoardTask(int Index, string Name, IReadOnlyList<string> Parents, string Status, string? Reason, BoardRun? LastRun,
    IReadOnlyList<BoardFile> Inputs, IReadOnlyList<BoardFile> Outputs, string Log, string Command, IReadOnlyList<double> History,
    IReadOnlyList<BoardMetric> Metrics, string? Key = null, IReadOnlyList<BoardTask>? Instances = null);

/// <summary>A number in a JSON output (<paramref name="Name"/>: its path in the file, <c>metrics.r2</c>) over the kept runs in which its task ran.</summary>
/// <param name="Previous">Its value in the run before the last; null when it was not there.</param>
internal sealed record BoardMetric(string File, string Name, double Value, double? Previous, IReadOnlyList<double> History);

/// <param name="Error">Its error's code and message, from the run report, when it failed.</param>
internal sealed record BoardRun(DateTime StartedUtc, double Seconds, bool Succeeded, string? Error);

/// <summary>A declared input or output as it is now: <see cref="Bytes"/> and <see cref="ModifiedUtc"/> are null when it does not exist.</summary>
/// <param name="Path">Relative to the project folder, with forward slashes: what the board serves it by.</param>
internal sealed record BoardFile(string Path, long? Bytes, DateTime? ModifiedUtc);

/// <summary>
/// The lines the build writes to the board process's standard input, one JSON object a line, and the board passes on
/// to its pages unchanged (Server-Sent Events): a whole <see cref="BoardDocument"/>, a unit of it that started or
/// finished, or what the watch does now (its header until the next document). The one owner of the format, both ends. The board ends when the stream ends: its creator's lifetime is its own.
/// </summary>
internal static class BoardFeed
{
    public const int Format = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A unit (a task, or an instance <c>Fit[adelie]</c>) began its Run(): the page shows it running from <paramref name="startedUtc"/>.</summary>
    public sealed record Started(string Name, string Reason, DateTime StartedUtc);

    /// <summary>A unit's turn ended: <paramref name="Status"/> is the run report's word (<c>ran</c>, <c>failed</c>, …).</summary>
    public sealed record Finished(string Name, string Status, double Seconds, string? Error);

    private sealed record Message(BoardDocument? Document = null, Started? Started = null, Finished? Finished = null, string? Cycle = null);

    public static string Line(BoardDocument document) => JsonSerializer.Serialize(new Message(Document: document), Json);

    public static string Line(Started started) => JsonSerializer.Serialize(new Message(Started: started), Json);

    public static string Line(Finished finished) => JsonSerializer.Serialize(new Message(Finished: finished), Json);

    /// <summary>What the watch does now (<c>20:15:03 running</c>), shown with the last document's statuses: a cycle
    /// that runs tells the page so without a document made first, which would hold its tasks back.</summary>
    public static string CycleLine(string cycle) => JsonSerializer.Serialize(new Message(Cycle: cycle), Json);

    /// <summary>The document a line carries; null for an event line or a line that is not the feed's.</summary>
    public static BoardDocument? DocumentIn(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<Message>(line, Json)?.Document is { Format: Format } document ? document : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
