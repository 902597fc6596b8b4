namespace Dagdog.Running;

/// <summary>
/// How a worker process starts: locally, <c>dotnet Dagdog.Worker.dll</c>; on a Slurm cluster, the same command behind
/// <c>srun</c> and its options. Either way only the process's three standard streams connect it to the build.
/// </summary>
/// <param name="LauncherPrefix">
/// How the lines the launcher itself writes to the worker's standard error begin (<c>srun: </c>): they are the
/// launcher's, not the task's output. Null when the worker runs directly.
/// </param>
internal sealed record WorkerLaunch(string Program, IReadOnlyList<string> Arguments, string? LauncherPrefix = null)
{
    /// <summary>The <c>dotnet</c> that runs this build (MSBuild says which), so workers run on the same runtime.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static WorkerLaunch Local(string workerAssembly) => new(DotnetHost, [workerAssembly]);
}
