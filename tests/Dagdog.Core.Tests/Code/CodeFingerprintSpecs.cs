using Dagdog.Code;
using Dagdog.Testing;
namespace Dagdog.Tests.Code;

/// <summary>
/// A task's code fingerprint changes exactly when code the task can reach changes, and says how it reaches the change.
/// Each spec compiles the same analysis twice, with one edit, and compares the fingerprints.
/// </summary>
public sealed class CodeFingerprintSpecs : IDisposable
{
    // What a spec compiles to disk itself (libraries, resources), deleted after it.
    private readonly string _root = Directory.CreateTempSubdirectory("dagdog-fingerprints-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder() => Directory.CreateDirectory(Path.Combine(_root, Guid.NewGuid().ToString("N"))).FullName;

    private static readonly string[] Tasks = ["Load", "Fit", "Summarize", "Plot", "Report"];

    private const string Analysis = """
        namespace Analysis;

        public record Penguin(string Species, [property: Converter(typeof(BillConverter))] double BillLength);

        [AttributeUsage(AttributeTargets.All)]
        public sealed class ConverterAttribute(Type type) : Attribute
        {
            public Type Type { get; } = type;
        }

        public class BillConverter
        {
            public virtual string Format(double bill) => bill.ToString("0.0");
        }

        public enum Island { Biscoe = 1, Dream = 2 }

        public static class Settings
        {
            static Settings() => Console.WriteLine("settings ready");

            public static int Threshold() => 1;
        }

        public static class Startup
        {
            [System.Runtime.CompilerServices.ModuleInitializer]
            internal static void Init() => Environment.SetEnvironmentVariable("ANALYSIS", "1");
        }

        public static class Stats
        {
            public const int Window = 3;
            public static readonly double[] Weights = [0.25, 0.5, 0.25];

            // Only Fit calls this.
            public static double Smooth(double value) => value * Weights[1] + Window;

            public static double Mean(IEnumerable<double> values) => values.Average();
        }

        public interface IModel { double Predict(double x); }

        public sealed class Linear : IModel
        {
            public double Predict(double x) => 2 * x + 1;
        }

        public class Load
        {
            public void Run() => File.WriteAllText("raw.txt", "1,2,3");
        }

        public class Fit
        {
            public async Task Run()
            {
                var text = await File.ReadAllTextAsync("raw.txt");
                IModel model = new Linear();
                var fitted = text.Split(',').Select(double.Parse).Select(x => Stats.Smooth(model.Predict(x))).ToList();
                Console.WriteLine(fitted.Count);
            }
        }

        public class Summarize
        {
            public void Run()
            {
                var penguins = new List<Penguin> { new("Adelie", 38.8) };
                var summary = penguins.GroupBy(p => p.Species).Select(g => new { Species = g.Key, Mean = Stats.Mean(g.Select(p => p.BillLength)) });
                File.WriteAllText("summary.txt", string.Join(";", summary));
            }
        }

        public class Plot
        {
            public void Run() => Console.WriteLine(Settings.Threshold() + (int)Enum.Parse<Island>("Dream"));
        }

        public class Report
        {
            public void Run() { }
        }
        """;

    private static IReadOnlyDictionary<string, string> Before => CompiledTasks.Fingerprints(Tasks, ("Analysis.cs", Analysis));

    private static IReadOnlyDictionary<string, string> After(string find, string replace)
    {
        Assert.Contains(find, Analysis);
        return CompiledTasks.Fingerprints(Tasks, ("Analysis.cs", Analysis.Replace(find, replace)));
    }

    /// <summary>The tasks whose fingerprints differ, with the change as CodeFingerprint explains it.</summary>
    private static Dictionary<string, string?> Changed(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        Tasks.Where(task => CodeFingerprint.Change(before[task], after[task]) is not null)
            .ToDictionary(task => task, task => CodeFingerprint.Change(before[task], after[task]));

    [Fact]
    public void The_fingerprint_names_the_class_first() =>
        Assert.Equal("Analysis.Fit", CodeFingerprint.TypeOf(Before["Fit"]));

    [Fact]
    public void Compiling_the_same_code_again_gives_the_same_fingerprints() =>
        Assert.Empty(Changed(Before, Before));

    [Fact]
    public void Editing_a_helper_only_Fit_calls_changes_Fit_alone_and_names_the_path_to_it()
    {
        var changed = Changed(Before, After("value * Weights[1] + Window", "value * Weights[1] - Window"));

        Assert.Equal(["Fit"], changed.Keys);
        Assert.Equal("Fit.Run -> Stats.Smooth", changed["Fit"]);
    }

    [Fact]
    public void Editing_a_helper_Summarize_calls_changes_Summarize_alone() =>
        Assert.Equal(["Summarize"], Changed(Before, After("values.Average()", "values.Sum() / values.Count()")).Keys);

    [Theory]
    [InlineData("// Only Fit calls this.", "// Only Fit calls this, and it says so at length.\n\n\n")]
    [InlineData("public void Run() => File.WriteAllText", "public   void   Run()\n    =>\n File.WriteAllText")]
    [InlineData("penguins", "birds")]
    [InlineData("g => new { Species = g.Key, Mean = Stats.Mean(g.Select", "grp => new { Species = grp.Key, Mean = Stats.Mean(grp.Select")]
    [InlineData("Smooth(double value) => value", "Smooth(double v) => v")]
    public void Comments_formatting_and_local_names_change_nothing(string find, string replace) =>
        Assert.Empty(Changed(Before, After(find, replace)));

    [Fact]
    public void Renaming_a_local_in_an_async_method_changes_nothing()
    {
        // The compiler turns an async method's locals into fields named after them; Dagdog ignores those names.
        Assert.Empty(Changed(Before, After("text", "rawText")));
        Assert.Empty(Changed(Before, After("fitted", "smoothed")));
    }

    [Fact]
    public void A_constant_changes_the_tasks_that_use_it() =>
        Assert.Equal(["Fit"], Changed(Before, After("public const int Window = 3;", "public const int Window = 4;")).Keys);

    [Fact]
    public void An_array_literal_in_a_static_field_changes_the_tasks_that_use_it()
    {
        var changed = Changed(Before, After("[0.25, 0.5, 0.25]", "[0.2, 0.6, 0.2]"));

        Assert.Equal(["Fit"], changed.Keys);
        Assert.StartsWith("Fit.Run -> Stats.", changed["Fit"]);
    }

    [Fact]
    public void Code_reached_through_an_interface_counts_for_the_task_that_creates_the_object()
    {
        var changed = Changed(Before, After("2 * x + 1", "3 * x + 1"));

        Assert.Equal(["Fit"], changed.Keys);
        Assert.Equal("Fit.Run -> Linear.Predict", changed["Fit"]);
    }

    [Fact]
    public void A_new_property_on_a_record_changes_the_tasks_that_use_the_record() =>
        // Serializers read a type's properties by reflection, so a type's shape counts, not only the members called.
        Assert.Equal(["Summarize"], Changed(Before, After("double BillLength)", "double BillLength, int Year = 2007)")).Keys);

    [Fact]
    public void New_code_elsewhere_changes_nothing_for_the_tasks_that_do_not_reach_it()
    {
        // Anonymous types and array literals are numbered or stored assembly-wide; Fit's own array must not notice.
        var changed = Changed(Before, After("public class Report\n{\n    public void Run() { }",
            "public class Report\n{\n    public void Run() { var x = new { Title = \"report\" }; Console.WriteLine(x); Console.WriteLine(Helper()); " +
            "Console.WriteLine(new[] { 1.5, 2.5, 3.5 }.Sum()); Func<int, int> twice = i => 2 * i; Console.WriteLine(twice(1)); }\n    private static int Helper() => 42;"));

        Assert.Equal(["Report"], changed.Keys);
    }

    [Fact]
    public void A_type_named_in_an_attribute_counts_for_the_tasks_that_reach_the_attribute()
    {
        // Serializers follow [JsonConverter(typeof(...))] and the like: the converter is code the task runs.
        var changed = Changed(Before, After("bill.ToString(\"0.0\")", "bill.ToString(\"0.00\")"));

        Assert.Equal(["Summarize"], changed.Keys);
        Assert.Equal("Summarize.Run -> BillConverter.Format", changed["Summarize"]);
    }

    [Fact]
    public void An_enum_value_counts_for_the_tasks_that_use_the_enum_even_by_name() =>
        Assert.Equal(["Plot"], Changed(Before, After("Dream = 2", "Dream = 3")).Keys);

    [Fact]
    public void An_explicit_static_constructor_counts_for_every_use_of_its_class()
    {
        var changed = Changed(Before, After("Console.WriteLine(\"settings ready\")", "Console.WriteLine(\"settings loaded\")"));

        Assert.Equal(["Plot"], changed.Keys);
        Assert.Equal("Plot.Run -> Settings.static constructor", changed["Plot"]);
    }

    [Fact]
    public void A_module_initializer_counts_for_every_task() =>
        Assert.Equal(Tasks, Changed(Before, After("(\"ANALYSIS\", \"1\")", "(\"ANALYSIS\", \"2\")")).Keys);

    [Fact]
    public void Editing_the_task_itself_names_its_own_method()
    {
        var changed = Changed(Before, After("File.WriteAllText(\"raw.txt\", \"1,2,3\")", "File.WriteAllText(\"raw.txt\", \"1,2,3,4\")"));

        Assert.Equal("Load.Run", Assert.Single(changed).Value);
    }

    [Fact]
    public void Referenced_assemblies_count_only_for_the_tasks_that_use_them()
    {
        var before = Before;

        Assert.Contains("\tA:System.Console\t", before["Fit"]);
        Assert.DoesNotContain("\tA:System.Console\t", before["Load"]);
    }

    [Fact]
    public void A_new_build_of_a_referenced_assembly_or_of_its_own_dependency_changes_the_tasks_that_use_it()
    {
        // Analysis -> Lib -> Deep, all copied side by side as a build does; only Deep changes, and Fit alone uses Lib.
        var directory = Folder();
        string Deep(int value) => $"namespace Deep; public static class Constants {{ public static int Value() => {value}; }}";
        var deep = CompiledTasks.Compile("Deep", [("Deep.cs", Deep(1))], directory);
        var lib = CompiledTasks.Compile("Lib", [("Lib.cs", "namespace Lib; public static class Helpers { public static int Twice(int x) => 2 * x + Deep.Constants.Value(); }")], directory, deep);
        var analysis = CompiledTasks.Compile("Analysis", [("Tasks.cs", """
            public class Load { public void Run() { } }
            public class Fit { public void Run() => Console.WriteLine(Lib.Helpers.Twice(1)); }
            """)], directory, lib);
        var before = CompiledTasks.Inspect(analysis, "Load", "Fit");

        CompiledTasks.Compile("Deep", [("Deep.cs", Deep(2))], directory);
        var after = CompiledTasks.Inspect(analysis, "Load", "Fit");

        Assert.Null(CodeFingerprint.Change(before["Load"], after["Load"]));
        Assert.Equal("Fit.Run -> Lib.dll", CodeFingerprint.Change(before["Fit"], after["Fit"]));
    }

    // The template-method pattern: Run() on a base class, each task overriding the step that differs.
    private const string Template = """
        public abstract class CsvTask
        {
            public void Run() => Console.WriteLine(Transform(Read()));

            protected string Read() => "1,2,3";

            protected abstract string Transform(string csv);
        }

        public class Clean : CsvTask { protected override string Transform(string csv) => csv.Trim(); }

        public class Fit : CsvTask { protected override string Transform(string csv) => csv.ToUpperInvariant(); }
        """;

    private static (string Before, string After)[] TemplateFingerprints(string find, string replace)
    {
        Assert.Contains(find, Template);
        var before = CompiledTasks.Fingerprints(["Clean", "Fit"], ("Tasks.cs", Template));
        var after = CompiledTasks.Fingerprints(["Clean", "Fit"], ("Tasks.cs", Template.Replace(find, replace)));
        return [(before["Clean"], after["Clean"]), (before["Fit"], after["Fit"])];
    }

    [Fact]
    public void An_inherited_Run_counts_for_every_task_that_inherits_it()
    {
        var (clean, fit) = TemplateFingerprints("\"1,2,3\"", "\"1,2,3,4\"") is [var c, var f] ? (c, f) : default;

        Assert.Equal("CsvTask.Read", CodeFingerprint.Change(clean.Before, clean.After));
        Assert.Equal("CsvTask.Read", CodeFingerprint.Change(fit.Before, fit.After));
    }

    [Fact]
    public void A_task_overriding_a_step_of_an_inherited_Run_changes_alone()
    {
        var (clean, fit) = TemplateFingerprints("csv.ToUpperInvariant()", "csv.ToLowerInvariant()") is [var c, var f] ? (c, f) : default;

        Assert.Null(CodeFingerprint.Change(clean.Before, clean.After));
        Assert.Equal("Fit.Transform", CodeFingerprint.Change(fit.Before, fit.After));
    }

    [Fact]
    public void A_Run_inherited_from_a_referenced_assembly_is_found_and_the_assembly_counts()
    {
        var directory = Folder();
        var lib = CompiledTasks.Compile("Lib", [("Lib.cs", "namespace Lib; public abstract class Step<T> { public void Run() => Console.WriteLine(Make()); protected abstract T Make(); }")], directory);
        var analysis = CompiledTasks.Compile("Analysis", [("Tasks.cs", "public class Fit : Lib.Step<int> { protected override int Make() => 42; }")], directory, lib);

        Assert.Contains("\tA:Lib\t", CompiledTasks.Inspect(analysis, "Fit")["Fit"]);
    }

    // Load reads no resource; Fit reads one through the assembly; Report through a ResourceManager, as .resx classes do.
    private const string ResourceReaders = """
        public class Load { public void Run() => Console.WriteLine("load"); }

        public class Fit
        {
            public void Run() => Console.WriteLine(new StreamReader(typeof(Fit).Assembly.GetManifestResourceStream("Analysis.query.sql")!).ReadToEnd());
        }

        public static class Strings
        {
            private static readonly System.Resources.ResourceManager Manager = new("Analysis.Strings", typeof(Strings).Assembly);

            public static string Title => Manager.GetString("Title")!;
        }

        public class Report { public void Run() => Console.WriteLine(Strings.Title); }
        """;

    private IReadOnlyDictionary<string, string> WithResources(string query, string strings)
    {
        var directory = Folder();
        var assembly = CompiledTasks.Compile("Analysis", [("Tasks.cs", ResourceReaders)], [("Analysis.query.sql", query), ("Analysis.Strings.resources", strings)], directory);
        return CompiledTasks.Inspect(assembly, "Load", "Fit", "Report");
    }

    [Fact]
    public void An_edited_resource_changes_the_tasks_that_can_read_resources_and_says_which()
    {
        var before = WithResources("select 1", "title v1");
        var after = WithResources("select 2", "title v1");

        Assert.Null(CodeFingerprint.Change(before["Load"], after["Load"]));
        Assert.Equal("resource changed: query.sql", CodeFingerprint.Reason(before["Fit"], after["Fit"]));
        Assert.Equal("resource changed: query.sql", CodeFingerprint.Reason(before["Report"], after["Report"]));
    }

    [Fact]
    public void A_resource_read_through_a_ResourceManager_counts_like_code()
    {
        var before = WithResources("select 1", "title v1");
        var after = WithResources("select 1", "title v2");

        Assert.Null(CodeFingerprint.Change(before["Load"], after["Load"]));
        Assert.Equal("resource changed: Strings.resources", CodeFingerprint.Reason(before["Report"], after["Report"]));
    }

    [Fact]
    public void Code_changes_keep_their_reason() =>
        Assert.Equal("code changed: Fit.Run -> Stats.Smooth", CodeFingerprint.Reason(Before["Fit"], After("value * Weights[1] + Window", "value * Weights[1] - Window")["Fit"]));

    [Fact]
    public void Code_reached_only_through_reflection_by_name_does_not_count()
    {
        const string code = """
            public class Hidden { public override string ToString() => "v1"; }

            public class Fit { public void Run() => Console.WriteLine(Activator.CreateInstance(Type.GetType("Hidden")!)); }
            """;

        var before = CompiledTasks.Fingerprints(["Fit"], ("Tasks.cs", code));
        var after = CompiledTasks.Fingerprints(["Fit"], ("Tasks.cs", code.Replace("v1", "v2")));

        Assert.Null(CodeFingerprint.Change(before["Fit"], after["Fit"]));
    }

    [Fact]
    public void Without_an_earlier_fingerprint_the_change_is_unknown_but_not_null() =>
        Assert.Equal("", CodeFingerprint.Change(null, Before["Fit"]));
}
