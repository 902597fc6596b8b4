namespace Dagdog.Build.Tests;

/// <summary>What makes a task stale: the code it reaches, its upstream's output, its declared inputs' content and its outputs.</summary>
public class StalenessSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private BuildProject Pipeline() => projects.CreateProject("pipeline").DeclareFilePipeline();

    // Fit and Plot share a helper class, each calling its own method of it.
    private BuildProject PipelineWithHelpers() => Pipeline()
        .WriteFile("Stats.cs", """
            public static class Stats
            {
                public const double Scale = 1;

                // Only Fit calls this.
                public static double Smooth(double x) => x * Scale;

                public static double Mean(double[] values) => values.Average();
            }
            """)
        .AddTask("Fit", """var fitted = Stats.Smooth(1); File.WriteAllText("out/model.txt", $"slope {fitted}");""")
        .AddTask("Plot", """Console.WriteLine(Stats.Mean([1.0, 2.0]));""");

    [Fact]
    public void Editing_a_helper_only_Fit_calls_re_runs_Fit_and_its_downstream_only()
    {
        var project = PipelineWithHelpers();
        project.Build().Succeeded();

        project.WriteFile("Stats.cs", project.ReadFile("Stats.cs").Replace("x * Scale;", "x * Scale + 1;"));
        var build = project.Build().Succeeded();

        Assert.Equal(["Fit", "Report"], build.Ran);
        Assert.Equal("code changed: Fit.Run -> Stats.Smooth", build.ReasonFor("Fit"));
        Assert.Equal("slope 2", project.ReadFile("out/model.txt"));
    }

    [Fact]
    public void Comments_whitespace_and_local_names_re_run_nothing()
    {
        var project = PipelineWithHelpers();
        project.Build().Succeeded();

        project.WriteFile("Stats.cs", project.ReadFile("Stats.cs").Replace("// Only Fit calls this.", "// Only Fit calls this;\n\n    // Plot calls Mean."));
        Assert.Empty(project.Build().Succeeded().Ran);

        project.WriteFile("Stats.cs", project.ReadFile("Stats.cs").Replace("x * Scale;", "x   *   Scale ;"));
        Assert.Empty(project.Build().Succeeded().Ran);

        project.WriteFile("Fit.cs", project.ReadFile("Fit.cs").Replace("fitted", "smoothed"));
        Assert.Empty(project.Build().Succeeded().Ran);
    }

    [Fact]
    public void Changing_a_constant_that_Fit_uses_re_runs_Fit()
    {
        var project = PipelineWithHelpers();
        project.Build().Succeeded();

        project.WriteFile("Stats.cs", project.ReadFile("Stats.cs").Replace("Scale = 1;", "Scale = 3;"));
        var build = project.Build().Succeeded();

        Assert.Equal(["Fit", "Report"], build.Ran);
        Assert.Equal("slope 3", project.ReadFile("out/model.txt"));
    }

    [Fact]
    public void A_task_that_rewrites_byte_identical_outputs_does_not_re_run_its_downstream()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        // Clean's code changes, its output does not: Fit, Plot and Report stay up to date.
        project.AddTask("Clean", """File.Copy("out/raw.txt", "out/clean.txt", true); Console.WriteLine("cleaned");""");
        var build = project.Build().Succeeded();

        Assert.Equal(["Clean"], build.Ran);
        Assert.Contains("Dag: Clean finished", build.Output);
        Assert.Contains("its outputs are byte-identical to the last run's, so its downstream stays up to date", build.Output);
        Assert.Matches(@"Dag:   Clean: ran in \d+\.\d\d s \(code changed: Clean\.Run; same outputs as before\)", build.Output);
        Assert.Equal(["up-to-date", "ran", "up-to-date", "up-to-date", "up-to-date"], build.Report!.Tasks.Select(task => task.Status));
    }

    [Fact]
    public void A_changed_input_file_re_runs_its_reader_and_everything_downstream()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        project.WriteFile("data/raw.csv", "x,y\n1,3\n");
        var build = project.Build().Succeeded();

        Assert.Equal(["Load", "Clean", "Fit", "Plot", "Report"], build.Ran);
    }

    [Fact]
    public void A_deleted_output_re_runs_the_task_that_writes_it()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        File.Delete(project.PathOf("out/model.txt"));
        var build = project.Build().Succeeded();

        // Fit writes the same model again, so Report, downstream, has nothing new to read.
        Assert.Equal(["Fit"], build.Ran);
        Assert.Equal("output missing: out/model.txt", build.ReasonFor("Fit"));
        Assert.True(project.FileExists("out/model.txt"));
    }

    [Fact]
    public void Staleness_is_transitive_through_tasks_that_were_not_asked_for()
    {
        // dagdog's flaw: Z -> A -> B -> K; after Z re-runs, asking for K must re-run A and B too.
        var project = projects.CreateProject("chain").DeclareChain();
        project.Build().Succeeded();

        project.AddTask("Z", "File.AppendAllText(\"ran.txt\", \"\");");
        Assert.Equal(["Z"], project.Build("-t:Dag_Z").Succeeded().Ran);
        var k = project.Build("-t:Dag_K").Succeeded();

        Assert.Equal(["A", "B", "K"], k.Ran);
    }

    [Fact]
    public void A_task_that_forgets_a_declared_output_gets_a_warning()
    {
        var project = projects.CreateProject("forgetful")
            .Declare("""<DagTask Include="Fit" Outputs="out/model.json" />""")
            .AddTask("Fit");

        var build = project.Build().Succeeded();

        Assert.Contains("warning DAG011: Task 'Fit' finished but did not write its declared output 'out/model.json'", build.Output);
    }

    [Fact]
    public void An_output_edited_by_hand_re_runs_its_readers_not_its_writer()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        project.WriteFile("out/clean.txt", "x,y\n9,9\n");
        var build = project.Build().Succeeded();

        // Fit writes the same model from it, so Report has nothing new to read.
        Assert.Equal(["Fit"], build.Ran);
        Assert.Equal("input changed: out/clean.txt", build.ReasonFor("Fit"));
    }

    [Fact]
    public void A_file_a_task_reads_without_declaring_it_re_runs_nothing()
    {
        var project = Pipeline().AddTask("Plot", """Console.WriteLine(File.ReadAllText("settings.txt"));""").WriteFile("settings.txt", "dpi 100");
        project.Build().Succeeded();

        project.WriteFile("settings.txt", "dpi 300");

        Assert.Empty(project.Build().Succeeded().Ran);
    }

    private static void Git(BuildProject project, params string[] arguments)
    {
        using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", arguments) { WorkingDirectory = project.Directory })!;
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
    }

    [Fact]
    public void An_input_dated_in_the_future_is_checked_once_not_on_every_build()
    {
        // Files from another machine or an archive can carry a clock ahead of ours.
        var project = Pipeline();
        project.Build().Succeeded();

        File.SetLastWriteTimeUtc(project.PathOf("data/raw.csv"), DateTime.UtcNow.AddHours(1));
        Assert.Contains("Dag: Load is up to date", project.Build().Succeeded().Output);
        var next = project.Build().Succeeded();

        Assert.Empty(next.Ran);
        Assert.DoesNotContain("is up to date", next.Output);
    }

    [Fact]
    public void Touching_a_declared_input_re_runs_nothing_and_the_next_build_checks_nothing()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        File.SetLastWriteTimeUtc(project.PathOf("data/raw.csv"), DateTime.UtcNow);
        var touched = project.Build().Succeeded();

        Assert.Empty(touched.Ran);
        Assert.Contains("Dag: Load is up to date: newer timestamps, but its code, inputs and upstream outputs are unchanged", touched.Output);
        var next = project.Build().Succeeded();
        Assert.Empty(next.Ran);
        Assert.DoesNotContain("is up to date", next.Output);
    }
}
