namespace Dagdog.Graph;

/// <summary>The words Dagdog uses for why a task runs, everywhere: the build log, DagList and the dry run.</summary>
internal static class Reasons
{
    public const string NeverRan = "never ran";
    public const string LastRunFailed = "last run failed";
    public const string CodeChanged = "code changed";
    public const string Forced = "forced";
    public const string WouldRestore = "would restore from cache";
    public const string WouldRestoreForgotten = "would restore from its forgotten results";

    /// <summary>Why a watch's run stopped before it finished: a save changed its code or inputs, so it runs again with them.</summary>
    public const string Restarted = "stopped to run again: its code or inputs were saved while it ran";

    /// <summary>Why a watch's run did not start: a save during the cycle changed its code or inputs, so the next cycle runs it with them.</summary>
    public const string SavedBeforeStart = "its code or inputs were saved during this cycle: the next one runs it";

    public static string UpstreamChanged(string parent) => $"upstream {parent} produced new output";
    public static string UpstreamNotRun(string parent) => $"upstream {parent} has no successful run";
    public static string UpstreamRunsFirst(string parent) => $"if upstream {parent} produces new output";
    public static string ResourceChanged(string name) => $"resource changed: {name}";
    public static string InputChanged(string path) => $"input changed: {path}";
    public static string InputMissing(string path) => $"input missing: {path}";
    public static string InputAdded(string path) => $"input added: {path}";
    public static string InputRemoved(string path) => $"input removed: {path}";
    public static string InputsChanged(int before, int now) => before == now ? $"one or more of its {now} inputs changed" : $"its inputs changed: {before} then, {now} now";
    public static string OutputRemoved(string path) => $"output removed: {path}";
    public static string OutputMissing(string path) => $"output missing: {path}";
    public static string Selected(string selectionMode) => $"selected ({selectionMode})";
    public static string ParameterChanged(string name, string? then, string? now) => $"parameter changed: {name} {then ?? "(none)"} -> {now ?? "(none)"}";
    public static string InstanceAdded(string key) => $"instance added: {key}";
    public static string InstanceRemoved(string key) => $"instance removed: {key}";
    public static string InstancesUnknown(string parent) => $"instances unknown until {parent} runs";
}
