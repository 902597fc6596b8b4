using Dagdog.Running;

namespace Dagdog.Tests;

/// <summary>
/// What both executors share (their <see cref="WorkerShelf"/>): a worker serves again only while it is clean, and one
/// that cannot is let go when the run settles, so that an executor a watch keeps for hours holds no ended process.
/// The Slurm executor runs here behind a stand-in <c>srun</c> that starts the worker on this machine, as a node would.
/// </summary>
[Collection(nameof(NodeSpecs))]
public sealed class ExecutorSpecs : IDisposable
{
    private readonly TaskProject _project = new(
        ("Clean.cs", "public class Clean { public void Run() { } }"),
        // A handler left on a process-wide event holds the run's load context: the worker cannot prove itself clean.
        ("Unclean.cs", "public class Unclean { public void Run() { AppDomain.CurrentDomain.ProcessExit += (_, _) => { }; } }"));

    private readonly string _path = Environment.GetEnvironmentVariable("PATH") ?? "";
    private readonly List<int> _started = [];

    public ExecutorSpecs()
    {
        // Says which job it is, as srun -v does, then runs the command after srun's options: the dotnet host and the worker.
        var bin = Directory.CreateDirectory(Path.Combine(_project.Directory, "slurm-bin")).FullName;
        var srun = Path.Combine(bin, "srun");
        File.WriteAllText(srun, "#!/bin/sh\necho 'srun: jobid 7' >&2\nwhile [ \"${1#-}\" != \"$1\" ]; do shift; done\nexec \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(srun, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Environment.SetEnvironmentVariable("PATH", bin + Path.PathSeparator + _path);
    }

    private (ITaskExecutor Executor, Func<int> Held) Make(string kind)
    {
        void Started(int id)
        {
            lock (_started) _started.Add(id);
        }

        if (kind == ExecutorSettings.Local)
        {
            var pool = new WorkerPool(_project.Directory, Started);
            return (pool, () => pool.Held);
        }
        var slurm = new SlurmPool(new SlurmSettings(null, null, [], TimeSpan.FromMinutes(1)), _project.Directory, Started);
        return (slurm, () => slurm.Held);
    }

    private Task<Execution> Run(ITaskExecutor executor, string type) =>
        executor.Run(new RunRequest(_project.Assembly, type, _project.Directory), new RunNeeds(null), _ => { }, _ => { }, _ => { }, CancellationToken.None);

    [Theory]
    [InlineData(ExecutorSettings.Local)]
    [InlineData(ExecutorSettings.Slurm)]
    public async Task A_settled_executor_keeps_a_clean_worker_for_the_next_run_and_lets_go_of_one_that_cannot_serve_again(string kind)
    {
        var (executor, held) = Make(kind);
        using var _ = executor;

        Assert.Null(Assert.IsType<Execution.Finished>(await Run(executor, "Clean")).Result.Error);
        executor.Settle();
        Assert.Equal(1, held());

        Assert.Null(Assert.IsType<Execution.Finished>(await Run(executor, "Unclean")).Result.Error);
        executor.Settle();
        Assert.Equal(0, held());

        // Settled in between: a run that comes while the worker before it still proves itself clean waits only a moment
        // for it (WorkerShelf.Rent), and on a loaded machine that proof can take longer, which would start a third worker.
        await Run(executor, "Clean");
        executor.Settle();
        await Run(executor, "Clean");
        executor.Settle();
        Assert.Equal(1, held());
        Assert.Equal(2, _started.Count);
    }

    [Fact]
    public async Task A_kept_local_executor_is_refilled_after_a_run_in_place_of_the_worker_that_ended()
    {
        var (executor, held) = Make(ExecutorSettings.Local);
        using var _ = executor;
        executor.Warm(1);

        await Run(executor, "Unclean");
        executor.Settle();
        executor.Refill();

        Assert.Equal(1, held());
        Assert.Equal(2, _started.Count);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("PATH", _path);
        _project.Dispose();
    }
}
