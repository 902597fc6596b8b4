using Dagdog.Families;
using Dagdog.Graph;
using Dagdog.State;

namespace Dagdog.Tests.Families;

public sealed class InstanceSpecs : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dagdog-instances-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(params string[] paths)
    {
        foreach (var path in paths)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_root, path))!);
            File.WriteAllText(Path.Combine(_root, path), "x");
        }
    }

    private static DagNode Family(TaskDeclaration declaration)
    {
        var validation = Dag.Create([declaration]);
        Assert.Empty(validation.Problems);
        return validation.Dag!.Tasks[0];
    }

    private static FamilyItem Item(string type, string identity, params (string Name, string Value)[] metadata) =>
        new(type, identity, metadata.ToDictionary(m => m.Name, m => m.Value, StringComparer.OrdinalIgnoreCase));

    [Fact]
    public void A_family_over_files_has_one_instance_per_file_in_key_order_with_the_file_as_its_own()
    {
        Write("data/gentoo.csv", "data/adelie.csv");
        var fit = Family(new TaskDeclaration("Fit", [], ForEach: "data/{species}.csv", Outputs: ["out/{species}.json"]));

        var found = Instances.Of(fit, _root, []);

        Assert.Empty(found.Problems);
        Assert.Equal(["adelie", "gentoo"], found.Instances.Select(i => i.Key));
        Assert.Equal("data/adelie.csv", found.Instances[0].File);
        Assert.Equal("adelie", found.Instances[0].Values["SPECIES"]);
        Assert.Equal("Fit[adelie]", found.Instances[0].NameIn("Fit"));
    }

    [Theory]
    [InlineData("data/a{b}.csv", "a{b}")]
    [InlineData("data/{sample}.csv", "{sample}")]
    public void A_brace_in_a_file_name_is_a_key_problem_not_a_wildcard_expanded_again(string file, string value)
    {
        Write(file, "data/adelie.csv");
        var fit = Family(new TaskDeclaration("Fit", [], ForEach: "data/{sample}.csv", Outputs: ["out/{sample}.json"]));

        var found = Instances.Of(fit, _root, []);

        var problem = Assert.Single(found.Problems);
        Assert.Equal(DagCodes.InvalidKey, problem.Code);
        Assert.Equal($"Task 'Fit' gets the key value '{value}' for {{sample}} from the file '{file}', which has the character '{{', which a key may not hold ([ ] , ; : * ? / \\ \" % $ @ {{ }}). Rename the file.", problem.Message);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void An_item_named_like_a_folder_step_is_a_key_problem(string identity)
    {
        var fit = Family(new TaskDeclaration("Fit", [], ForEachItem: "Model", Outputs: ["out/{Model}/fit.json"]));

        Assert.Contains($"the Model item '{identity}' is '{identity}', which a path would read as a folder", Assert.Single(Instances.Of(fit, _root, [Item("Model", identity)]).Problems).Message);
    }

    [Fact]
    public void An_item_declared_twice_is_said_so()
    {
        var fit = Family(new TaskDeclaration("Fit", [], ForEachItem: "Model"));

        var found = Instances.Of(fit, _root, [Item("Model", "linear"), Item("Model", "cubic"), Item("Model", "linear")]);

        Assert.Equal("Task 'Fit' has the instance 'linear' twice: an item is declared twice (the same Include in Model). Remove one of them.",
            Assert.Single(found.Problems).Message);
    }

    [Fact]
    public void Several_wildcards_make_a_key_joined_with_colons()
    {
        Write("data/adelie/2007.csv");
        var fit = Family(new TaskDeclaration("Fit", [], ForEach: "data/{species}/{year}.csv"));

        Assert.Equal("adelie:2007", Assert.Single(Instances.Of(fit, _root, []).Instances).Key);
    }

    [Fact]
    public void Items_of_two_types_are_crossed_and_each_instance_gets_its_items_metadata()
    {
        var fit = Family(new TaskDeclaration("Fit", [], ForEachItem: "Model;Seed"));
        FamilyItem[] items = [Item("Model", "linear", ("Degree", "1")), Item("Model", "cubic", ("Degree", "3")), Item("Seed", "1"), Item("Seed", "2"), Item("Other", "x")];

        var found = Instances.Of(fit, _root, items);

        Assert.Equal(["cubic:1", "cubic:2", "linear:1", "linear:2"], found.Instances.Select(i => i.Key));
        Assert.Equal("3", found.Instances[0].Parameters["degree"]);
        Assert.Equal("2", found.Instances[1].Values["seed"]);
    }

    [Theory]
    [InlineData("a,b", "','")]
    [InlineData("a;b", "';'")]
    [InlineData("a[1]", "'['")]
    [InlineData("50%", "'%'")]
    [InlineData("a$b", "'$'")]
    [InlineData("me@x", "'@'")]
    [InlineData(" lead", "begins or ends with a space")]
    [InlineData("a\u0001b", "control character (U+0001)")]
    public void A_key_with_a_character_it_may_not_hold_is_an_error_naming_the_item_and_the_character(string identity, string why)
    {
        var fit = Family(new TaskDeclaration("Fit", [], ForEachItem: "Model"));

        var problem = Assert.Single(Instances.Of(fit, _root, [Item("Model", identity), Item("Model", "ok")]).Problems);

        Assert.Equal(DagCodes.InvalidKey, problem.Code);
        Assert.Contains("the Model item", problem.Message);
        Assert.Contains(why, problem.Message);
    }

    [Fact]
    public void A_file_whose_name_makes_a_bad_key_is_an_error_naming_the_file()
    {
        Write("data/a,b.csv", "data/fine.csv");
        var fit = Family(new TaskDeclaration("Fit", [], ForEach: "data/{sample}.csv"));

        var problem = Assert.Single(Instances.Of(fit, _root, []).Problems);

        Assert.Contains("from the file 'data/a,b.csv'", problem.Message);
        Assert.Contains("','", problem.Message);
    }

    [Fact]
    public void Keys_that_differ_only_in_case_are_an_error_naming_both()
    {
        var fit = Family(new TaskDeclaration("Fit", [], ForEachItem: "Model"));

        var problem = Assert.Single(Instances.Of(fit, _root, [Item("Model", "Linear"), Item("Model", "linear")]).Problems);

        Assert.Contains("'Linear' and 'linear'", problem.Message);
        Assert.Contains("differ only in case", problem.Message);
    }

    [Fact]
    public void Any_alphabet_and_length_make_a_key_and_state_file_names_stay_short_and_distinct()
    {
        var key = new string('é', 300);
        var fit = Family(new TaskDeclaration("Fit", [], ForEachItem: "Model"));

        var found = Instances.Of(fit, _root, [Item("Model", key), Item("Model", "пингвин")]);

        Assert.Empty(found.Problems);
        var names = found.Instances.Select(i => StateLayout.Relative.StampFile(i.NameIn("Fit"))).ToList();
        Assert.All(names, name => Assert.True(name.Split('/').Max(part => System.Text.Encoding.UTF8.GetByteCount(part)) < 100, name));
        Assert.Equal(2, names.Distinct().Count());
        Assert.Equal(StateLayout.Relative.StampFile("Fit[ПИНГВИН]"), StateLayout.Relative.StampFile("Fit[пингвин]"));
    }
}
