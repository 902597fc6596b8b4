using Dagdog.Graph;
using Dagdog.Watching;

namespace Dagdog.Tests.Watching;

/// <summary>What a saved file makes a watch cycle redo: nothing, decide and run, compile first, or evaluate first.</summary>
public sealed class WatchedFilesSpecs : IDisposable
{
    // The project has a folder of its own inside the temporary one: a spec writes files in the folder above it.
    private readonly string _root = Directory.CreateTempSubdirectory("dagdog-watched-").FullName;
    private readonly string _project;

    public WatchedFilesSpecs() => _project = Directory.CreateDirectory(Path.Combine(_root, "analysis")).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // Load reads data/raw.csv and data/extra/*.csv; Fit is a family over data/{site}.tsv, writing out/fit/{site}.json,
    // which Report reads; Clean reads Load's output.
    private WatchedFiles Files()
    {
        var dag = Dag.Create([
            new TaskDeclaration("Load", [], Inputs: ["data/raw.csv", "data/extra/*.csv", "../shared/lookup.csv", "/srv/reference/*.csv"], Outputs: ["out/raw.txt"]),
            new TaskDeclaration("Clean", ["Load"], Inputs: ["out/raw.txt"], Outputs: ["out/clean.txt"]),
            new TaskDeclaration("Fit", ["Clean"], Inputs: ["out/clean.txt"], Outputs: ["out/fit/{site}.json"], ForEach: "data/{site}.tsv"),
            new TaskDeclaration("Report", ["Fit"], Inputs: ["out/fit/{site}.json"], Outputs: ["out/report.md"]),
        ]).Dag!;
        return new WatchedFiles(Path.Combine(_project, "Analysis.csproj"), new HashSet<string> { Path.Combine(_project, "Fit.cs") },
            [Path.Combine(_project, "obj"), Path.Combine(_project, "bin")], DataFlow.IsSourceInput(dag.Tasks));
    }

    private string Existing(string relative)
    {
        var path = Path.Combine(_project, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    [Theory]
    [InlineData("data/raw.csv")]
    [InlineData("data/extra/2024.csv")]
    [InlineData("data/adelie.tsv")]
    [InlineData("../shared/lookup.csv")]
    [InlineData("/srv/reference/species.csv")]
    public void A_file_tasks_read_and_none_writes_is_data(string relative) =>
        Assert.Equal(ChangeKind.Data, Files().Classify(Path.GetFullPath(Path.Combine(_project, relative))));

    [Theory]
    [InlineData("out/raw.txt")]
    [InlineData("out/fit/adelie.json")]
    [InlineData("out/report.md")]
    [InlineData("obj/Debug/net10.0/Analysis.dll")]
    [InlineData("obj/dag/stamps/Fit.stamp")]
    [InlineData("ran.txt")]
    [InlineData("data/notes.md")]
    public void A_task_output_a_build_file_or_a_file_no_task_reads_is_nothing(string relative) =>
        Assert.Equal(ChangeKind.None, Files().Classify(Existing(relative)));

    [Fact]
    public void An_edited_source_is_code_and_one_that_came_or_went_is_the_project()
    {
        var files = Files();

        Assert.Equal(ChangeKind.Code, files.Classify(Existing("Fit.cs")));
        Assert.Equal(ChangeKind.Project, files.Classify(Existing("Helpers/Stats.cs")));
        File.Delete(Path.Combine(_project, "Fit.cs"));
        Assert.Equal(ChangeKind.Project, files.Classify(Path.Combine(_project, "Fit.cs")));
        // An editor's temporary file, gone by the time the burst ends.
        Assert.Equal(ChangeKind.None, files.Classify(Path.Combine(_project, "Fit.cs~")));
        Assert.Equal(ChangeKind.None, files.Classify(Path.Combine(_project, "obj", "Gone.cs")));
    }

    [Theory]
    [InlineData("Analysis.csproj")]
    [InlineData("Directory.Build.props")]
    [InlineData("build/Custom.targets")]
    [InlineData("../Directory.Packages.props")]
    [InlineData("Strings.resx")]
    public void The_project_file_an_import_or_a_resx_file_is_the_project(string relative) =>
        Assert.Equal(ChangeKind.Project, Files().Classify(Existing(relative)));

    [Fact]
    public void The_folders_watched_are_the_projects_the_ones_above_for_imports_and_those_of_inputs_outside_it()
    {
        var shared = Directory.CreateDirectory(Path.Combine(_root, "shared")).FullName;

        var folders = Files().Folders(["data/raw.csv", "data/*/x.csv", "../shared/sub/*.csv"]);

        Assert.Equal((_project, true), folders[0]);
        Assert.Contains((_root, false), folders);
        Assert.Contains((shared, true), folders);
        Assert.DoesNotContain(folders, f => f.Recursive && f.Folder != _project && f.Folder != shared);
    }

    [Fact]
    public void A_linked_source_outside_the_project_is_watched_in_its_folder_and_is_code()
    {
        var linked = Path.Combine(_root, "shared", "Stats.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(linked)!);
        File.WriteAllText(linked, "");
        var files = new WatchedFiles(Path.Combine(_project, "Analysis.csproj"), new HashSet<string> { Path.Combine(_project, "Fit.cs"), linked },
            [Path.Combine(_project, "obj")], _ => false);

        Assert.Contains((Path.GetDirectoryName(linked)!, false), files.Folders([]));
        Assert.Equal(ChangeKind.Code, files.Classify(linked));
    }
}
