using Dagdog.Running;
using Dagdog.Worker;

// Started by the build (Dagdog.Build's WorkerProcess): serves run requests until its input closes (see WorkerProtocol).
// The standard streams are rearranged first, before anything touches Console, so no task can reach the build's requests.
var streams = StandardStreams.TakeOver();
ChildProcesses.Adopt();
// Whatever a task left running goes with the worker, however the worker ends (Environment.Exit included).
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcesses.StopAll();
var requests = new StreamReader(streams.Requests);
var messages = TextWriter.Synchronized(new StreamWriter(streams.Messages) { AutoFlush = true });
if (WorkerProtocol.ParseKey(requests.ReadLine()) is not { } key) return 2;
// A task's Console.Error writes to the same writer as its Console.Out, so what it writes to each keeps its order.
new WorkerSession(key, messages, Console.Out).Serve(requests);
return 0;
