using Dagdog.Running;
using Dagdog.Worker;

// Started by Dagdog.Build's RunDag task: serves run requests from standard input until it closes (see WorkerProtocol).
var nonce = Environment.GetEnvironmentVariable(WorkerProtocol.NonceVariable) ?? "";
Environment.SetEnvironmentVariable(WorkerProtocol.NonceVariable, null);
var requests = Console.In;
// A task that reads standard input must not take the build's requests.
Console.SetIn(TextReader.Null);
new WorkerSession(nonce, Console.Out, Console.Error).Serve(requests);
