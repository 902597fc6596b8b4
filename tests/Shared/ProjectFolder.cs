namespace Dagdog.Testing;

/// <summary>
/// A Dagdog project in a folder of its own, written the way a user writes one: a project file with DagTask items and a
/// .cs file per task. Each task written with <see cref="AddTask"/> appends its name to ran.txt when it runs, so a
/// build's result says exactly which tasks ran, in which order. How it is built is the subclass's: a real
/// <c>dotnet build</c> (end to end), or the .NET SDK's MSBuild in process on Dagdog's real targets (the Build tier).
/// </summary>
/// <typeparam name="TSelf">The project type itself, so that a spec's chain of Declare, AddTask and WriteFile keeps it.</typeparam>
public abstract partial class ProjectFolder<TSelf>(string directory) where TSelf : ProjectFolder<TSelf>
{
    private const string RanFile = "ran.txt";

    public string Directory { get; } = System.IO.Directory.CreateDirectory(directory).FullName;

    public string ProjectFile => Path.Combine(Directory, "Analysis.csproj");

    /// <summary>Writes the project file with these DagTask items (and anything else) inside an ItemGroup.</summary>
    public TSelf Declare(string items, string properties = "")
    {
        File.WriteAllText(ProjectFile, $"""
            <Project Sdk="Dagdog.Sdk/{Repository.SdkVersion}">
              <PropertyGroup>
            {properties}
              </PropertyGroup>
              <ItemGroup>
            {items}
              </ItemGroup>
            </Project>
            """);
        return (TSelf)this;
    }

    /// <summary>Writes Name.cs: a class Name whose Run() records that it ran, then runs <paramref name="body"/>.</summary>
    public TSelf AddTask(string name, string body = "", string @namespace = "Analysis")
    {
        WriteFile($"{name}.cs", $$"""
            namespace {{@namespace}};

            public class {{name}}
            {
                public void Run()
                {
                    {{RecordRun(name)}}
                    {{body}}
                }
            }
            """);
        return (TSelf)this;
    }

    /// <summary>
    /// A statement that appends the task's name to ran.txt holding the file alone (an exclusive lock, retried): two
    /// tasks running at once each keep their line, where File.AppendAllText (a seek and a write) can lose one.
    /// </summary>
    public static string RecordRun(string name) =>
        $$"""for (var ranTries = 0; ; ranTries++) { try { using var ranFile = new FileStream("{{RanFile}}", FileMode.Append, FileAccess.Write, FileShare.None); ranFile.Write(System.Text.Encoding.UTF8.GetBytes("{{name}}\n")); break; } catch (IOException) when (ranTries < 5000) { Thread.Sleep(1); } }""";

    public TSelf AddTasks(params string[] names)
    {
        foreach (var name in names) AddTask(name);
        return (TSelf)this;
    }

    public TSelf WriteFile(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return (TSelf)this;
    }

    public string ReadFile(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public bool FileExists(string relativePath) => File.Exists(PathOf(relativePath));

    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    /// <summary>
    /// Builds the project with these command-line arguments (<c>-t:Dag_Fit</c>, <c>-p:DagForce=true</c>) and reports
    /// which tasks ran. Tasks run one at a time (<c>-p:DagJobs=1</c>), so that the order they ran in is the same every
    /// time, unless the arguments set DagJobs or <c>-m</c>.
    /// </summary>
    public BuildResult Build(params string[] arguments) => Build(arguments, environment: null);

    public BuildResult Build(string[] arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        ForgetRuns();
        return RunBuild(OneJobUnlessSaid(arguments), environment);
    }

    protected abstract BuildResult RunBuild(string[] arguments, IReadOnlyDictionary<string, string?>? environment);

    /// <summary>The tasks that ran since the last build started, in the order they started.</summary>
    public IReadOnlyList<string> Ran
    {
        get
        {
            // A running task holds the file alone for a moment while it adds its line (RecordRun): read again then.
            for (var tries = 0; ; tries++)
            {
                try
                {
                    return File.Exists(PathOf(RanFile)) ? File.ReadAllLines(PathOf(RanFile)) : [];
                }
                catch (IOException) when (tries < 5000)
                {
                    Thread.Sleep(1);
                }
            }
        }
    }

    protected void ForgetRuns()
    {
        if (File.Exists(PathOf(RanFile))) File.Delete(PathOf(RanFile));
    }

    protected static string[] OneJobUnlessSaid(string[] arguments) =>
        arguments.Any(a => a.Contains("DagJobs", StringComparison.Ordinal) || a.StartsWith("-m", StringComparison.Ordinal)) ? arguments : ["-p:DagJobs=1", .. arguments];
}
