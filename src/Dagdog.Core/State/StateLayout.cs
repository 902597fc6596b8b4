using System.Security.Cryptography;
using System.Text;
using Dagdog.Families;

namespace Dagdog.State;

/// <summary>
/// Where Dagdog keeps each task's state under <c>obj/dag/</c>, the one place that spells it. A task's stamp exists only
/// after a successful run (its timestamp is what MSBuild compares; its content is that run's record); a failed run
/// leaves a failure record instead. The generated targets take their paths from <see cref="Relative"/> too.
/// An instance of a family (<c>Fit[adelie]</c>) has no stamp: its records are lines of its family's journal
/// (<c>stamps/Fit/instances.journal</c>, see <see cref="Dagdog.InstanceJournal"/>), its log is <c>logs/Fit/adelie.log</c>,
/// and it shares the family's code fingerprint; the family's own stamp records its instances as a whole.
/// </summary>
internal sealed class StateLayout(string stateDirectory, string projectDirectory)
{
    // Task names used as they are in file names; anything else (very long, or not plain ASCII) is shortened.
    private const int LongestPlainName = 64;
    private const int KeptPrefix = 32;

    public string StateDirectory { get; } = stateDirectory;

    public string ProjectDirectory { get; } = projectDirectory;

    public string CodeFile(string task) => Path.Combine(StateDirectory, Relative.CodeFile(task));

    /// <summary>The folders that hold a family's instances' state: forgetting the family removes them.</summary>
    public IEnumerable<string> InstanceFolders(string family) =>
        [Path.GetDirectoryName(InstanceJournal(family))!, Path.Combine(StateDirectory, "logs", FileName(family)), Path.Combine(StateDirectory, "sets", FileName(family))];

    /// <summary>Where a project's state is when <c>DagStateDirectory</c> does not say (the targets' default, before any evaluation said it).</summary>
    public static StateLayout Default(string projectDirectory) => new(Path.Combine(projectDirectory, "obj", "dag"), projectDirectory);

    /// <summary>Where what forgotten instances wrote is kept, as a result store (see <see cref="ForgottenResults"/>).</summary>
    public string ForgottenFolder => Path.Combine(StateDirectory, "forgotten");

    /// <summary>Where a family's instances' run records are (see <see cref="Dagdog.InstanceJournal"/>).</summary>
    public string InstanceJournal(string family) => Path.Combine(StateDirectory, "stamps", FileName(family), "instances.journal");

    public string StampFile(string task) => Path.Combine(StateDirectory, Relative.StampFile(task));

    public string FailureFile(string task) => Path.Combine(StateDirectory, Relative.FailureFile(task));

    public string LogFile(string task) => Path.Combine(StateDirectory, Relative.LogFile(task));

    /// <summary>The DAG's picture as DagGraph last drew it, <c>graph.mmd</c> or <c>graph.dot</c>.</summary>
    public string GraphFile(string extension) => Path.Combine(StateDirectory, $"graph.{extension}");

    /// <summary>What the task's globs matched (see <see cref="FileSets"/>).</summary>
    public string FileSetFile(string task) => Path.Combine(StateDirectory, Relative.FileSetFile(task));

    /// <summary>Touched after the code of every task was fingerprinted: MSBuild compares its time with the assembly's.</summary>
    public string InspectedMarker => Path.Combine(StateDirectory, Relative.InspectedMarker);

    /// <summary>What the last build that gave a task a turn did (see <see cref="Running.RunReport"/>).</summary>
    public string RunReportFile => Path.Combine(StateDirectory, "last-run.json");

    /// <summary>Copies of the last runs' reports, one file each, named by when the run started (see <c>KeptRuns</c>).</summary>
    public string KeptRunsFolder => Path.Combine(StateDirectory, "runs");

    /// <summary>Held with an OS lock by the build that runs this project's tasks (see <see cref="Running.ProjectLock"/>).</summary>
    public string LockFile => Path.Combine(StateDirectory, "build.lock");

    /// <summary>The process id of the build holding <see cref="LockFile"/>, for the message of a build that waits.</summary>
    public string LockOwnerFile => Path.Combine(StateDirectory, "build.owner");

    /// <summary>The compiler's arguments as a watch gives them to the compiler server (see <see cref="Watching.CompilerServer"/>).</summary>
    public string WatchResponseFile => Path.Combine(StateDirectory, "watch", "csc.rsp");

    /// <summary>A file never written: a watch's child build names it among CoreCompile's outputs, so that the compiler always runs and gives its arguments.</summary>
    public string NeverWrittenFile => Path.Combine(StateDirectory, "watch", "never-written");

    /// <summary>A declared data file, relative to the project unless rooted.</summary>
    public string DataFile(string path) => Path.Combine(ProjectDirectory, path);

    /// <summary>The same paths relative to the state directory, with '/' (for the generated targets).</summary>
    public static class Relative
    {
        public static string CodeFile(string task) => $"code/{FileName(InstanceKeys.Split(task)?.Task ?? task)}.code";

        public static string StampFile(string task) => $"stamps/{FileName(task)}.stamp";

        public static string FailureFile(string task) => $"stamps/{FileName(task)}.failed";

        public static string LogFile(string task) => $"logs/{FileName(task)}.log";

        public static string FileSetFile(string task) => $"sets/{FileName(task)}.files";

        public const string InspectedMarker = "code/.inspected";
    }

    /// <summary>
    /// A task's name as a file name on every file system Dagdog runs on: the name itself when it is plain ASCII and at
    /// most 64 characters; otherwise its first ASCII letters and digits, a '-' (which no task name has, so the two forms
    /// never meet) and 16 hex digits of the name's SHA-256. Stable, and far below the 255-byte limit of a file name.
    /// </summary>
    public static string FileName(string task)
    {
        // An instance's key compares ignoring case, so its file name does not depend on the case it was written in; and
        // two keys the comparison keeps apart never share one (the Kelvin sign and 'k' lower-case alike, but differ).
        if (InstanceKeys.Split(task) is (var family, var key)) return $"{FileName(family)}/{FileName(InstanceKeys.FileForm(key))}";
        static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
        if (task.Length <= LongestPlainName && task.All(IsPlain)) return task;
        var prefix = new string(task.Where(IsPlain).Take(KeptPrefix).ToArray());
        return $"{prefix}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(task)))[..16]}";
    }
}
