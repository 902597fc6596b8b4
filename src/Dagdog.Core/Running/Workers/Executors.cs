using System.Globalization;

namespace Dagdog.Running;

/// <summary>Reads where tasks run (<c>DagExecutor</c>) and, for Slurm, its settings, saying what is wrong with them.</summary>
internal static class Executors
{
    public const string Local = "local";
    public const string Slurm = "slurm";

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
        var settings = new SlurmSettings(NullIfEmpty(partition), NullIfEmpty(account),
            (arguments ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), idleTime);
        return (settings, null);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
