using Dagdog.Code;
using Dagdog.Graph;

namespace Dagdog.Tests;

public class TaskCodeInspectorSpecs
{
    private static readonly string ThisAssembly = typeof(TaskCodeInspectorSpecs).Assembly.Location;

    private static AssemblyInspection Inspect(params TaskDeclaration[] tasks) => TaskCodeInspector.Inspect(ThisAssembly, tasks);

    private static TaskDeclaration Task(string name, string? type = null) => new(name, [], type);

    [Fact]
    public void A_task_is_found_by_class_name_in_any_namespace()
    {
        var inspection = Inspect(Task("SampleLoad"), Task("SampleFit"));

        Assert.Empty(inspection.Problems);
        Assert.Equal("Dagdog.Tests.Samples.SampleLoad", inspection.Tasks["SampleLoad"].TypeFullName);
        Assert.Equal("Dagdog.Tests.Samples.SampleFit", inspection.Tasks["SampleFit"].TypeFullName);
    }

    [Fact]
    public void The_Type_metadata_picks_one_of_several_classes_with_the_same_name()
    {
        var inspection = Inspect(Task("SampleTwice", "Dagdog.Tests.Samples.Second.SampleTwice"));

        Assert.Empty(inspection.Problems);
        Assert.Equal("Dagdog.Tests.Samples.Second.SampleTwice", inspection.Tasks["SampleTwice"].TypeFullName);
    }

    [Fact]
    public void Several_classes_with_the_task_name_are_an_error_that_lists_them()
    {
        var problem = Assert.Single(Inspect(Task("SampleTwice")).Problems);

        Assert.Equal(DagCodes.SeveralClasses, problem.Code);
        Assert.Contains("Dagdog.Tests.Samples.First.SampleTwice, Dagdog.Tests.Samples.Second.SampleTwice", problem.Message);
        Assert.Contains("Type=", problem.Message);
    }

    [Fact]
    public void A_task_without_a_class_is_an_error()
    {
        var problem = Assert.Single(Inspect(Task("Missing")).Problems);

        Assert.Equal(DagCodes.NoClass, problem.Code);
        Assert.Equal("Missing", problem.TaskName);
    }

    [Fact]
    public void A_Type_that_does_not_exist_is_an_error() =>
        Assert.Equal(DagCodes.NoClass, Assert.Single(Inspect(Task("SampleLoad", "Nowhere.SampleLoad")).Problems).Code);

    [Theory]
    [InlineData("SampleHelper", "Class 'Dagdog.Tests.Samples.SampleHelper' of task 'SampleHelper' has no method named Run.")]
    [InlineData("SamplePrivateRun", "has a Run() that is private: make it public")]
    [InlineData("SampleProtectedInherited", "has a Run() that is protected (inherited from Dagdog.Tests.Samples.SampleProtectedBase): make it public")]
    [InlineData("SampleAsyncVoid", "has an 'async void Run()', which cannot be awaited")]
    [InlineData("SampleAsyncVoidInherited", "has an 'async void Run()' (inherited from Dagdog.Tests.Samples.SampleAsyncVoidBase), which cannot be awaited")]
    [InlineData("SampleCsvTask", "is abstract, so its instance Run() cannot be called")]
    [InlineData("SampleReturningInt", "returning 'System.Int32'")]
    [InlineData("SampleWithoutDefaultConstructor", "no public parameterless constructor")]
    public void A_class_without_a_usable_Run_method_is_an_error(string task, string reason)
    {
        var problem = Assert.Single(Inspect(Task(task)).Problems);

        Assert.Equal(DagCodes.NoRunMethod, problem.Code);
        Assert.Contains(reason, problem.Message);
    }

    [Fact]
    public void Run_may_take_a_cancellation_token() => Assert.Empty(Inspect(Task("SampleWithToken")).Problems);

    private static Dagdog.Families.RunParameterSources Sources(string[] values, string[] lists) =>
        new(values.ToHashSet(StringComparer.OrdinalIgnoreCase), lists.ToHashSet(StringComparer.OrdinalIgnoreCase));

    [Theory]
    [InlineData(new string[0], new string[0], "has Run's parameter 'times', but it is not a family: nothing gives Run a value")]
    [InlineData(new[] { "species" }, new string[0], "has Run's parameter 'times', but no wildcard or item metadata is named 'times' (there are: species)")]
    public void A_Run_parameter_that_nothing_gives_a_value_is_an_error_naming_it(string[] values, string[] lists, string reason)
    {
        var problem = Assert.Single(TaskCodeInspector.Inspect(ThisAssembly, [Task("SampleWithArguments")], _ => Sources(values, lists)).Problems);

        Assert.Equal(DagCodes.RunParameter, problem.Code);
        Assert.Contains(reason, problem.Message);
    }

    [Fact]
    public void Run_may_take_a_family_s_wildcard_by_name_in_any_case_and_a_parent_family_s_keys_as_a_list()
    {
        Assert.Empty(TaskCodeInspector.Inspect(ThisAssembly, [Task("SampleWithArguments")], _ => Sources(["Times"], [])).Problems);
        Assert.Empty(TaskCodeInspector.Inspect(ThisAssembly, [Task("SampleAggregator")], _ => Sources([], ["species"])).Problems);
        Assert.Contains("list parameter 'species', but no family it depends on has the wildcard {species}",
            Assert.Single(TaskCodeInspector.Inspect(ThisAssembly, [Task("SampleAggregator")], _ => Sources([], ["island"])).Problems).Message);
    }

    [Theory]
    [InlineData("SampleInheritedRun")]
    [InlineData("SampleGenericInherited")]
    public void Run_may_be_inherited_from_a_base_class_abstract_or_generic(string task) => Assert.Empty(Inspect(Task(task)).Problems);
}
