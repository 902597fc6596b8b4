using Dagdog.Graph;
using Dagdog.Planning;

namespace Dagdog.Tests;

public class SelectionSpecs
{
    private static Selection Parse(string? compact = null, string? from = null, string? mode = null, string? exclusive = null, string? force = null)
    {
        var (selection, problem) = Selection.Parse(compact, from, mode, exclusive, force);
        Assert.Null(problem);
        return selection!;
    }

    private static DagProblem Problem(string? compact = null, string? from = null, string? mode = null, string? exclusive = null, string? force = null)
    {
        var (selection, problem) = Selection.Parse(compact, from, mode, exclusive, force);
        Assert.Null(selection);
        return problem!;
    }

    [Theory]
    [InlineData("Fit", nameof(SelectionMode.Only), "Fit", false)]
    [InlineData("+Fit", nameof(SelectionMode.Upstream), "Fit", false)]
    [InlineData("Fit+", nameof(SelectionMode.Downstream), "Fit", false)]
    [InlineData("+(Fit)", nameof(SelectionMode.Upstream), "Fit", true)]
    [InlineData("(Fit)+", nameof(SelectionMode.Downstream), "Fit", true)]
    [InlineData("2", nameof(SelectionMode.Only), "2", false)]
    [InlineData("+3", nameof(SelectionMode.Upstream), "3", false)]
    [InlineData(" (0)+ ", nameof(SelectionMode.Downstream), "0", true)]
    public void The_compact_form_reads_like_dagdog(string compact, string mode, string task, bool exclusive) =>
        Assert.Equal(new Selection(Enum.Parse<SelectionMode>(mode), task, exclusive), Parse(compact));

    [Fact]
    public void DagFrom_alone_means_upstream() => Assert.Equal(new Selection(SelectionMode.Upstream, "Fit"), Parse(from: "Fit"));

    [Fact]
    public void The_long_form_takes_mode_exclusive_and_force_case_insensitively() =>
        Assert.Equal(new Selection(SelectionMode.Downstream, "Clean", true, true), Parse(from: "Clean", mode: "downstream", exclusive: "True", force: "true"));

    [Fact]
    public void No_selection_is_everything_and_force_still_applies()
    {
        Assert.Equal(Selection.Everything, Parse());
        Assert.True(Parse(force: "true").RunsRegardlessOfState);
    }

    [Fact]
    public void Only_and_downstream_run_regardless_of_state_upstream_does_not()
    {
        Assert.True(Parse("Fit").RunsRegardlessOfState);
        Assert.True(Parse("Fit+").RunsRegardlessOfState);
        Assert.False(Parse("+Fit").RunsRegardlessOfState);
    }

    [Theory]
    [InlineData("++Fit")]
    [InlineData("(Fit")]
    [InlineData("+Fit+")]
    [InlineData("+()")]
    [InlineData("Fit Clean")]
    public void A_malformed_compact_selector_lists_the_valid_forms(string compact)
    {
        var problem = Problem(compact);

        Assert.Equal(DagCodes.MalformedSelector, problem.Code);
        Assert.Contains("'+Fit' (Fit after its stale upstream)", problem.Message);
    }

    [Fact]
    public void An_unknown_mode_lists_the_modes()
    {
        var problem = Problem(from: "Fit", mode: "Sideways");

        Assert.Equal(DagCodes.UnknownMode, problem.Code);
        Assert.Contains("Upstream (the default), Downstream or Only", problem.Message);
    }

    [Theory]
    [InlineData("All")]
    [InlineData("1")]
    public void All_and_numbers_are_not_modes(string mode) => Assert.Equal(DagCodes.UnknownMode, Problem(from: "Fit", mode: mode).Code);

    [Fact]
    public void Exclusive_with_only_is_an_error() =>
        Assert.Equal(DagCodes.InvalidSelection, Problem(from: "Fit", mode: "Only", exclusive: "true").Code);

    [Fact]
    public void Mode_without_a_task_is_an_error() => Assert.Equal(DagCodes.InvalidSelection, Problem(mode: "Only").Code);

    [Fact]
    public void Compact_and_long_forms_together_are_an_error() => Assert.Equal(DagCodes.InvalidSelection, Problem("+Fit", from: "Fit").Code);

    [Fact]
    public void A_flag_that_is_not_a_boolean_is_the_one_error_for_a_bad_value()
    {
        Assert.Equal(DagCodes.InvalidOption, Problem(from: "Fit", force: "yes").Code);
        Assert.Equal("DagForce must be true or false, not 'yes'.", Problem(from: "Fit", force: "yes").Message);
        Assert.Equal(DagCodes.InvalidOption, Problem(from: "Fit", exclusive: "1").Code);
    }
}
