using System.Runtime.CompilerServices;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;

namespace Dagdog.Testing;

/// <summary>
/// The .NET SDK's own MSBuild, in this process: found by Microsoft.Build.Locator before any of its types loads (this
/// assembly ships no copy of it), as MSBuildSdks' tests build their SDKs. Each build has a build manager of its own, so
/// that specs build in parallel and Ctrl+C (every submission cancelled, as the CLI does) reaches only its own build.
/// The builds do not save and restore the process's current directory and environment (SaveOperatingEnvironment off,
/// as for Visual Studio's concurrent design-time builds): otherwise each would make a project's folder the current
/// directory and put back, when it ends, what it found, under the builds beside it. A build still sets the environment
/// it began with, so variables change only between builds (<see cref="ProcessEnvironment"/>).
/// </summary>
internal static class InProcessMSBuild
{
    // MSBuild's first BuildManager initializes a static serialization contract, and two made at once can both try:
    // "MSB0001: Internal MSBuild Error: Serialization contract was already initialized" (a spec failed so in CI).
    private static readonly Lock Creating = new();

    /// <summary>Builds these targets of the project; <paramref name="started"/> is given the build's manager, to cancel it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool Build(ProjectCollection collection, ProjectInstance project, string[] targets, ILogger[] loggers, int nodes, Action<BuildManager?>? started = null) =>
        ProcessEnvironment.Building(() =>
        {
            BuildManager created;
            lock (Creating) created = new BuildManager("Dagdog specs");
            using var manager = created;
            started?.Invoke(manager);
            try
            {
                // The build's environment is the process's as it is now: BuildParameters takes it.
                var parameters = new BuildParameters(collection) { Loggers = loggers, MaxNodeCount = nodes, EnableNodeReuse = false, SaveOperatingEnvironment = false };
                return manager.Build(parameters, new BuildRequestData(project, targets)).OverallResult == BuildResultCode.Success;
            }
            finally
            {
                started?.Invoke(null);
            }
        });
}

/// <summary>Finds the SDK's MSBuild when this assembly loads, in a class of its own that names none of MSBuild's types.</summary>
internal static class MSBuildLocation
{
    // Before any type of Microsoft.Build is loaded, which happens when the first method using one is compiled.
#pragma warning disable CA2255 // A test assembly's one-time setup: the SDK's MSBuild must be found before anything else runs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void FindTheSdksMSBuild()
    {
        if (!Microsoft.Build.Locator.MSBuildLocator.IsRegistered) Microsoft.Build.Locator.MSBuildLocator.RegisterDefaults();
    }
}
