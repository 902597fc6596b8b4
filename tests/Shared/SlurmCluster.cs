using System.Diagnostics;

namespace Dagdog.Testing;

/// <summary>
/// A real two-node Slurm cluster for the Slurm specs, brought up by tests/slurm/cluster.sh in a temporary folder of
/// its own (which installs Slurm first where it can: root with apt, as on CI) and stopped by process id afterwards.
/// SLURM_CONF is set for this test process, so srun, squeue and scancel reach this cluster. Where Slurm cannot be
/// brought up, every spec using it fails with the command to run: never skipped silently.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dagdog-slurm-").FullName;
    private readonly string _script = Path.Combine(Repository.Root, "tests", "slurm", "cluster.sh");

    public SlurmCluster()
    {
        var (exitCode, output) = Run("bash", _script, "start", _folder);
        var conf = output.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("SLURM_CONF=", StringComparison.Ordinal));
        if (exitCode != 0 || conf is null)
        {
            Problem = $"The test Slurm cluster did not start ({_script} start {_folder}, exit code {exitCode}):\n{output}\n" +
                      "Install Slurm with: sudo apt-get install -y slurm-wlm munge";
            return;
        }
        ProcessEnvironment.Set("SLURM_CONF", conf["SLURM_CONF=".Length..]);
    }

    /// <summary>Why the cluster is not there; null when it is up.</summary>
    public string? Problem { get; }

    /// <summary>Fails the spec with how to get Slurm, when the cluster could not be brought up.</summary>
    public void EnsureUp() => Assert.True(Problem is null, Problem);

    /// <summary>The ids of the jobs in the queue (pending, running or completing).</summary>
    public IReadOnlyList<string> QueuedJobs() => Run("squeue", "-h", "-o", "%i").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Waits until no job is in the queue; false if one still was after <paramref name="within"/>.</summary>
    public bool QueueEmpties(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (QueuedJobs().Count > 0)
        {
            if (clock.Elapsed > within) return false;
            Thread.Sleep(100);
        }
        return true;
    }

    /// <summary>Sets a node down under whatever runs on it, as a lost node is; Slurm returns it to service once its daemon answers.</summary>
    public void SetDown(string node) => Run("scontrol", "update", $"nodename={node}", "state=down", "reason=dagdog-spec");

    /// <summary>Waits until both nodes are idle again (a node set down comes back on its own); false if not within <paramref name="within"/>.</summary>
    public bool NodesIdle(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (Run("sinfo", "-h", "-N", "-o", "%T").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is var states
               && (states.Length == 0 || states.Any(state => state != "idle")))
        {
            if (clock.Elapsed > within) return false;
            if (states.Any(state => state.StartsWith("down", StringComparison.Ordinal))) Run("scontrol", "update", "nodename=n1,n2", "state=resume");
            Thread.Sleep(200);
        }
        return true;
    }

    private static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{program}: {e.Message}");
        }
    }

    public void Dispose()
    {
        Run("bash", _script, "stop", _folder);
        ProcessEnvironment.Set("SLURM_CONF", null);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A daemon's last write; the folder is under the temporary directory.
        }
    }
}
