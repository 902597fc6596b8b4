namespace Dagdog.EndToEnd.Infrastructure;

/// <summary>A real project using Dagdog.Sdk in a folder of its own, built with real 'dotnet build' command lines.</summary>
public sealed class DagProject(string directory) : ProjectFolder<DagProject>(directory)
{
    protected override BuildResult RunBuild(string[] arguments, IReadOnlyDictionary<string, string?>? environment) =>
        Result(Dotnet.Run(Directory, BuildArguments(arguments), environment));

    /// <summary>Starts 'dotnet build' in a process group of its own, as from a terminal, and returns at once.</summary>
    public RunningCommand Start(params string[] arguments)
    {
        ForgetRuns();
        return Dotnet.Start(Directory, BuildArguments(OneJobUnlessSaid(arguments)), newProcessGroup: true);
    }

    /// <summary>What a build started with <see cref="Start"/> did, once it ended.</summary>
    public BuildResult Result(CommandResult command) => From(command, Ran, Directory);

    /// <summary>A build's result from what the command printed, and the run report in <paramref name="projectDirectory"/>.</summary>
    public static BuildResult From(CommandResult command, IReadOnlyList<string> ran, string? projectDirectory = null) =>
        new(command.CommandLine, command.ExitCode, command.Output, ran) { Report = projectDirectory is null ? null : RunReportFile.In(projectDirectory) };

    private string[] BuildArguments(string[] arguments) => ["build", ProjectFile, "-nologo", .. arguments];
}
