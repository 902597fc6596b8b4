using Dagdog.Graph;

namespace Dagdog.Tests;

/// <summary>Globs expand as MSBuild's do, against the files on disk at the moment Dagdog asks.</summary>
public sealed class DeclaredFilesSpecs : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("dagdog-globs-").FullName;

    public DeclaredFilesSpecs()
    {
        foreach (var file in new[] { "data/a.csv", "data/b.csv", "data/b.txt", "data/ab.csv", "data/.hidden.csv", "data/deep/c.csv", "data/deep/er/d.csv", "other/e.csv" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_project, file))!);
            File.WriteAllText(Path.Combine(_project, file), file);
        }
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    private IReadOnlyList<string> Expand(params string[] paths) => DeclaredFiles.Expand(paths, _project);

    [Fact]
    public void A_star_matches_within_one_folder_in_ordinal_order_hidden_files_included() =>
        Assert.Equal(["data/.hidden.csv", "data/a.csv", "data/ab.csv", "data/b.csv"], Expand("data/*.csv"));

    [Fact]
    public void A_question_mark_matches_one_character() => Assert.Equal(["data/a.csv", "data/b.csv"], Expand("data/?.csv"));

    [Fact]
    public void Two_stars_match_any_depth_of_folders_including_none() =>
        Assert.Equal(["data/.hidden.csv", "data/a.csv", "data/ab.csv", "data/b.csv", "data/deep/c.csv", "data/deep/er/d.csv"], Expand("data/**/*.csv"));

    [Fact]
    public void Two_stars_at_the_end_mean_every_file_below() =>
        Assert.Equal(["data/deep/c.csv", "data/deep/er/d.csv"], Expand("data/deep/**"));

    [Fact]
    public void Wildcards_in_folder_names_match_folders() => Assert.Equal(["data/deep/c.csv"], Expand("data/de*/*.csv"));

    [Fact]
    public void Literal_paths_stay_as_written_even_when_missing_and_no_file_is_listed_twice() =>
        Assert.Equal(["missing.csv", "data/a.csv", "data/b.csv"], Expand("missing.csv", "data/a.csv", "data/?.csv"));

    [Fact]
    public void A_glob_under_a_missing_folder_matches_nothing() => Assert.Empty(Expand("nowhere/*.csv"));

    [Fact]
    public void Without_globs_the_declared_list_is_returned_as_it_is()
    {
        IReadOnlyList<string> declared = ["data/a.csv", "out/x.txt"];

        Assert.Same(declared, DeclaredFiles.Expand(declared, _project));
    }
}
