using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Dagdog.Graph;

namespace Dagdog.Running;

/// <summary>How tasks run on a Slurm cluster (<c>DagExecutor=slurm</c>): the project-wide <c>srun</c> options.</summary>
/// <param name="Idle">How long an idle worker is kept for another task of its shape before its job is released (<c>DagSlurmIdle</c>).</param>
/// <param name="ExtraArguments">Further <c>srun</c> options, as given (<c>DagSlurmArgs</c>).</param>
internal sealed record SlurmSettings(string? Partition, string? Account, IReadOnlyList<string> ExtraArguments, TimeSpan Idle);

/// <summary>
/// Workers on a Slurm cluster (<see cref="ITaskExecutor"/>): each worker is a job step started with <c>srun</c>, the
/// worker's protocol going over <c>srun</c>'s standard input and output, so that a worker on a node behaves as a
/// local one (live output, cancel, timeouts, crashes, the clean proof). A worker serves further tasks of the same shape
/// (cores, memory, time), so a family of small tasks pays Slurm's scheduling once per worker, not per task; one idle
/// for <see cref="SlurmSettings.Idle"/> is released so that it holds no slot. Nothing polls the cluster: the
/// <c>srun</c> process is the job, and Slurm's own words (<c>srun: error: ...</c>) say why a job failed.
/// </summary>
internal sealed partial class SlurmPool(SlurmSettings settings, string projectDirectory, Action<int> started) : ITaskExecutor
{
    private readonly WorkerShelf _workers = new(settings.Idle);

    // How long a job srun gave up before it started waits for the build's cancellation, which Ctrl+C brings moments later.
    private static readonly TimeSpan RevokedWait = TimeSpan.FromSeconds(2);

    /// <summary>What a worker's job was allocated: a task runs on a worker of its own shape.</summary>
    private sealed record Shape(int Cores, long? MemoryMegabytes, int? Minutes);

    /// <summary>The workers held: started and not yet let go.</summary>
    internal int Held => _workers.Count;

    /// <summary>The program that starts workers, found on PATH; null when Slurm's client is not installed.</summary>
    public static string? Srun => FindSrun(Environment.GetEnvironmentVariable("PATH"));

    public static string? FindSrun(string? path) =>
        (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(folder => Path.Combine(folder, "srun")).FirstOrDefault(File.Exists);

    /// <summary>
    /// Asks Slurm whether it would start a worker's job with the build's options (<c>srun --test-only</c>, which starts
    /// nothing): an option or value srun refuses, or a partition the controller does not know, is DAG041 in srun's own
    /// words, once for the build instead of once for every task.
    /// </summary>
    public static DagProblem? Verify(SlurmSettings settings, string projectDirectory)
    {
        var options = new SlurmPool(settings, projectDirectory, _ => { }).Options(new Shape(1, null, null)).Where(option => option != "--verbose");
        var (exitCode, said) = RunSlurm(Srun ?? "srun", ["--test-only", .. options, "true"], projectDirectory);
        if (exitCode == 0) return null;
        var lines = said.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => !line.StartsWith("Try ", StringComparison.Ordinal));
        return new DagProblem(DagCodes.SlurmMissing, null,
            $"Slurm would not start a worker's job with these options ({string.Join(' ', options)}): {string.Join(" / ", lines)}. " +
            "Fix DagSlurmArgs, DagSlurmPartition or DagSlurmAccount.");
    }

    // A cluster starts workers as tasks need them: nothing is warmed ahead, so no allocation is held for nothing.
    public void Warm(int workers)
    {
    }

    public void Refill()
    {
    }

    public async Task<Execution> Run(RunRequest request, RunNeeds needs, Action<LinePiece> output, Action<string> waiting, Action<string> endedAfterwards,
        CancellationToken interrupt)
    {
        // Slurm's limit is whole minutes, enforced about 30 s late: Dagdog's own timeout still stops the task on time.
        var shape = new Shape(needs.Cores, needs.MemoryMegabytes, needs.Timeout is { } limit ? (int)Math.Ceiling(limit.TotalMinutes) : null);
        if (await Rent(shape, waiting, interrupt).ConfigureAwait(false) is not { } worker) return new Execution.Interrupted(Started: false);
        return await _workers.RunOn(shape, worker, request, needs, output, endedAfterwards, interrupt).ConfigureAwait(false);
    }

    // An idle worker of the shape; otherwise a new job, unless a worker of the shape becomes idle before that job is
    // allocated (the cluster may be full of this build's own workers): then the new job is cancelled and the idle worker
    // taken. Null after Ctrl+C while the job was queued: the job is cancelled, and the task never started.
    private async Task<WorkerProcess?> Rent(Shape shape, Action<string> waiting, CancellationToken interrupt)
    {
        // A worker of the shape that has just run is about to be free: on a chain a new job would cost Slurm's scheduling and a cancel.
        if (await _workers.Rent(shape).ConfigureAwait(false) is { } ready) return ready;
        var allocated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var revoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (worker, job) = Start(shape, waiting, allocated, revoked);
        var interrupted = Task.Delay(Timeout.Infinite, interrupt);
        while (true)
        {
            var cameBack = _workers.CameBack(shape);
            var first = await Task.WhenAny(allocated.Task, worker.Ending, cameBack, interrupted).ConfigureAwait(false);
            // Ctrl+C reaches srun too, which gives up its pending job at once, often before MSBuild cancels the build:
            // a job revoked before it started waits a moment for that cancellation.
            if (first == worker.Ending && revoked.Task.IsCompleted && !interrupt.IsCancellationRequested)
                await Task.WhenAny(interrupted, Task.Delay(RevokedWait)).ConfigureAwait(false);
            if (interrupt.IsCancellationRequested && !allocated.Task.IsCompleted)
            {
                if (job() is { } queued) Cancel(queued);
                _ = Task.Run(worker.Dispose);
                return null;
            }
            if (first != cameBack) return worker;
            if (_workers.TakeIdle(shape) is not { } free) continue;
            if (job() is { } id) Cancel(id);
            _ = Task.Run(worker.Dispose);
            return free;
        }
    }

