using Dagdog.Graph;

namespace Dagdog.Tests;

/// <summary>The declared files must agree with the declared dependencies: the data follows the DAG the user wrote.</summary>
public class DataFlowSpecs
{
    private static TaskDeclaration Task(string name, string[] dependsOn, string[]? inputs = null, string[]? outputs = null) =>
        new(name, dependsOn, Inputs: inputs, Outputs: outputs);

    [Theory]
    [InlineData("out/clean.csv", "out/clean.csv")]
    [InlineData("out/clean.csv", "./out/../out/clean.csv")]
    public void Two_tasks_declaring_one_output_is_an_error_naming_both(string first, string second)
    {
        var validation = Dag.Create([Task("Clean", [], outputs: [first]), Task("Fix", [], outputs: [second])]);

        var problem = Assert.Single(validation.Problems);
        Assert.Null(validation.Dag);
        Assert.Equal(DagCodes.SharedOutput, problem.Code);
        Assert.False(problem.IsWarning);
        Assert.Contains("Tasks 'Clean' and 'Fix' both declare the output", problem.Message);
    }

    [Fact]
    public void A_family_s_outputs_that_another_family_or_a_task_can_write_are_an_error_naming_both()
    {
        var validation = Dag.Create([
            new TaskDeclaration("FromData", [], ForEach: "data/{s}.csv", Outputs: ["out/{s}.txt"]),
            new TaskDeclaration("FromRaw", [], ForEach: "raw/{t}.csv", Outputs: ["out/{t}.txt"]),
            new TaskDeclaration("Plain", [], Outputs: ["out/k.txt"]),
        ]);

        Assert.Null(validation.Dag);
        Assert.All(validation.Problems, problem => Assert.Equal(DagCodes.SharedOutput, problem.Code));
        Assert.Equal([
            "Tasks 'FromData' and 'FromRaw' can both write one file: 'out/{s}.txt' of 'FromData' can name 'out/{t}.txt' of 'FromRaw'.",
            "Tasks 'FromData' and 'Plain' can both write one file: 'out/{s}.txt' of 'FromData' can name 'out/k.txt' of 'Plain'.",
            "Tasks 'FromRaw' and 'Plain' can both write one file: 'out/{t}.txt' of 'FromRaw' can name 'out/k.txt' of 'Plain'.",
        ], validation.Problems.Select(p => p.Message[..p.Message.IndexOf(" A task reading", StringComparison.Ordinal)]).Order());
    }

    [Fact]
    public void Patterns_that_meet_only_for_some_keys_a_deep_glob_elsewhere_and_a_downstream_reader_are_fine_and_an_upstream_one_is_told_to_move_the_outputs()
    {
        Assert.Empty(Dag.Create([
            new TaskDeclaration("Align", [], ForEach: "reads/{s}.fq", Outputs: ["results/{s}.bam"]),
            new TaskDeclaration("Sort", ["Align"], ForEach: "reads/{s}.fq", Outputs: ["results/{s}.sorted.bam"]),
            new TaskDeclaration("Site", [], Outputs: ["site/**/*.html"]),
        ]).Problems);

        var upstream = Assert.Single(Dag.Create([
            new TaskDeclaration("Raw", [], ForEach: "data/{s}.csv", Outputs: ["out/raw/{s}.txt"]),
            new TaskDeclaration("Clean", ["Raw"], ForEach: "out/raw/{s}.txt", Outputs: ["data/{s}_clean.csv"]),
        ]).Problems, p => p.Code == DagCodes.InvalidFamily);
        Assert.Contains("which ForEach=\"data/{s}.csv\" of task 'Raw', upstream of it, can match", upstream.Message);
        Assert.Contains("Write the outputs where its pattern cannot match them.", upstream.Message);
        Assert.DoesNotContain("DependsOn", upstream.Message);
    }

    [Theory]
    [InlineData("out/{s}.txt", "out/{t}.json")]
    [InlineData("out/fit/{s}.txt", "out/plot/{t}.txt")]
    [InlineData("out/{s}-fit.txt", "out/{t}-plot.txt")]
    [InlineData("out/fit-{s}.txt", "out/plot-{t}.txt")]
    [InlineData("out/{s}/fit.txt", "out/{t}.txt")]
    public void Family_outputs_no_file_name_can_share_are_fine(string first, string second) =>
        Assert.Empty(Dag.Create([
            new TaskDeclaration("Fit", [], ForEach: "data/{s}.csv", Outputs: [first]),
            new TaskDeclaration("Plot", [], ForEach: "raw/{t}.csv", Outputs: [second]),
        ]).Problems);

