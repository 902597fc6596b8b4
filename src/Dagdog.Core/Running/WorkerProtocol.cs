using System.Text.Json;
using System.Text.Json.Serialization;
using Dagdog.State;

namespace Dagdog.Running;

/// <summary>What the build asks a worker process to run: one task's Run(), in the project folder.</summary>
/// <param name="Assembly">The user's compiled assembly.</param>
/// <param name="Type">The task's class, e.g. <c>Analysis.Fit</c>.</param>
/// <param name="ProjectDirectory">The current directory for Run().</param>
/// <param name="Arguments">
/// What Run()'s parameters may take by name (ignoring case), as text: an instance's wildcard values and item metadata.
/// </param>
/// <param name="Lists">What Run()'s list parameters may take by name: each parent family's wildcard values, in key order.</param>
/// <param name="Outputs">The task's declared outputs (no globs), which the worker hashes where it ran (see <see cref="RunResult.Outputs"/>).</param>
internal sealed record RunRequest(string Assembly, string Type, string ProjectDirectory,
    IReadOnlyDictionary<string, string>? Arguments = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? Lists = null,
    IReadOnlyList<string>? Outputs = null);

/// <summary>How Run() ended inside a worker that is still alive.</summary>
/// <param name="Error">The exception and its causes, when Run() threw; null when it returned.</param>
/// <param name="File">The user's source file of the first stack frame in the user's assembly, when known.</param>
/// <param name="Settled">
/// True when nothing of the task can run any more, so this is its outcome. False when something of it is still alive
/// in the worker (a thread, a timer): the worker then ends when the task's threads do, and the run is over only then.
/// </param>
/// <param name="Stopped">Processes the task started and left running when Run() returned, which the worker stopped.</param>
/// <param name="ParameterProblem">True when Run() was not called: a parameter had no value, or its value did not parse.</param>
/// <param name="Outputs">
/// After a successful run, the declared outputs' hashes as the worker saw them where it ran: on a cluster's node the
/// build then trusts them when a file's size and time agree, instead of reading it back through a network filesystem.
/// </param>
internal sealed record RunResult(string? Error, string? StackTrace, string? File, int Line, int Column, bool Settled, IReadOnlyList<string>? Stopped = null,
    bool ParameterProblem = false, IReadOnlyList<FileHash>? Outputs = null);

/// <summary>An unhandled exception on some thread of the worker: the runtime ends the process right after.</summary>
internal sealed record ThreadCrash(string Thread, string Exception);

/// <summary>
/// The protocol between the build and a worker process, over the worker's three standard streams only (so that it
/// works as well through <c>srun</c> as through a local pipe):
/// <list type="bullet">
/// <item>standard input carries the build's requests, one a line: first <c>key</c>, then <c>run</c> and <c>cancel</c>
/// (and <c>ack</c>, which the worker ignores: see <see cref="Ack"/>).
/// The worker reads them on a descriptor of its own; the task and every process it starts see an empty standard input.</item>
/// <item>standard output carries the worker's messages, one a line (<c>returned</c>, <c>result</c>, <c>crash</c>, <c>checked</c>, <c>exit</c>), and
/// nothing else: the task and its processes cannot write there.</item>
/// <item>standard error carries whatever the task and its processes write, to their standard output or error, raw and
/// in order, and the runtime's own last words (<c>Stack overflow.</c>). After each run the worker ends it with the
/// end marker, which holds the key: a random value that exists only in the build's and the worker's memory (never in
/// the environment or a command line), so nothing a task writes can end its run's output early.</item>
/// </list>
/// </summary>
internal static partial class WorkerProtocol
{
    public const string Cancel = "cancel";

    /// <summary>
    /// Sent by the build, and ignored by the worker, when it has read a run's <c>returned</c>, its result or the end of its output from a
    /// worker behind <c>srun</c> (not after the run's last message, whose acknowledgement would hold up the next request). The node's <c>slurmstepd</c> sends both of the worker's streams on one connection,
    /// where a small write after another waits for the first one's acknowledgement, which <c>srun</c> delays by about
    /// 40 ms unless it has something to send back: this is that something (measured: 44 ms a run without it, 0.1 ms with it).
    /// </summary>
    public const string Ack = "ack";
    private const string KeyPrefix = "key ";
    private const string RunPrefix = "run ";
    private const string ResultKind = "result";
    private const string CrashKind = "crash";
    private const string CheckedKind = "checked";
    private const string ExitKind = "exit";

