using Dagdog.Graph;

namespace Dagdog.Planning;

/// <summary>
/// The build's Dagdog settings: the properties that <c>build/Dagdog.targets</c> gathers into <c>@(_DagSetting)</c> (one
/// item each, named after its property, its value in <c>Value</c>), which every Dagdog task that needs settings takes,
/// and a watch's child build hands back (<c>-getItem:_DagSetting</c>). The targets file is the one place that names the
/// properties for MSBuild; this is the one place that reads them, each with its default and its parser (see
/// <see cref="Options"/>): a value Dagdog cannot read is DAG027 naming the property (DAG020 for <c>DagJobs</c>).
/// </summary>
internal sealed class DagSettings(IReadOnlyDictionary<string, string> values)
{
    /// <summary>What forgotten instances' outputs may take by default (<c>DagForgottenLimit</c>, MB): enough for many fits, small beside a disk.</summary>
    public const int DefaultForgottenLimit = 1024;

    /// <summary>How many runs' reports are kept by default (<c>DagKeptRuns</c>): a few weeks of a task's durations.</summary>
    public const int DefaultKeptRuns = 20;

    public static DagSettings Of(IEnumerable<(string Name, string Value)> settings) =>
        new(settings.GroupBy(setting => setting.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.OrdinalIgnoreCase));

    // A property the build did not set reads as empty, which every reader takes as its default.
    private string Text(string property) => values.GetValueOrDefault(property, "");

    /// <summary>Where Dagdog keeps its state (<c>DagStateDirectory</c>; <c>obj/dag/</c> by the targets' default).</summary>
    public string StateDirectory => Text("DagStateDirectory");

    /// <summary>How many tasks run at once (<c>DagJobs</c>).</summary>
    public (int Value, DagProblem? Problem) Jobs => Options.Count("DagJobs", Text("DagJobs"), least: 1, DagCodes.InvalidRunLimit);

    public (bool Value, DagProblem? Problem) KeepGoing => Options.Flag("DagKeepGoing", Text("DagKeepGoing"));

    /// <summary>Print what would run, and run nothing (<c>DagDryRun</c>).</summary>
    public (bool Value, DagProblem? Problem) DryRun => Options.Flag("DagDryRun", Text("DagDryRun"));

    /// <summary>Where a shared result cache lives (<c>DagCache</c>): a folder, or Azure Blob Storage; empty for none.</summary>
    public string Cache => Text("DagCache");

    /// <summary>Whether successful runs are stored in the cache (<c>DagCachePush</c>; true unless set false).</summary>
    public (bool Value, DagProblem? Problem) CachePush => string.IsNullOrWhiteSpace(Text("DagCachePush")) ? (true, null) : Options.Flag("DagCachePush", Text("DagCachePush"));

    /// <summary>How many lines of each task's output the build log shows (<c>DagOutputLines</c>); its log file has them all.</summary>
    public (int Value, DagProblem? Problem) OutputLines => string.IsNullOrWhiteSpace(Text("DagOutputLines")) ? (1000, null) : Options.Count("DagOutputLines", Text("DagOutputLines"), least: 0);

    /// <summary>Families whose instances may all be forgotten when their files are all gone (<c>DagForget</c>).</summary>
    public (IReadOnlySet<string> Value, DagProblem? Problem) Forget(Dag dag) => Options.Families("DagForget", Text("DagForget"), dag);

    /// <summary>How many megabytes forgotten instances' outputs may take (<c>DagForgottenLimit</c>).</summary>
    public (int Value, DagProblem? Problem) ForgottenLimit =>
        string.IsNullOrWhiteSpace(Text("DagForgottenLimit")) ? (DefaultForgottenLimit, null) : Options.Count("DagForgottenLimit", Text("DagForgottenLimit"), least: 0);

    /// <summary>
    /// Where tasks run, as given (<c>DagExecutor</c> and, for Slurm, <c>DagSlurmPartition</c>, <c>DagSlurmAccount</c>,
    /// <c>DagSlurmArgs</c>, <c>DagSlurmIdle</c>): what they mean, and whether srun is here, is the executor's to read
    /// (ExecutorSettings, in Running, which plans nothing).
    /// </summary>
    public ExecutorTexts Executor => new(Text("DagExecutor"), Text("DagSlurmPartition"), Text("DagSlurmAccount"), Text("DagSlurmArgs"), Text("DagSlurmIdle"));

