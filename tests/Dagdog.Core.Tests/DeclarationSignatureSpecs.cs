using Dagdog.Graph;

namespace Dagdog.Tests;

public class DeclarationSignatureSpecs
{
    private static readonly TaskDeclaration Fit = new("Fit", ["Clean"], null, ["data/clean.csv"], ["out/model.json"]);

    [Fact]
    public void The_same_declarations_give_the_same_signature() =>
        Assert.Equal(DeclarationSignature.Compute([Fit]), DeclarationSignature.Compute([Fit with { }]));

    [Fact]
    public void Any_declared_detail_changes_the_signature()
    {
        var original = DeclarationSignature.Compute([Fit]);

        Assert.NotEqual(original, DeclarationSignature.Compute([Fit with { DependsOn = ["Load"] }]));
        Assert.NotEqual(original, DeclarationSignature.Compute([Fit with { TypeName = "Analysis.Fit" }]));
        Assert.NotEqual(original, DeclarationSignature.Compute([Fit with { Inputs = ["data/raw.csv"] }]));
        Assert.NotEqual(original, DeclarationSignature.Compute([Fit with { Outputs = [] }]));
        Assert.NotEqual(original, DeclarationSignature.Compute([Fit, new TaskDeclaration("Report", ["Fit"])]));
    }

    [Fact]
    public void Where_a_family_s_instances_come_from_changes_the_signature()
    {
        // The generated targets watch a family's files and gather its items: a stale copy would watch the wrong folder.
        var family = new TaskDeclaration("Fit", [], null, [], ["out/fit/{species}.txt"], ForEach: "data/{species}.csv");
        var original = DeclarationSignature.Compute([family]);

        Assert.NotEqual(original, DeclarationSignature.Compute([family with { ForEach = "raw/{species}.csv" }]));
        Assert.NotEqual(original, DeclarationSignature.Compute([family with { ForEach = null, ForEachItem = "Species" }]));
        Assert.NotEqual(DeclarationSignature.Compute([family with { ForEach = null, ForEachItem = "Species" }]),
            DeclarationSignature.Compute([family with { ForEach = null, ForEachItem = "Species;Seed" }]));
    }

    [Fact]
    public void Lists_are_split_on_semicolons_ignoring_blanks() =>
        Assert.Equal(["A", "B"], TaskDeclaration.SplitList(" A ;; B; "));
}