    [Fact]
    public void A_family_whose_outputs_its_own_ForEach_can_match_is_an_error()
    {
        var validation = Dag.Create([new TaskDeclaration("Clean", [], ForEach: "data/{s}.csv", Outputs: ["data/{s}-clean.csv"])]);

        var problem = Assert.Single(validation.Problems);
        Assert.Equal(DagCodes.InvalidFamily, problem.Code);
        Assert.StartsWith("Task 'Clean' declares the output 'data/{s}-clean.csv', which its own ForEach=\"data/{s}.csv\" can match", problem.Message);
    }

    [Fact]
    public void A_family_whose_outputs_an_unrelated_family_s_ForEach_can_match_is_an_error_and_downstream_it_is_a_dynamic_family()
    {
        TaskDeclaration[] Tasks(string[] dependsOn) =>
        [
            new TaskDeclaration("Fit", [], ForEach: "data/{s}.csv", Outputs: ["out/fit/{s}.json"]),
            new TaskDeclaration("Plot", dependsOn, ForEach: "out/fit/{t}.json", Outputs: ["out/plot/{t}.png"]),
        ];

        var unrelated = Assert.Single(Dag.Create(Tasks([])).Problems);
        Assert.Equal(DagCodes.InvalidFamily, unrelated.Code);
        Assert.Contains("which ForEach=\"out/fit/{t}.json\" of task 'Plot' can match, but 'Plot' does not depend on 'Fit'", unrelated.Message);

        Assert.DoesNotContain(Dag.Create(Tasks(["Fit"])).Problems, p => !p.IsWarning);
    }

    [Fact]
    public void A_task_reading_its_own_output_is_a_warning()
    {
        var validation = Dag.Create([Task("Fit", [], inputs: ["out/model.json"], outputs: ["out/model.json"])]);

        var problem = Assert.Single(validation.Problems);
        Assert.NotNull(validation.Dag);
        Assert.Equal(DagCodes.OutputIsInput, problem.Code);
        Assert.True(problem.IsWarning);
    }

    [Theory]
    [InlineData("out/clean.csv")]
    [InlineData("out/*.csv")]
    [InlineData("out/**/clean.?sv")]
    public void Reading_another_tasks_output_without_depending_on_it_is_a_warning(string input)
    {
        var validation = Dag.Create([Task("Clean", [], outputs: ["out/clean.csv"]), Task("Fit", [], inputs: [input])]);

        var problem = Assert.Single(validation.Problems);
        Assert.Equal(DagCodes.MissingDependency, problem.Code);
        Assert.True(problem.IsWarning);
        Assert.Contains("Task 'Fit' reads", problem.Message);
        Assert.Contains("which task 'Clean' writes, but does not depend on it", problem.Message);
        Assert.Contains("Add DependsOn=\"Clean\"", problem.Message);
    }

    [Fact]
    public void Depending_on_the_writer_directly_or_through_other_tasks_is_enough()
    {
        var validation = Dag.Create([
            Task("Load", [], outputs: ["out/raw.csv"]),
            Task("Clean", ["Load"], inputs: ["out/raw.csv"], outputs: ["out/clean.csv"]),
            Task("Report", ["Clean"], inputs: ["out/raw.csv", "out/clean.csv"]),
        ]);

        Assert.Empty(validation.Problems);
    }

    [Fact]
    public void Files_no_task_writes_are_no_concern()
    {
        var validation = Dag.Create([Task("Load", [], inputs: ["data/*.csv"], outputs: ["out/raw.csv"]), Task("Other", [], inputs: ["data/raw.csv"])]);

        Assert.Empty(validation.Problems);
    }

    [Fact]
    public void A_family_s_outputs_that_its_gatherer_reads_are_not_source_inputs()
    {
        var dag = Dag.Create([
            new TaskDeclaration("Fit", [], Inputs: ["data/clean.csv"], Outputs: ["out/fit/{species}.json"], ForEachItem: "Species"),
            new TaskDeclaration("Report", ["Fit"], Inputs: ["out/fit/{species}.json"], Outputs: ["out/report.md"]),
        ]).Dag!;

        Assert.Equal(["data/clean.csv"], DataFlow.SourceInputs(dag.Tasks));
        Assert.False(DataFlow.IsSourceInput(dag.Tasks)("out/fit/adelie.json"));
        Assert.True(DataFlow.IsSourceInput(dag.Tasks)("data/clean.csv"));
    }
}
