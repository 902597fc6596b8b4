namespace Dagdog;

/// <summary>
/// Where Dagdog keeps each task's state under <c>obj/dag/</c>. A task's stamp exists only after a successful run
/// (its timestamp is what MSBuild compares; its content is that run's record); a failed run leaves a failure record instead.
/// </summary>
public sealed class StateLayout(string stateDirectory, string projectDirectory)
{
    public string StateDirectory { get; } = stateDirectory;

    public string ProjectDirectory { get; } = projectDirectory;

    public string CodeFile(string task) => Path.Combine(StateDirectory, "code", $"{task}.code");

    public string StampFile(string task) => Path.Combine(StateDirectory, "stamps", $"{task}.stamp");

    public string FailureFile(string task) => Path.Combine(StateDirectory, "stamps", $"{task}.failed");

    public string LogFile(string task) => Path.Combine(StateDirectory, "logs", $"{task}.log");

    /// <summary>Held with an OS lock by the build that runs this project's tasks (see <see cref="Running.ProjectLock"/>).</summary>
    public string LockFile => Path.Combine(StateDirectory, "build.lock");

    /// <summary>The process id of the build holding <see cref="LockFile"/>, for the message of a build that waits.</summary>
    public string LockOwnerFile => Path.Combine(StateDirectory, "build.owner");

    /// <summary>A declared data file, relative to the project unless rooted.</summary>
    public string DataFile(string path) => Path.Combine(ProjectDirectory, path);
}
