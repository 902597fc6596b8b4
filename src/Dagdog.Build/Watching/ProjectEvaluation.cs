using System.Text.Json;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Watching;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dagdog.Build.Watching;

/// <summary>
/// What a watch knows of the project, from one evaluation: the properties and items its cycles map to Dagdog's tasks,
/// and the compiler's arguments. It comes from a child <c>dotnet msbuild -restore</c>, the one way to see an edited
/// project file: the build that runs the watch keeps the project's XML as it first read it. The child restores (which
/// writes the task targets again), builds with <c>DagRun=false</c> and tells what it built with MSBuild's
/// <c>-getProperty</c>/<c>-getItem</c>, after running the targets the user added to <c>DagDependsOn</c>, as the Dag
/// target would; its compile goes through the compiler server and, forced with
/// <c>NonExistentFile</c> as design-time builds do, always gives the compiler's arguments. It takes no lock: the watch
/// that starts it holds the project's.
/// </summary>
internal sealed record ProjectEvaluation(
    IReadOnlyDictionary<string, string> Properties, IReadOnlyDictionary<string, ITaskItem[]> Items, IReadOnlyList<BuildMessage> Messages, bool Succeeded)
{
    /// <summary>The properties a watch reads: where the build's files are, and the targets the user added to DagDependsOn.</summary>
    public static readonly string[] PropertyNames =
    [
        "TargetPath", "TargetRefPath", "RoslynTargetsPath", "BaseIntermediateOutputPath", "BaseOutputPath", "_DagUserDependsOn",
    ];

    /// <summary>
    /// The items a watch reads: Dagdog's settings (every property its tasks read, as the targets gather them), the tasks,
    /// what families are for each of, what the compiler takes and writes.
    /// </summary>
    public static readonly string[] ItemNames =
    [
        "_DagSetting", "DagTask", "_DagForEachItem", "Compile", "EmbeddedResource", "CscCommandLineArgs",
        "IntermediateAssembly", "_DebugSymbolsIntermediatePath", "_DebugSymbolsOutputPath", "IntermediateRefAssembly",
    ];

    // Metadata MSBuild computes for every item; a TaskItem computes its own and refuses to be given them.
    private static readonly HashSet<string> WellKnownMetadata = new(StringComparer.OrdinalIgnoreCase)
    {
        "Identity", "FullPath", "RootDir", "Filename", "Extension", "RelativeDir", "Directory", "RecursiveDir",
        "ModifiedTime", "CreatedTime", "AccessedTime", "DefiningProjectFullPath", "DefiningProjectDirectory",
        "DefiningProjectName", "DefiningProjectExtension",
    };

    public string Property(string name) => Properties.GetValueOrDefault(name, "");

    public ITaskItem[] Item(string name) => Items.GetValueOrDefault(name, []);

    /// <summary>Dagdog's settings as this evaluation gave them (<c>@(_DagSetting)</c>).</summary>
    public ITaskItem[] SettingItems => Item("_DagSetting");

    public DagSettings Settings => Declarations.Settings(SettingItems);

    /// <summary>
    /// The project added targets to <c>DagDependsOn</c>, which a build runs before every check (a download, say): only
    /// a child build runs them, so every cycle of this project evaluates and builds.
    /// </summary>
    public bool HasUserTargets => Property("_DagUserDependsOn").Trim().Length > 0;

    /// <summary>Evaluates and builds the project in a child process with the watch's global properties.</summary>
    /// <param name="nodes">The watch's build's node count (<c>-m</c>), which DagJobs defaults to.</param>
    public static async Task<ProjectEvaluation> Run(string projectFile, IReadOnlyDictionary<string, string> globalProperties, int nodes,
        string nonExistentFile, CancellationToken stop)
    {
        var properties = new Dictionary<string, string>(globalProperties, StringComparer.OrdinalIgnoreCase)
        {
            ["DagRun"] = "false",
            // Global properties reach project references too: these two name the watched project (Dagdog.targets).
            ["_DagWatchChild"] = projectFile,
            ["_DagWatchNeverWritten"] = nonExistentFile,
            ["ProvideCommandLineArgs"] = "true",
            ["UseSharedCompilation"] = "true",
        };
        string[] arguments =
        [
            "msbuild", projectFile, "-restore", "-nologo", $"-m:{nodes}", "-t:Build;_DagWatchUserTargets",
            .. properties.Select(p => $"-p:{p.Key}={Escape(p.Value)}"),
            .. PropertyNames.Select(name => $"-getProperty:{name}"),
            .. ItemNames.Select(name => $"-getItem:{name}"),
        ];
        var ran = await DotnetCommand.Run(arguments, Path.GetDirectoryName(projectFile)!, stop).ConfigureAwait(false);
        var (json, text) = (ran.Output, ran.Error);
        var messages = (text + "\n" + json).Split('\n').Select(BuildMessage.Parse).OfType<BuildMessage>().Distinct().ToList();
        var (read, items) = Parse(json);
        if (messages.Count == 0 && ran.ExitCode != 0)
            messages.Add(new BuildMessage(projectFile, 0, 0, true, DagCodes.InternalError, $"The watch's build of the project failed (exit code {ran.ExitCode}): {text.Trim()}"));
        return new ProjectEvaluation(read, items, messages, ran.ExitCode == 0 && read.Count > 0);
    }

    // -getProperty/-getItem print one JSON document; a build that failed before evaluating prints none.
    private static (Dictionary<string, string>, Dictionary<string, ITaskItem[]>) Parse(string json)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var items = new Dictionary<string, ITaskItem[]>(StringComparer.OrdinalIgnoreCase);
        var start = json.IndexOf("{\n", StringComparison.Ordinal) is var at and >= 0 ? at : json.IndexOf('{');
        if (start < 0) return (properties, items);
        try
        {
            using var document = JsonDocument.Parse(json[start..]);
            if (document.RootElement.TryGetProperty("Properties", out var values))
            {
                foreach (var property in values.EnumerateObject()) properties[property.Name] = property.Value.GetString() ?? "";
            }
            if (document.RootElement.TryGetProperty("Items", out var types))
            {
                foreach (var type in types.EnumerateObject()) items[type.Name] = type.Value.EnumerateArray().Select(ToItem).ToArray();
            }
        }
        catch (JsonException)
        {
            properties.Clear();
        }
        return (properties, items);
    }

    private static ITaskItem ToItem(JsonElement element)
    {
        // TaskItem holds values escaped, as MSBuild passes them to tasks; these are the evaluated values.
        var item = new TaskItem(EscapePercent(element.GetProperty("Identity").GetString() ?? ""));
        foreach (var metadata in element.EnumerateObject().Where(m => !WellKnownMetadata.Contains(m.Name)))
            item.SetMetadata(metadata.Name, EscapePercent(metadata.Value.GetString() ?? ""));
        return item;
    }

    private static string EscapePercent(string value) => value.Replace("%", "%25", StringComparison.Ordinal);

    // A -p: value may not hold a separator, and MSBuild unescapes %XX in it.
    private static string Escape(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace(";", "%3B", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal)
            .Replace("\"", "%22", StringComparison.Ordinal);
}