    // A new worker behind srun; allocated completes once Slurm has given its job a node. Also returns how to learn its job id.
    // revoked completes when srun says it gave up the job before it started (Ctrl+C, or scancel of a pending job).
    private (WorkerProcess Worker, Func<string?> Job) Start(Shape shape, Action<string> waiting, TaskCompletionSource allocated, TaskCompletionSource revoked)
    {
        string? job = null;
        var launch = new WorkerLaunch(Srun ?? "srun", [.. Options(shape), WorkerLaunch.DotnetHost, WorkerPool.WorkerAssembly], LauncherPrefix: "srun: ");
        var worker = WorkerProcess.Start(launch, projectDirectory,
            launcherEnded: () => job is null ? null : JobEnd(job),
            launcherSaid: line =>
            {
                // srun -v names the job as soon as it has one; a job that must wait is said so.
                if (JobLine().Match(line) is { Success: true } named)
                {
                    job ??= named.Groups["job"].Value;
                    allocated.TrySetResult();
                }
                if (RevokedLine().IsMatch(line)) revoked.TrySetResult();
                if (QueuedLine().Match(line) is { Success: true } queued)
                {
                    job ??= queued.Groups["job"].Value;
                    waiting($"Slurm job {job}: {Reason(job)}");
                }
            },
            beforeKill: () =>
            {
                // Killing srun alone may leave the step running on its node: the job is cancelled first.
                if (job is not null) Cancel(job);
            });
        _workers.Add(worker);
        started(worker.Id);
        return (worker, () => job);
    }

    private IEnumerable<string> Options(Shape shape)
    {
        yield return "--verbose";
        yield return "--job-name=dagdog";
        yield return "--ntasks=1";
        yield return $"--cpus-per-task={shape.Cores}";
        if (shape.MemoryMegabytes is { } memory) yield return $"--mem={memory}M";
        if (shape.Minutes is { } minutes) yield return $"--time={minutes}";
        if (settings.Partition is { } partition) yield return $"--partition={partition}";
        if (settings.Account is { } account) yield return $"--account={account}";
        foreach (var argument in settings.ExtraArguments) yield return argument;
    }

    // Why a queued job waits, asked once when srun says it is queued (Resources, Priority, ...).
    private static string Reason(string job) => Slurm("squeue", ["-h", "-j", job, "-o", "%r"]) is { Length: > 0 } reason ? reason : "queued";

    private static void Cancel(string job) => Slurm("scancel", ["--quiet", job]);

    // How long Slurm may take to settle a job's final state after its srun ended (a lost node shows within half a second).
    private static readonly TimeSpan StateWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Slurm's view of a job whose srun ended before the run answered: a lost node, a cancel, its time limit or its
    /// memory (<c>scontrol show job</c>, which keeps a finished job for MinJobAge); null for a job that simply completed.
    /// </summary>
    private static string? JobEnd(string job)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var fields = (Slurm("scontrol", ["show", "job", job, "-o"]) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2)).Where(pair => pair.Length == 2).GroupBy(pair => pair[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            var state = fields.GetValueOrDefault("JobState");
            if (state is null or "RUNNING" or "COMPLETING" or "PENDING" or "CONFIGURING" && clock.Elapsed < StateWait)
            {
                Thread.Sleep(100);
                continue;
            }
            var nodes = fields.GetValueOrDefault("NodeList") is { Length: > 0 } list && list != "(null)" ? list : "its node";
            return state switch
            {
                "NODE_FAIL" => $"Slurm lost {nodes} under it (job {job}: NODE_FAIL)",
                "CANCELLED" => $"its Slurm job {job} was cancelled (CANCELLED)",
                "TIMEOUT" => $"its Slurm job {job} reached its time limit (TIMEOUT)",
                "OUT_OF_MEMORY" => $"its Slurm job {job} ran out of memory on {nodes} (OUT_OF_MEMORY)",
                "PREEMPTED" or "BOOT_FAIL" or "DEADLINE" => $"its Slurm job {job} ended {state}",
                _ => null,
            };
        }
    }

    // One Slurm client command, its output; null when it cannot be run.
    private static string? Slurm(string program, string[] arguments) => RunSlurm(program, arguments, null) is (0, var text) ? text.Trim() : null;

    // A Slurm client command's exit code, and what it printed on both streams (-1 when it cannot be run).
    private static (int ExitCode, string Output) RunSlurm(string program, string[] arguments, string? workingDirectory)
    {
        try
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? "",
            };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var (text, error) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            // The controller may not answer: srun --test-only gives up after about 20 s by itself, and nothing waits longer.
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                return (-1, $"{program} did not answer within 30 s");
            }
            return (process.ExitCode, text.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    public void Settle() => _workers.Settle();

    /// <summary>Ends every worker (closing its input ends its job), and waits until what they said about their last runs has been heard.</summary>
    public void Dispose() => _workers.Dispose();

    [GeneratedRegex(@"^srun: jobid (?<job>\d+)")]
    private static partial Regex JobLine();

    [GeneratedRegex(@"^srun: job (?<job>\d+) queued and waiting for resources")]
    private static partial Regex QueuedLine();

    [GeneratedRegex(@"^srun: Job allocation \d+ has been revoked")]
    private static partial Regex RevokedLine();
}
