using Dagdog.Graph;

namespace Dagdog.Tests.Families;

/// <summary>What is wrong with a family's declaration is found when the DAG is made, before anything runs (DAG035).</summary>
public class FamilyDeclarationSpecs
{
    private static DagProblem SingleProblem(params TaskDeclaration[] tasks)
    {
        var validation = Dag.Create(tasks);
        Assert.Null(validation.Dag);
        var problem = Assert.Single(validation.Problems, p => !p.IsWarning);
        Assert.Equal(DagCodes.InvalidFamily, problem.Code);
        return problem;
    }

    [Fact]
    public void An_output_without_every_wildcard_would_be_written_by_every_instance()
    {
        var problem = SingleProblem(new TaskDeclaration("Fit", [], ForEach: "data/{species}/{year}.csv", Outputs: ["out/{species}.json"]));

        Assert.Equal("Fit", problem.TaskName);
        Assert.Contains("declares the output 'out/{species}.json' without the wildcard {year}: every instance would write that one file", problem.Message);
    }

    [Fact]
    public void A_wildcard_in_Inputs_must_be_the_family_s_own_or_a_parent_family_s()
    {
        var problem = SingleProblem(new TaskDeclaration("Fit", [], ForEach: "data/{species}.csv", Inputs: ["lookup/{island}.csv"]));

        Assert.Contains("has the input 'lookup/{island}.csv' with the wildcard {island}, but its wildcards are {species}", problem.Message);
    }

    [Fact]
    public void A_task_that_is_not_a_family_may_not_write_a_wildcard_path()
    {
        var problem = SingleProblem(new TaskDeclaration("Report", [], Outputs: ["out/{species}.md"]));

        Assert.Contains("is not a family, but its output 'out/{species}.md' has the wildcard {species}", problem.Message);
    }

    [Fact]
    public void ForEach_and_ForEachItem_together_and_a_malformed_pattern_are_errors()
    {
        Assert.Contains("has both ForEach and ForEachItem", SingleProblem(new TaskDeclaration("Fit", [], ForEach: "data/{s}.csv", ForEachItem: "Model")).Message);
        Assert.Contains("has ForEach=\"data/{s.csv\", which cannot be read", SingleProblem(new TaskDeclaration("Fit", [], ForEach: "data/{s.csv")).Message);
        Assert.Contains("names 'Model' twice", SingleProblem(new TaskDeclaration("Fit", [], ForEachItem: "Model;model")).Message);
        Assert.Contains("is not an MSBuild item type name", SingleProblem(new TaskDeclaration("Fit", [], ForEachItem: "2Models")).Message);
    }

    [Fact]
    public void An_aggregator_may_read_its_parent_family_s_wildcard_and_a_family_over_a_parent_s_family_is_paired_with_it()
    {
        var validation = Dag.Create(
        [
            new TaskDeclaration("Fit", [], ForEach: "data/{species}.csv", Outputs: ["out/fit/{species}.json"]),
            new TaskDeclaration("Plot", ["Fit"], ForEach: "out/fit/{species}.json", Outputs: ["out/plot/{species}.png"]),
            new TaskDeclaration("Report", ["Fit", "Plot"], Inputs: ["out/fit/{species}.json"], Outputs: ["out/report.md"]),
        ]);

        Assert.DoesNotContain(validation.Problems, p => !p.IsWarning);
        var dag = validation.Dag!;
        Assert.Equal(["Fit"], dag["Plot"].PairedParents.Select(p => p.Name));
        Assert.Empty(dag["Report"].PairedParents);
        Assert.True(Dagdog.Families.FamilyDeclarations.Writes(dag["Fit"], dag["Plot"].Family!));
        // Run's parameters: an aggregator gets the family's keys as a list; a paired instance has its pair's value as its own.
        Assert.Contains("species", Dagdog.Families.RunParameterSources.For(dag["Report"], []).Lists);
        Assert.Empty(Dagdog.Families.RunParameterSources.For(dag["Plot"], []).Lists);
        Assert.Contains("species", Dagdog.Families.RunParameterSources.For(dag["Plot"], []).Values);
    }
}
