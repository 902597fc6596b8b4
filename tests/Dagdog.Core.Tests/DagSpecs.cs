using Dagdog.Graph;

namespace Dagdog.Tests;

public class DagSpecs
{
    private static TaskDeclaration Task(string name, params string[] dependsOn) => new(name, dependsOn);

    private static Dag Valid(params TaskDeclaration[] tasks)
    {
        var validation = Dag.Create(tasks);
        Assert.Empty(validation.Problems);
        return validation.Dag!;
    }

    private static DagProblem SingleProblem(params TaskDeclaration[] tasks)
    {
        var validation = Dag.Create(tasks);
        Assert.Null(validation.Dag);
        return Assert.Single(validation.Problems);
    }

    [Fact]
    public void Tasks_are_indexed_in_topological_order_with_ties_broken_by_declaration_order()
    {
        // dagdog's demo DAG, declared out of order: 0 -> 1, 0 -> 2, {1, 2} -> 3.
        var dag = Valid(Task("Report", "Fit", "Plot"), Task("Fit", "Load"), Task("Plot", "Load"), Task("Load"));

        Assert.Equal(["Load", "Fit", "Plot", "Report"], dag.Tasks.Select(t => t.Name));
        Assert.Equal([0, 1, 2, 3], dag.Tasks.Select(t => t.Index));
    }

    [Fact]
    public void Independent_tasks_keep_their_declaration_order()
    {
        var dag = Valid(Task("C"), Task("A"), Task("B"));

        Assert.Equal(["C", "A", "B"], dag.Tasks.Select(t => t.Name));
    }

    [Fact]
    public void Parents_and_children_are_linked_both_ways_without_duplicates()
    {
        var dag = Valid(Task("Load"), Task("Fit", "Load", "Load"));

        Assert.Equal(["Load"], dag["Fit"].Parents.Select(p => p.Name));
        Assert.Equal(["Fit"], dag["Load"].Children.Select(c => c.Name));
    }

    [Fact]
    public void A_cycle_is_reported_as_the_path_that_closes_it()
    {
        var problem = SingleProblem(Task("Load"), Task("Clean", "Load", "Fit"), Task("Fit", "Clean"));

        Assert.Equal(DagCodes.Cycle, problem.Code);
        Assert.Equal("Clean", problem.TaskName);
        Assert.Contains("Clean -> Fit -> Clean", problem.Message);
    }

    [Fact]
    public void A_task_that_depends_on_itself_is_a_cycle()
    {
        var problem = SingleProblem(Task("Fit", "Fit"));

        Assert.Equal(DagCodes.Cycle, problem.Code);
        Assert.Contains("Fit -> Fit", problem.Message);
    }

    [Fact]
    public void A_cycle_behind_a_long_chain_is_found_without_recursion()
    {
        var tasks = Enumerable.Range(0, 20_000).Select(i => Task($"T{i}", i == 0 ? "T19999" : $"T{i - 1}")).ToArray();

        var problem = SingleProblem(tasks);

        Assert.Equal(DagCodes.Cycle, problem.Code);
        Assert.StartsWith("Tasks depend on each other in a cycle: T0 -> T19999 -> T19998", problem.Message);
    }

    [Fact]
    public void A_chain_of_ten_thousand_tasks_is_ordered()
    {
        var tasks = Enumerable.Range(0, 10_000).Select(i => i == 0 ? Task("T0") : Task($"T{i}", $"T{i - 1}")).Reverse().ToArray();

        var dag = Valid(tasks);

        Assert.Equal("T0", dag.Tasks[0].Name);
        Assert.Equal("T9999", dag.Tasks[^1].Name);
    }

    [Fact]
    public void An_unknown_dependency_suggests_the_nearest_declared_name()
    {
        var problem = SingleProblem(Task("Clean"), Task("Fit", "Claen"));

        Assert.Equal(DagCodes.UnknownDependency, problem.Code);
        Assert.Equal("Fit", problem.TaskName);
        Assert.Contains("'Claen'", problem.Message);
        Assert.Contains("Did you mean 'Clean'?", problem.Message);
    }

    [Fact]
    public void An_unknown_dependency_far_from_every_name_says_how_to_declare_it()
    {
        var problem = SingleProblem(Task("Clean"), Task("Fit", "Download"));

        Assert.Contains("<DagTask Include=\"Download\" />", problem.Message);
    }

    [Fact]
    public void A_duplicate_task_is_reported_once()
    {
        var problem = SingleProblem(Task("Fit"), Task("Fit"));

        Assert.Equal(DagCodes.DuplicateTask, problem.Code);
        Assert.Equal("Fit", problem.TaskName);
    }

    [Theory]
    [InlineData("1Fit")]
    [InlineData("Fit-Model")]
    [InlineData("Fit Model")]
    [InlineData("")]
    [InlineData("Fit.Model")]
    public void A_name_that_is_not_a_CSharp_identifier_is_rejected(string name)
    {
        var problem = SingleProblem(Task(name));

        Assert.Equal(DagCodes.InvalidName, problem.Code);
    }

