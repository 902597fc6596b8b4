using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Dagdog.Worker;

/// <summary>
/// What a task can change in its process besides its own static fields (which go with its load context): environment
/// variables, the current and default cultures, and AppContext data and switches. Taken once when the worker starts;
/// after each run the environment and cultures are put back, and the worker counts as clean only if the run's load
/// context was collected (no thread, timer or event handler of the task is left) and AppContext is unchanged.
/// </summary>
internal sealed class ProcessSnapshot
{
    private const int CollectionAttempts = 10;

    private readonly Dictionary<string, string> _environment;
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;
    private readonly CultureInfo? _defaultCulture = CultureInfo.DefaultThreadCurrentCulture;
    private readonly CultureInfo? _defaultUiCulture = CultureInfo.DefaultThreadCurrentUICulture;
    private readonly List<(string, object?)>? _appContext = AppContextEntries();

    private ProcessSnapshot(Dictionary<string, string> environment) => _environment = environment;

    public static ProcessSnapshot Take() => new(Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal));

    /// <summary>Puts the environment and cultures back as they were when the worker started.</summary>
    public void Restore()
    {
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (!_environment.ContainsKey((string)variable.Key)) Environment.SetEnvironmentVariable((string)variable.Key, null);
        }
        foreach (var (name, value) in _environment)
        {
            if (Environment.GetEnvironmentVariable(name) != value) Environment.SetEnvironmentVariable(name, value);
        }
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        CultureInfo.DefaultThreadCurrentCulture = _defaultCulture;
        CultureInfo.DefaultThreadCurrentUICulture = _defaultUiCulture;
    }

    /// <summary>True when nothing of the run is left in the process: its load context was collected and AppContext is unchanged.</summary>
    public bool IsClean(WeakReference context)
    {
        // The run's objects are young: ephemeral collections usually free its context, for a fraction of a full one's cost.
        for (var i = 0; i < CollectionAttempts && context.IsAlive; i++)
        {
            GC.Collect(i < 2 ? 1 : GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            GC.WaitForPendingFinalizers();
        }
        return !context.IsAlive && _appContext is not null && AppContextEntries() is { } now && now.SequenceEqual(_appContext);
    }

    // AppContext.SetData and SetSwitch keep their values in private dictionaries; when they cannot be read (a runtime
    // that stores them elsewhere), no run can be proven clean and each worker serves one run.
    private static List<(string, object?)>? AppContextEntries()
    {
        var entries = new List<(string, object?)>();
        foreach (var fieldName in new[] { "s_dataStore", "s_switches" })
        {
            if (typeof(AppContext).GetField(fieldName, BindingFlags.NonPublic | BindingFlags.Static) is not { } field) return null;
            if (field.GetValue(null) is not { } store) continue;
            lock (store)
            {
                if (store is not IDictionary dictionary) return null;
                foreach (var key in dictionary.Keys) entries.Add(($"{fieldName}:{key}", dictionary[key]));
            }
        }
        return entries.OrderBy(e => e.Item1, StringComparer.Ordinal).ToList();
    }
}
