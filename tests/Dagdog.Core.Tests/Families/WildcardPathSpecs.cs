using Dagdog.Families;

namespace Dagdog.Tests.Families;

public sealed class WildcardPathSpecs : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dagdog-wildcards-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(params string[] paths)
    {
        foreach (var path in paths)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_root, path))!);
            File.WriteAllText(Path.Combine(_root, path), "x");
        }
    }

    private static WildcardPath Parse(string text) => WildcardPath.Parse(text).Path ?? throw new InvalidOperationException(WildcardPath.Parse(text).Problem);

    [Fact]
    public void A_wildcard_matches_within_one_path_segment_only()
    {
        Write("data/adelie.csv", "data/gentoo.csv", "data/sub/x.csv", "data/notes.txt");

        var found = Parse("data/{species}.csv").Find(_root);

        Assert.Equal(["data/adelie.csv", "data/gentoo.csv"], found.Select(f => f.Path));
        Assert.Equal([["adelie"], ["gentoo"]], found.Select(f => f.Values));
    }

    [Fact]
    public void Several_wildcards_give_their_values_in_order_of_first_appearance()
    {
        Write("data/adelie/2007.csv", "data/gentoo/2009.csv", "data/gentoo/readme.md");

        var found = Parse("data/{species}/{year}.csv").Find(_root);

        Assert.Equal(["species", "year"], Parse("data/{species}/{year}.csv").Names);
        Assert.Equal([["adelie", "2007"], ["gentoo", "2009"]], found.Select(f => f.Values));
    }

    [Fact]
    public void A_name_used_twice_must_match_the_same_text_both_times()
    {
        Write("data/adelie/adelie.csv", "data/adelie/gentoo.csv");

        var found = Parse("data/{s}/{s}.csv").Find(_root);

        Assert.Equal(["data/adelie/adelie.csv"], found.Select(f => f.Path));
        Assert.Equal(["s"], Parse("data/{s}/{s}.csv").Names);
        Assert.Null(Parse("out/{s}_{s}.csv").Match("out/a_b.csv"));
        Assert.Equal(["a"], Parse("out/{s}_{s}.csv").Match("out/a_a.csv"));
    }

    [Fact]
    public void Files_are_found_in_ordinal_order_and_a_missing_folder_finds_none()
    {
        Write("data/b.csv", "data/B.csv", "data/a.csv");

        Assert.Equal(["data/B.csv", "data/a.csv", "data/b.csv"], Parse("data/{k}.csv").Find(_root).Select(f => f.Path));
        Assert.Empty(Parse("nowhere/{k}.csv").Find(_root));
    }

    [Theory]
    [InlineData("data/{species.csv", "not part of a wildcard")]
    [InlineData("data/species}.csv", "not part of a wildcard")]
    [InlineData("data/{}.csv", "not part of a wildcard")]
    [InlineData("data/{1st}.csv", "not part of a wildcard")]
    [InlineData("data/*/{s}.csv", "mixes wildcards with '*' or '?'")]
    [InlineData("data/all.csv", "has no wildcard")]
    public void A_malformed_pattern_says_what_is_wrong(string text, string problem)
    {
        var (path, why) = WildcardPath.Parse(text);

        Assert.Null(path);
        Assert.Contains(problem, why);
    }

    [Fact]
    public void Values_go_into_paths_by_name_ignoring_case_and_a_wildcard_without_one_stays()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["species"] = "adelie" };

        Assert.Equal("out/adelie/{year}.json", WildcardPath.Substitute("out/{Species}/{year}.json", values));
        Assert.Equal("out/*/*.json", WildcardPath.AsGlob("out/{Species}/{year}.json"));
    }
}