    /// <summary>How many runs' reports are kept under <c>obj/dag/runs/</c> for the board's history (<c>DagKeptRuns</c>; 0 keeps none).</summary>
    public (int Value, DagProblem? Problem) KeptRuns =>
        string.IsNullOrWhiteSpace(Text("DagKeptRuns")) ? (DefaultKeptRuns, null) : Options.Count("DagKeptRuns", Text("DagKeptRuns"), least: 0);

    /// <summary>The board's port (<c>DagBoardPort</c>); by default <see cref="DefaultBoardPort"/>, or a free one when that is taken.</summary>
    public (int? Value, DagProblem? Problem) BoardPort
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Text("DagBoardPort"))) return (null, null);
            var (port, problem) = Options.Count("DagBoardPort", Text("DagBoardPort"), least: 1);
            if (problem is null && port > 65535) problem = new DagProblem(DagCodes.InvalidOption, null, $"DagBoardPort must be a port from 1 to 65535, not '{Text("DagBoardPort")}'.");
            return (problem is null ? port : null, problem);
        }
    }

    public const int DefaultBoardPort = 5757;

    /// <summary>The address the board listens on (<c>DagBoardHost</c>): loopback unless set.</summary>
    public (System.Net.IPAddress? Value, DagProblem? Problem) BoardHost =>
        string.IsNullOrWhiteSpace(Text("DagBoardHost")) ? (System.Net.IPAddress.Loopback, null)
        : System.Net.IPAddress.TryParse(Text("DagBoardHost").Trim(), out var host) ? (host, null)
        : (null, new DagProblem(DagCodes.InvalidOption, null, $"DagBoardHost must be an IP address to listen on (127.0.0.1, ::1, 0.0.0.0), not '{Text("DagBoardHost")}'."));

    /// <summary>Whether the board opens the user's browser where there is a desktop (<c>DagBoardOpen</c>; true unless set false).</summary>
    public (bool Value, DagProblem? Problem) BoardOpen => string.IsNullOrWhiteSpace(Text("DagBoardOpen")) ? (true, null) : Options.Flag("DagBoardOpen", Text("DagBoardOpen"));

    /// <summary>Where a build writes the board as one self-contained HTML file (<c>DagBoardFile</c>); empty for none.</summary>
    public string BoardFile => Text("DagBoardFile").Trim();

    /// <summary>How <c>DagList</c> and <c>DagGraph</c> write (<c>DagFormat</c>), lowercased; empty for their default.</summary>
    public string Format => Text("DagFormat").Trim().ToLowerInvariant();

    /// <summary>As given, for messages.</summary>
    public string FormatAsGiven => Text("DagFormat");

    /// <summary>The selection as dagdog writes it (<c>Dag</c>: <c>+Fit</c>, <c>Fit[adelie]+</c>), as given.</summary>
    public string Compact => Text("Dag");

    /// <summary>The task <c>DagFrom</c> names, as given.</summary>
    public string From => Text("DagFrom");

    /// <summary><c>DagMode</c>, <c>DagExclusive</c> and <c>DagForce</c>, as given.</summary>
    public string Mode => Text("DagMode");

    public string Exclusive => Text("DagExclusive");

    public string Force => Text("DagForce");

    /// <summary>The instances <c>DagInstance</c> names, as given.</summary>
    public string Instance => Text("DagInstance");

    /// <summary>
    /// The selection (<c>Dag</c>, <c>DagFrom</c>, <c>DagMode</c>, <c>DagExclusive</c>, <c>DagForce</c>, <c>DagInstance</c>),
    /// and the task whose target was asked for (<c>-t:Dag_Fit</c>), which is no setting: a target sets it as it runs.
    /// </summary>
    public (Selection? Selection, DagProblem? Problem) Selection(string? target) =>
        Planning.Selection.Parse(Compact, From, Mode, Exclusive, Force, target, Instance);
}

/// <summary>The executor's settings as the build gave them; empty when not set.</summary>
internal sealed record ExecutorTexts(string Executor, string Partition, string Account, string Arguments, string Idle);