    /// <summary>
    /// The longest text a worker puts in one message (an exception's message and stack trace are cut to it), so that
    /// the build reads messages in bounded memory.
    /// </summary>
    public const int LongestText = 64 * 1024;

    /// <summary>The longest message line the build reads; longer ones are not the worker's and are ignored.</summary>
    public const int LongestMessage = 8 * LongestText;

    /// <summary>The first line the build sends: the key of the end marker.</summary>
    public static string KeyLine(string key) => KeyPrefix + key;

    public static string? ParseKey(string? line) => line?.StartsWith(KeyPrefix, StringComparison.Ordinal) == true ? line[KeyPrefix.Length..] : null;

    public static string RunLine(RunRequest request) => RunPrefix + JsonSerializer.Serialize(request, Messages.Default.RunRequest);

    /// <summary>A request line from the build; null for anything else (then the worker ignores it).</summary>
    public static RunRequest? ParseRun(string line) =>
        line.StartsWith(RunPrefix, StringComparison.Ordinal) ? JsonSerializer.Deserialize(line[RunPrefix.Length..], Messages.Default.RunRequest) : null;

    public static string ResultLine(RunResult result) => $"{ResultKind} {JsonSerializer.Serialize(result, Messages.Default.RunResult)}";

    public static string CrashLine(ThreadCrash crash) => $"{CrashKind} {JsonSerializer.Serialize(crash, Messages.Default.ThreadCrash)}";

    /// <summary>Written when the running task's code ends the process (Environment.Exit), with its exit code, before the process goes.</summary>
    public static string ExitLine(int code) => $"{ExitKind} {code}";

    /// <summary>
    /// Written when Run() has returned but its outcome waits for the worker's proof that nothing of the task is left
    /// (the task may still be running something): whatever ends the worker from then on came after Run() returned.
    /// </summary>
    public const string Returned = "returned";

    /// <summary>
    /// Written after each result: whether the worker proved that nothing of the run is left (its load context was
    /// collected, environment and cultures are as before, AppContext is unchanged), so that it can serve another run.
    /// A worker that is not clean takes no more requests.
    /// </summary>
    public static string CheckedLine(bool clean) => $"{CheckedKind} {(clean ? "clean" : "dirty")}";

    /// <summary>Written to the task output stream after each run, so the build knows it has all of that run's output.</summary>
    public static string EndMarker(string key) => $"\u001edagdog:{key}:end";

    /// <summary>A message line from a worker's standard output; null for a line that is not one.</summary>
    public static WorkerMessage? Parse(string line)
    {
        var space = line.IndexOf(' ');
        var (kind, payload) = space < 0 ? (line, "") : (line[..space], line[(space + 1)..]);
        try
        {
            return kind switch
            {
                ResultKind => JsonSerializer.Deserialize(payload, Messages.Default.RunResult) is { } result ? new WorkerMessage.Finished(result) : null,
                CrashKind => JsonSerializer.Deserialize(payload, Messages.Default.ThreadCrash) is { } crash ? new WorkerMessage.Crashed(crash) : null,
                CheckedKind => new WorkerMessage.Proven(payload == "clean"),
                Returned => new WorkerMessage.Returned(),
                ExitKind => int.TryParse(payload, out var code) ? new WorkerMessage.Exited(code) : null,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Cuts a text to <see cref="LongestText"/> characters, saying how much was left out.</summary>
    public static string Bounded(string text) =>
        text.Length <= LongestText ? text : $"{text[..LongestText]}... ({text.Length - LongestText} more characters)";

    // The payloads' JSON, written at compile time: every worker reads a request and writes a result, and the
    // reflection-based serializer cost each fresh worker its metadata and emitted accessors first (bench/README.md).
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(RunRequest))]
    [JsonSerializable(typeof(RunResult))]
    [JsonSerializable(typeof(ThreadCrash))]
    private sealed partial class Messages : JsonSerializerContext;
}

/// <summary>A message from a worker process.</summary>
internal abstract record WorkerMessage
{
    public sealed record Returned : WorkerMessage;

    public sealed record Finished(RunResult Result) : WorkerMessage;

    public sealed record Crashed(ThreadCrash Crash) : WorkerMessage;

    public sealed record Proven(bool Clean) : WorkerMessage;

    public sealed record Exited(int Code) : WorkerMessage;
}
