using System.Text.Json;

namespace Dagdog.Running;

/// <summary>What the build asks a worker process to run: one task's Run(), in the project folder.</summary>
/// <param name="Assembly">The user's compiled assembly.</param>
/// <param name="Type">The task's class, e.g. <c>Analysis.Fit</c>.</param>
/// <param name="ProjectDirectory">The current directory for Run().</param>
internal sealed record RunRequest(string Assembly, string Type, string ProjectDirectory);

/// <summary>How Run() ended inside a worker that is still alive.</summary>
/// <param name="Error">The exception and its causes, when Run() threw; null when it returned.</param>
/// <param name="File">The user's source file of the first stack frame in the user's assembly, when known.</param>
/// <param name="Settled">
/// True when nothing of the task can run any more, so this is its outcome. False when something of it is still alive
/// in the worker (a thread, a timer): the worker then ends when the task's threads do, and the run is over only then.
/// </param>
internal sealed record RunResult(string? Error, string? StackTrace, string? File, int Line, int Column, bool Settled);

/// <summary>An unhandled exception on some thread of the worker: the runtime ends the process right after.</summary>
internal sealed record ThreadCrash(string Thread, string Exception);

/// <summary>
/// The line protocol between the build and a worker process. What a task writes to its standard output and error
/// stays raw text there; the worker's own messages are lines starting with a marker that contains a random value
/// the task never sees, so a task cannot forge or break one. Requests go to the worker's standard input, one a line.
/// </summary>
internal static class WorkerProtocol
{
    /// <summary>Environment variable with the marker's random part; the worker removes it before running any task.</summary>
    public const string NonceVariable = "DAGDOG_WORKER_NONCE";

    public const string Cancel = "cancel";
    private const string RunPrefix = "run ";
    private const string ResultKind = "result";
    private const string CrashKind = "crash";
    private const string EndKind = "end";
    private const string CheckedKind = "checked";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Marker(string nonce) => $"\u001edagdog:{nonce}:";

    public static string RunLine(RunRequest request) => RunPrefix + JsonSerializer.Serialize(request, Json);

    /// <summary>A request line from the build; null for anything else (then the worker ignores it).</summary>
    public static RunRequest? ParseRun(string line) =>
        line.StartsWith(RunPrefix, StringComparison.Ordinal) ? JsonSerializer.Deserialize<RunRequest>(line[RunPrefix.Length..], Json) : null;

    public static string ResultLine(string nonce, RunResult result) => $"{Marker(nonce)}{ResultKind} {JsonSerializer.Serialize(result, Json)}";

    public static string CrashLine(string nonce, ThreadCrash crash) => $"{Marker(nonce)}{CrashKind} {JsonSerializer.Serialize(crash, Json)}";

    /// <summary>
    /// Written after each result: whether the worker proved that nothing of the run is left (its load context was
    /// collected, environment and cultures are as before, AppContext is unchanged), so that it can serve another run.
    /// A worker that is not clean takes no more requests.
    /// </summary>
    public static string CheckedLine(string nonce, bool clean) => $"{Marker(nonce)}{CheckedKind} {(clean ? "clean" : "dirty")}";

    /// <summary>Written to standard error after each run, so the build knows it has every error line of that run.</summary>
    public static string EndLine(string nonce) => $"{Marker(nonce)}{EndKind}";

    /// <summary>
    /// Splits a line read from a worker into the task's text before the marker (a line the task left unfinished) and
    /// the worker's message after it. A line without the marker is all task text.
    /// </summary>
    public static (string Text, WorkerMessage? Message) Split(string line, string nonce)
    {
        var marker = Marker(nonce);
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return (line, null);
        var body = line[(at + marker.Length)..];
        var space = body.IndexOf(' ');
        var (kind, payload) = space < 0 ? (body, "") : (body[..space], body[(space + 1)..]);
        WorkerMessage? message = kind switch
        {
            ResultKind => new WorkerMessage.Finished(JsonSerializer.Deserialize<RunResult>(payload, Json)!),
            CrashKind => new WorkerMessage.Crashed(JsonSerializer.Deserialize<ThreadCrash>(payload, Json)!),
            EndKind => new WorkerMessage.ErrorStreamEnd(),
            CheckedKind => new WorkerMessage.Checked(payload == "clean"),
            _ => null,
        };
        return (line[..at], message);
    }
}

/// <summary>A message from a worker process.</summary>
internal abstract record WorkerMessage
{
    public sealed record Finished(RunResult Result) : WorkerMessage;

    public sealed record Crashed(ThreadCrash Crash) : WorkerMessage;

    public sealed record ErrorStreamEnd : WorkerMessage;

    public sealed record Checked(bool Clean) : WorkerMessage;
}
