using System.Collections;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Dagdog.Running;

/// <summary>
/// The local workers a long-lived build process keeps between builds, for one environment: an MSBuild node that serves
/// build after build (Visual Studio's, Rider's, a reused node of a solution's build, a program that builds in process).
/// The next build of any project then finds its workers started, with the framework code its
/// tasks use already compiled; each run still gets a fresh load context, and a worker still proves itself clean after
/// each, as in a watch. A build takes a set of workers for itself (<see cref="Take"/>) and gives it back when it ends
/// (<see cref="GiveBack"/>), so builds that run at once in one process never share one; an idle worker ends after
/// <see cref="IdleLimit"/>. A worker runs with the environment it started with, and puts it back after every run: it
/// may only serve builds with the same environment (<see cref="KeyFor"/>). A one-shot <c>dotnet build</c> ends its
/// process after one build, and with it its idle workers' input, which ends them.
/// </summary>
internal sealed class NodeWorkers : IDisposable
{
    /// <summary>
    /// How long an idle worker waits for the next build. Long enough for an edit and a build in an IDE; an idle worker
    /// holds some 30 MB and no CPU, and MSBuild keeps its own idle nodes for 15 minutes.
    /// </summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(1);

    // Workers kept between builds start in the worker's own folder: a project's folder may be gone before they serve
    // another (each run moves to its project's folder, TaskInvoker).
    private static readonly string StartFolder = Path.GetDirectoryName(WorkerPool.WorkerAssembly)!;

    private readonly ConcurrentBag<KeptExecutors> _resting = [];
    private int _disposed;

    /// <summary>
    /// What the workers kept for a build depend on: the worker's own assembly (a new build of Dagdog starts new ones)
    /// and every environment variable of the build, as the workers it starts would inherit them.
    /// </summary>
    public static string KeyFor(IDictionary environment)
    {
        var text = new StringBuilder(WorkerPool.WorkerAssembly).Append('\0')
            .Append(File.GetLastWriteTimeUtc(WorkerPool.WorkerAssembly).Ticks).Append('\0');
        foreach (var (name, value) in environment.Cast<DictionaryEntry>().Select(e => ((string)e.Key, e.Value as string))
                     .OrderBy(e => e.Item1, StringComparer.Ordinal))
            text.Append(name).Append('=').Append(value).Append('\0');
        return "Dagdog workers " + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Workers for one build, none of which another build is using; <paramref name="started"/> hears each worker it starts.</summary>
    public Lease Take(Action<int> started)
    {
        var kept = _resting.TryTake(out var resting) ? resting : new KeptExecutors();
        return new Lease(this, kept, kept.For("local", heard => new WorkerPool(StartFolder, heard, IdleLimit), started));
    }

    /// <summary>
    /// After a build: its workers wait for the next one, except after Ctrl+C (the build ends them: a user who stopped
    /// it expects its processes gone) or when the node is ending.
    /// </summary>
    private void GiveBack(KeptExecutors kept, bool keep)
    {
        if (!keep || Volatile.Read(ref _disposed) == 1)
        {
            kept.Dispose();
            return;
        }
        kept.Rest();
        _resting.Add(kept);
        // The node ended meanwhile: end what its end did not see.
        if (Volatile.Read(ref _disposed) == 1) Dispose();
    }

    /// <summary>Ends every resting worker (MSBuild calls it when the node ends).</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        while (_resting.TryTake(out var kept)) kept.Dispose();
    }

    /// <summary>The workers one build has taken, given back by <see cref="GiveBack"/>.</summary>
    public sealed class Lease(NodeWorkers owner, KeptExecutors kept, ITaskExecutor workers)
    {
        public ITaskExecutor Workers => workers;

        /// <param name="keep">False after Ctrl+C: the workers are ended now.</param>
        public void GiveBack(bool keep) => owner.GiveBack(kept, keep);
    }
}
