namespace Dagdog.EndToEnd;

/// <summary>Task names follow MSBuild's rules (case does not count) and any C# identifier works, with its state on disk.</summary>
[Collection(EndToEndCollection.Name)]
public class NameSpecs(SdkFeed feed)
{
    [Fact]
    public void Names_in_any_alphabet_and_of_any_length_run_with_inputs_and_outputs_and_are_then_up_to_date()
    {
        var longName = "Fit" + new string('x', 247);
        var project = feed.CreateProject("unicode")
            .Declare($"""
                <DagTask Include="Ünïcødé" Inputs="data/raw.csv" Outputs="out/clean.csv" />
                <DagTask Include="任务" DependsOn="Ünïcødé" Inputs="out/clean.csv" Outputs="out/model.txt" />
                <DagTask Include="{longName}" DependsOn="任务" Inputs="out/model.txt" />
                """)
            .WriteFile("data/raw.csv", "x\n1\n")
            .AddTask("Ünïcødé", """Directory.CreateDirectory("out"); File.Copy("data/raw.csv", "out/clean.csv", true);""")
            .AddTask("任务", """File.WriteAllText("out/model.txt", "model");""")
            .AddTask(longName);

        var first = project.Build().Succeeded();
        var second = project.Build().Succeeded();

        Assert.Equal(["Ünïcødé", "任务", longName], first.Ran);
        Assert.Empty(second.Ran);
        Assert.DoesNotContain("warning", second.Output);
    }

    // Load -> Fit, with Fit reading data/raw.csv.
    private DagProject Pipeline(string name) => feed.CreateProject(name)
        .Declare("""
            <DagTask Include="Load" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Load" Inputs="data/raw.csv" />
            """)
        .WriteFile("data/raw.csv", "x\n1\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.WriteAllText("out/raw.txt", "raw");""")
        .AddTask("Fit");

    private static void Truncate(DagProject project, string relativePath)
    {
        var path = project.PathOf(relativePath);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.Length / 2)]);
    }

}