    [Fact]
    public void A_name_longer_than_a_class_name_may_be_is_rejected_with_the_limit()
    {
        var problem = SingleProblem(Task(new string('任', 342)));

        Assert.Equal(DagCodes.InvalidName, problem.Code);
        Assert.Contains("takes 1026 bytes in UTF-8; a .NET class name may take at most 1023", problem.Message);
        Assert.Empty(Dag.Create([Task(new string('任', 341))]).Problems);
        Assert.Empty(Dag.Create([Task(new string('A', 1023))]).Problems);
    }

    [Theory]
    [InlineData("Fit")]
    [InlineData("_fit2")]
    [InlineData("Ajustement_modèle")]
    public void Identifiers_are_valid_names(string name) => Assert.True(TaskNames.IsValidName(name));

    [Fact]
    public void Every_problem_is_listed_not_just_the_first()
    {
        var validation = Dag.Create([Task("1a"), Task("B", "Missing"), Task("B")]);

        Assert.Equal([DagCodes.InvalidName, DagCodes.DuplicateTask, DagCodes.UnknownDependency], validation.Problems.Select(p => p.Code));
    }

    [Fact]
    public void Jobs_and_Timeout_are_read_from_the_declaration()
    {
        var fit = Dag.Create([new TaskDeclaration("Fit", [], Jobs: "2", Timeout: "00:30:00")]).Dag!["Fit"];

        Assert.Equal(2, fit.Jobs);
        Assert.Equal(TimeSpan.FromMinutes(30), fit.Timeout);
    }

    [Theory]
    [InlineData("0", null, "Jobs=\"0\" of task 'Fit' is not a whole number of 1 or more")]
    [InlineData("two", null, "Jobs=\"two\" of task 'Fit'")]
    [InlineData(null, "half an hour", "Timeout=\"half an hour\" of task 'Fit' is not a positive duration")]
    [InlineData(null, "-00:01:00", "Timeout=\"-00:01:00\" of task 'Fit'")]
    public void A_bad_Jobs_or_Timeout_is_an_error_and_the_rest_of_the_DAG_is_still_checked(string? jobs, string? timeout, string message)
    {
        var validation = Dag.Create([new TaskDeclaration("Fit", [], Jobs: jobs, Timeout: timeout), Task("Report", "Fit")]);

        var problem = Assert.Single(validation.Problems);
        Assert.Equal(DagCodes.InvalidRunLimit, problem.Code);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void Names_that_differ_only_in_case_are_one_task_declared_twice_because_MSBuild_ignores_case()
    {
        var problem = SingleProblem(Task("Fit"), Task("fit"));

        Assert.Equal(DagCodes.DuplicateTask, problem.Code);
        Assert.Contains("Tasks 'Fit' and 'fit' differ only in case", problem.Message);
    }

    [Fact]
    public void DependsOn_and_lookups_take_any_case_and_mean_the_task_as_declared()
    {
        var dag = Dag.Create([Task("Clean"), Task("Fit", "clean")]).Dag!;

        Assert.Equal("Clean", Assert.Single(dag["Fit"].Parents).Name);
        Assert.True(dag.TryGetTask("FIT", out var fit));
        Assert.Equal("Fit", fit.Name);
    }

    [Theory]
    [InlineData("in\0put.txt", "Inputs", "in\\u0000put.txt")]
    [InlineData("out/a\nb.txt", "Outputs", "out/a\\u000Ab.txt")]
    public void A_declared_path_with_a_control_character_is_an_error_that_shows_it(string path, string metadata, string shown)
    {
        var declaration = metadata == "Inputs" ? new TaskDeclaration("Load", [], Inputs: [path]) : new TaskDeclaration("Load", [], Outputs: [path]);

        var problem = SingleProblem(declaration);

        Assert.Equal(DagCodes.InvalidPath, problem.Code);
        Assert.Equal("Load", problem.TaskName);
        Assert.Contains($"{metadata} of task 'Load' has a path with a control character", problem.Message);
        Assert.Contains($"'{shown}'", problem.Message);
    }

    [Theory]
    [InlineData("data/g%3B/*.csv", "%3B", true)]
    [InlineData("data/x%2a?.csv", "%2a", true)]
    [InlineData("data/g%3B/a.csv", "", false)]
    [InlineData("data/100%/*.csv", "", false)]
    public void A_wildcard_path_that_MSBuild_would_read_as_escaped_is_an_error_and_a_plain_one_is_not(string path, string escape, bool refused)
    {
        var validation = Dag.Create([new TaskDeclaration("Load", [], Inputs: [path])]);

        if (!refused)
        {
            Assert.Empty(validation.Problems);
            return;
        }
        var problem = Assert.Single(validation.Problems);
        Assert.Equal((DagCodes.InvalidPath, "Load"), (problem.Code, problem.TaskName));
        Assert.StartsWith($"Inputs of task 'Load' has a wildcard path with '{escape}' in a name: '{path}'. MSBuild's wildcard expansion reads it", problem.Message);
        Assert.EndsWith("Rename the folder or files, or list them without a wildcard.", problem.Message);
    }
}
