using System.Globalization;
using Dagdog.Graph;
using Dagdog.Planning;

namespace Dagdog.Running;

/// <summary>Reads where tasks run (<c>DagExecutor</c>) and, for Slurm, its settings, saying what is wrong with them.</summary>
internal static class ExecutorSettings
{
    public const string Local = "local";
    public const string Slurm = "slurm";

    /// <summary>Reads the settings as the build gave them (<see cref="DagSettings.Executor"/>).</summary>
    public static (SlurmSettings? Slurm, DagProblem? Problem) Read(ExecutorTexts given, bool checkSrun) =>
        Read(given.Executor, given.Partition, given.Account, given.Arguments, given.Idle, checkSrun);

    /// <returns>The Slurm settings, or null for local workers; or the problem (DAG027 for a value, DAG041 for a missing srun).</returns>
    /// <param name="checkSrun">Whether Slurm's client must be installed here (not for a dry run, which starts no worker).</param>
    /// <param name="path">Where to look for srun (PATH by default).</param>
    public static (SlurmSettings? Slurm, DagProblem? Problem) Read(string? executor, string? partition, string? account, string? arguments, string? idle, bool checkSrun,
        string? path = null)
    {
        var name = string.IsNullOrWhiteSpace(executor) ? Local : executor.Trim().ToLowerInvariant();
        if (name == Local) return (null, null);
        if (name != Slurm)
            return (null, new DagProblem(DagCodes.InvalidOption, null, $"Unknown DagExecutor '{executor}'. Use local (worker processes on this machine) or slurm (job steps started with srun)."));
        var idleTime = TimeSpan.FromSeconds(30);
        if (!string.IsNullOrWhiteSpace(idle) && (!TimeSpan.TryParse(idle.Trim(), CultureInfo.InvariantCulture, out idleTime) || idleTime < TimeSpan.Zero))
            return (null, new DagProblem(DagCodes.InvalidOption, null, $"DagSlurmIdle '{idle}' is not a duration. Write hours:minutes:seconds, such as 00:00:30."));
        if (checkSrun && SlurmPool.FindSrun(path ?? Environment.GetEnvironmentVariable("PATH")) is null)
            return (null, new DagProblem(DagCodes.SlurmMissing, null,
                "DagExecutor=slurm needs Slurm's srun, which is not on PATH here. Build on a machine of the cluster (a login node), or install Slurm's client (Debian: apt-get install slurm-client)."));
        var extra = (arguments ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (extra.Select(Refused).FirstOrDefault(refusal => refusal is not null) is var (option, why))
            return (null, new DagProblem(DagCodes.InvalidOption, null, $"DagSlurmArgs may not hold {option}: {why}. Remove it from DagSlurmArgs."));
        return (new SlurmSettings(NullIfEmpty(partition), NullIfEmpty(account), extra, idleTime), null);
    }

    // srun options a worker cannot run with: those that take or change the standard streams its protocol travels on,
    // and those that say what each task's own metadata says.
    private static readonly (string Short, string Long, string Why)[] RefusedOptions =
    [
        ("-o", "--output", "it sends the worker's standard output, which carries Dagdog's messages, elsewhere"),
        ("-e", "--error", "it sends the task's output elsewhere, and with it the end of each run"),
        ("-i", "--input", "it takes the worker's standard input, which carries the build's requests"),
        ("-l", "--label", "it prefixes every line of the worker's messages"),
        ("-Q", "--quiet", "it hides srun's own errors, which are how a failed job is explained"),
        ("-u", "--unbuffered", "the worker's streams are already sent as they come"),
        ("", "--pty", "the worker's standard streams must be pipes, not a terminal"),
        ("-c", "--cpus-per-task", "a task's Jobs metadata says how many cores its job gets"),
        ("", "--mem", "a task's Memory metadata says how much memory its job gets"),
        ("", "--mem-per-cpu", "a task's Memory metadata says how much memory its job gets (srun refuses it beside --mem)"),
        ("", "--mem-per-gpu", "a task's Memory metadata says how much memory its job gets (srun refuses it beside --mem)"),
        ("-t", "--time", "a task's Timeout metadata says its job's time limit"),
        ("-n", "--ntasks", "each worker is one task of its job"),
    ];

    /// <summary>Why an extra srun option is refused, and how it was written; null when it is not.</summary>
    public static (string Option, string Why)? Refused(string argument)
    {
        // srun takes any unambiguous beginning of a long option (--out for --output), as getopt_long does.
        var given = argument.Split('=')[0];
        foreach (var (shortName, longName, why) in RefusedOptions)
        {
            var isLong = given.StartsWith("--", StringComparison.Ordinal) && given.Length > 2 && longName.StartsWith(given, StringComparison.Ordinal);
            // A short option's value may follow it directly (-oout.txt); never a long option's own letters (--output).
            var isShort = shortName.Length > 0 && !argument.StartsWith("--", StringComparison.Ordinal) && argument.StartsWith(shortName, StringComparison.Ordinal);
            if (isLong || isShort) return (given, why);
        }
        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
