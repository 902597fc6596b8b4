namespace Dagdog.EndToEnd.Infrastructure;

/// <summary>A real project using Dagdog.Sdk in a folder of its own, built with real 'dotnet build' command lines.</summary>
public sealed class DagProject(string directory) : ProjectFolder<DagProject>(directory)
{
    // The project file as it was at this folder's last restore: a build of the same file need not restore again.
    private string? _restored;

    /// <summary>
    /// Builds with 'dotnet build' and these arguments. A build after one that restored an identical project file skips
    /// NuGet's restore (--no-restore), which would find nothing to do: about 0.7 s a build.
    /// </summary>
    protected override BuildResult RunBuild(string[] arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var projectFile = File.Exists(ProjectFile) ? File.ReadAllText(ProjectFile) : null;
        var restore = projectFile is null || projectFile != _restored || arguments.Any(a => a.Contains("restore", StringComparison.OrdinalIgnoreCase));
        var result = Result(Dotnet.Run(Directory, BuildArguments(restore ? arguments : ["--no-restore", .. arguments]), environment));
        // Only a build that says it restored did (-getProperty alone evaluates the project and builds nothing).
        if (restore && result.Output.Contains("Determining projects to restore", StringComparison.Ordinal)) _restored = projectFile;
        return result;
    }

    /// <summary>Starts 'dotnet build' in a process group of its own, as from a terminal, and returns at once.</summary>
    public RunningCommand Start(params string[] arguments) => Start(environment: null, arguments);

    /// <summary>Starts it with these variables set (a null value removes one).</summary>
    public RunningCommand Start(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        ForgetRuns();
        return Dotnet.Start(Directory, BuildArguments(OneJobUnlessSaid(arguments)), environment, newProcessGroup: true);
    }

    /// <summary>What a build started with <see cref="Start"/> did, once it ended.</summary>
    public BuildResult Result(CommandResult command) => From(command, Ran, Directory);

    /// <summary>A build's result from what the command printed, and the run report in <paramref name="projectDirectory"/>.</summary>
    public static BuildResult From(CommandResult command, IReadOnlyList<string> ran, string? projectDirectory = null) =>
        new(command.CommandLine, command.ExitCode, command.Output, ran) { Report = projectDirectory is null ? null : RunReportFile.In(projectDirectory) };

    private string[] BuildArguments(string[] arguments) => ["build", ProjectFile, "-nologo", .. arguments];
}
