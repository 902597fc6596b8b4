using Dagdog.Testing;
using System.Collections.Concurrent;
using System.Text;
using Dagdog.Running;

namespace Dagdog.Tests;

/// <summary>
/// A project folder with task classes compiled into it, and the worker processes that run them, as a build runs them:
/// a spec writes C# classes, runs them by name, and reads what the run wrote and how it ended.
/// </summary>
internal sealed class TaskProject : IDisposable
{
    private readonly ConcurrentQueue<int> _started = new();
    private readonly ConcurrentQueue<(string Task, string How)> _endedAfterwards = new();
    private WorkerPool? _workers;

    public TaskProject(params (string Name, string Text)[] sources)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("dagdog-worker-").FullName;
        Assembly = CompiledTasks.Compile("Analysis", sources, System.IO.Directory.CreateDirectory(Path.Combine(Directory, "bin")).FullName);
    }

    public string Directory { get; }

    public string Assembly { get; }

    /// <summary>The workers started so far, by process id.</summary>
    public IReadOnlyCollection<int> WorkersStarted => _started;

    /// <summary>What the workers said, after their runs had ended, took them down (once <see cref="EndWorkers"/> returned).</summary>
    public IReadOnlyCollection<(string Task, string How)> EndedAfterwards => _endedAfterwards;

    private WorkerPool Workers => _workers ??= new WorkerPool(Directory, _started.Enqueue);

    // What the runs so far wrote, as it comes.
    private readonly StringBuilder _output = new();

    /// <summary>Runs the class's Run() in a worker, reusing one when it is clean, and returns how it ended and what it wrote.</summary>
    public async Task<(Execution Execution, string Output)> Run(string type, TimeSpan? timeout = null, CancellationToken interrupt = default)
    {
        var output = new StringBuilder();
        var execution = await Workers.Run(new RunRequest(Assembly, type, Directory), new RunNeeds(timeout),
            piece =>
            {
                lock (output) output.Append(piece.Text).Append(piece.EndsLine ? "\n" : "");
                lock (_output) _output.Append(piece.Text).Append(piece.EndsLine ? "\n" : "");
            },
            _ => { }, how => _endedAfterwards.Enqueue((type, how)), interrupt);
        lock (output) return (execution, output.ToString());
    }

    /// <summary>Completes once a run has written <paramref name="text"/>: a spec's cue that the task is where it wants it.</summary>
    public async Task OutputSeen(string text)
    {
        for (var waited = 0; waited < 60_000; waited += 20)
        {
            lock (_output)
            {
                if (_output.ToString().Contains(text, StringComparison.Ordinal)) return;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"No run wrote '{text}' within a minute.");
    }

    /// <summary>Ends the workers, once each has said how its last run ended.</summary>
    public void EndWorkers()
    {
        _workers?.Dispose();
        _workers = null;
    }

    public string ReadFile(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    public void Dispose()
    {
        EndWorkers();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
