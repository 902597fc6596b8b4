using System.Text.RegularExpressions;

namespace Dagdog.EndToEnd;

/// <summary>
/// -t:DagWatch runs what a save makes stale, and nothing else, until Ctrl+C; and dotnet watch build re-runs what a saved
/// data file made stale (the SDK adds the tasks' source data to @(Watch)).
/// </summary>
[Collection(LongEndToEndCollection.Name)]
public class WatchSpecs(SdkFeed feed)
{
    private const string Waiting = "Dag: watching for changes (Ctrl+C to stop)";
    private static readonly TimeSpan CycleTime = TimeSpan.FromMinutes(1);

    // Load copies data/raw.csv; Fit and Plot read its copy, Plot also data/style.txt; Report reads Fit's output.
    private DagProject Analysis() => feed.CreateProject("dagwatch")
        .Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/fit.txt" />
            <DagTask Include="Plot" DependsOn="Load" Inputs="out/raw.txt;data/style.txt" Outputs="out/plot.txt" />
            <DagTask Include="Report" DependsOn="Fit" Inputs="out/fit.txt" Outputs="out/report.txt" />
            """)
        .WriteFile("data/raw.csv", "1\n")
        .WriteFile("data/style.txt", "blue\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.Copy("data/raw.csv", "out/raw.txt", true);""")
        .AddTask("Fit", FitBody("fit 1"))
        .AddTask("Plot", """File.WriteAllText("out/plot.txt", File.ReadAllText("data/style.txt"));""")
        .AddTask("Report", """File.WriteAllText("out/report.txt", File.ReadAllText("out/fit.txt"));""");

    private static string FitBody(string model) => $$"""File.WriteAllText("out/fit.txt", "{{model}}" + File.ReadAllText("out/raw.txt"));""";

    [Fact]
    public void A_watch_runs_what_each_save_makes_stale_and_Ctrl_C_leaves_everything_up_to_date()
    {
        var project = Analysis();
        using var watch = project.Start("-t:DagWatch");
        WaitForCycle(watch, 1);
        Assert.Equal(["Load", "Fit", "Plot", "Report"], Ran(project));

        // A code edit: the task and its downstream, nothing else.
        project.AddTask("Fit", FitBody("fit 2"));
        WaitForCycle(watch, 2);
        Assert.Contains("Dag: Fit.cs changed", watch.Output);
        Assert.Equal(["Fit", "Report"], Ran(project));
        Assert.Equal("fit 21\n", project.ReadFile("out/report.txt"));

        // A data edit: its reader.
        project.WriteFile("data/style.txt", "red\n");
        WaitForCycle(watch, 3);
        Assert.Equal(["Plot"], Ran(project));

        // A burst of saves is one cycle.
        project.AddTask("Fit", FitBody("fit 3")).WriteFile("data/raw.csv", "2\n").WriteFile("data/style.txt", "green\n");
        WaitForCycle(watch, 4);
        Thread.Sleep(500);
        Assert.Equal(4, Count(watch.Output, Waiting));
        Assert.Equal(["Load", "Fit", "Plot", "Report"], Ran(project));
        Assert.Equal("fit 32\n", project.ReadFile("out/report.txt"));

        // A new task class and its declaration in the project file: the project is evaluated again, and the task runs.
        project.AddTask("Extra", """File.WriteAllText("out/extra.txt", "x");""").Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/fit.txt" />
            <DagTask Include="Plot" DependsOn="Load" Inputs="out/raw.txt;data/style.txt" Outputs="out/plot.txt" />
            <DagTask Include="Report" DependsOn="Fit" Inputs="out/fit.txt" Outputs="out/report.txt" />
            <DagTask Include="Extra" DependsOn="Report" Outputs="out/extra.txt" />
            """);
        // The cycle is over once the watch waits again after Extra finished (Extra's file appears before that: a Ctrl+C then interrupts it).
        Assert.True(SpinWait.SpinUntil(() => watch.Output.IndexOf("Dag: Extra finished", StringComparison.Ordinal) is var finished and >= 0
                                             && watch.Output.LastIndexOf(Waiting, StringComparison.Ordinal) > finished, CycleTime), watch.Output);
        Assert.True(project.FileExists("out/extra.txt"));

        watch.SignalGroup("INT");
        var ended = project.Result(watch.WaitForExit(CycleTime));
        Assert.True(ended.ExitCode == 0, ended.Output);

        // What the watch compiled, fingerprinted and ran is what a plain build sees: nothing to do.
        var after = project.Build();
        after.Succeeded();
        Assert.Empty(after.Ran);
        Assert.Contains("Dag: nothing to run", after.Output);
    }

    [Fact]
    public void A_compile_error_a_failing_task_and_a_wrong_declaration_end_a_cycle_not_the_watch()
    {
        var project = Analysis();
        using var watch = project.Start("-t:DagWatch");
        WaitForCycle(watch, 1);
        Ran(project);

        project.WriteFile("Fit.cs", "namespace Analysis; public class Fit { public void Run() { int x = } }");
        WaitForCycle(watch, 2);
        Assert.True(Regex.IsMatch(watch.Output, @"Fit\.cs\(1,\d+\): error CS\d+"), watch.Output);
        Assert.True(watch.Output.Contains("Dag: the project did not compile (2 errors); fix it and save", StringComparison.Ordinal), watch.Output);
        Assert.Empty(Ran(project));

        project.AddTask("Fit", """throw new InvalidOperationException("no model");""");
        WaitForCycle(watch, 3);
        Assert.Contains("no model", watch.Output);
        Assert.Contains("Dag:   Report: not run: upstream Fit failed", watch.Output);

        project.Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Lode" Inputs="out/raw.txt" Outputs="out/fit.txt" />
            """);
        WaitForCycle(watch, 4);
        Assert.Contains("error DAG003", watch.Output);
        Assert.Contains("Dag: the project did not build", watch.Output);

        // Ended after a failed cycle: the build fails, and says why.
        watch.SignalGroup("INT");
        var ended = project.Result(watch.WaitForExit(CycleTime));
        Assert.NotEqual(0, ended.ExitCode);
        Assert.Contains("error DAG042", ended.Output);
    }

    [Fact]
    public void A_save_that_fixes_a_running_task_that_never_returns_restarts_it_and_Ctrl_C_then_interrupts_the_running_task()
    {
        var project = Analysis();
        using var watch = project.Start("-t:DagWatch", "-p:DagJobs=2");
        WaitForCycle(watch, 1);
        Ran(project);

        // Fit never returns; Plot, which the saves below do not concern, runs beside it and finishes.
        project.AddTask("Fit", """Console.WriteLine("spinning"); while (true) { }""")
            .AddTask("Plot", """Thread.Sleep(1500); File.WriteAllText("out/plot.txt", File.ReadAllText("data/style.txt"));""")
            .WriteFile("data/style.txt", "red\n");
        Assert.True(watch.WaitForOutput("Fit: spinning", CycleTime), watch.Output);

        project.AddTask("Fit", FitBody("fixed "));
        Assert.True(watch.WaitForOutput("Dag: Fit.cs saved while Fit runs: restarting it", TimeSpan.FromSeconds(10)), watch.Output);
        WaitForCycle(watch, 3);
        Assert.Equal("fixed 1\n", project.ReadFile("out/report.txt"));
        Assert.Equal("red\n", project.ReadFile("out/plot.txt"));
        // The next cycle ran Fit with the fix, and its downstream. (Not read from ran.txt: tasks running at once append to
        // it from two processes, and .NET's append is a seek and a write, so a line can be lost.)
        var restarted = watch.Output.IndexOf("Dag: Fit.cs saved while Fit runs: restarting it", StringComparison.Ordinal);
        Assert.Contains("Dag: Fit finished", watch.Output[restarted..]);
        Assert.Contains("Dag: Report finished", watch.Output[restarted..]);
        Ran(project);

        // Ctrl+C while a task runs: it is interrupted, the cycle's summary and report say so, and the watch fails.
        project.AddTask("Fit", """Console.WriteLine("spinning again"); while (true) { }""");
        Assert.True(watch.WaitForOutput("Fit: spinning again", CycleTime), watch.Output);
        watch.SignalGroup("INT");
        var ended = project.Result(watch.WaitForExit(CycleTime));
        Assert.Equal(1, ended.ExitCode);
        Assert.Contains("error DAG023: Task 'Fit' was interrupted", ended.Output);
        Assert.False(ended.Output.Contains("DAG030", StringComparison.Ordinal), ended.Output);
        Assert.Matches(@"Dag: (\d+ up to date, )?1 interrupted, 1 not run in", ended.Output);
        Assert.Equal(new Dictionary<string, string> { ["Fit"] = "interrupted", ["Report"] = "not-run" },
            ended.Report!.Tasks.Where(t => t.Status != "up-to-date").ToDictionary(t => t.Name, t => t.Status));
    }

    [Fact]
    public void A_watch_recovers_from_a_deleted_obj_folder_and_outputs_and_from_a_project_file_saved_just_after_a_new_source()
    {
        var project = Analysis();
        using var watch = project.Start("-t:DagWatch");
        WaitForCycle(watch, 1);
        Ran(project);

        // dotnet clean, git clean -fdx: the build's own files and the outputs are gone. A code save compiles again, and runs everything.
        Directory.Delete(project.PathOf("obj"), recursive: true);
        Directory.Delete(project.PathOf("out"), recursive: true);
        project.AddTask("Fit", FitBody("fit 2"));
        WaitForCycle(watch, 2);
        Assert.Equal(["Load", "Fit", "Plot", "Report"], Ran(project));
        Assert.Equal("fit 21\n", project.ReadFile("out/report.txt"));

        // Then the same with bin/ too, and a data save.
        Directory.Delete(project.PathOf("obj"), recursive: true);
        Directory.Delete(project.PathOf("bin"), recursive: true);
        File.Delete(project.PathOf("out/plot.txt"));
        project.WriteFile("data/raw.csv", "3\n");
        WaitForCycle(watch, 3);
        Assert.Equal(["Load", "Fit", "Plot", "Report"], Ran(project));
        Assert.Equal("fit 23\n", project.ReadFile("out/report.txt"));

        // A new task class, and the project file that declares it moments later, while the watch's child build restores
        // and builds: no cycle asks for 'dotnet restore' (before the fix, each of these gave DAG006 on this machine).
        const string declared = """
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/fit.txt" />
            <DagTask Include="Plot" DependsOn="Load" Inputs="out/raw.txt;data/style.txt" Outputs="out/plot.txt" />
            <DagTask Include="Report" DependsOn="Fit" Inputs="out/fit.txt" Outputs="out/report.txt" />
            """;
        var extras = "";
        foreach (var (extra, delay) in new[] { ("ExtraA", 500), ("ExtraB", 800) })
        {
            var cycles = Count(watch.Output, Waiting);
            project.AddTask(extra, $$"""File.WriteAllText("out/{{extra}}.txt", "x");""");
            Thread.Sleep(delay);
            extras += $"""<DagTask Include="{extra}" DependsOn="Report" Outputs="out/{extra}.txt" />""";
            project.Declare(declared + extras);
            WaitForCycle(watch, cycles + 2);
            Assert.True(SpinWait.SpinUntil(() => project.FileExists($"out/{extra}.txt"), CycleTime), watch.Output);
        }
        Assert.DoesNotContain("DAG006", watch.Output);
        Assert.DoesNotContain("DAG005", watch.Output);
        Assert.DoesNotContain("dotnet restore", watch.Output);
        Assert.DoesNotContain("fix it and save", watch.Output);
    }

    [Fact]
    public void A_target_the_project_adds_to_DagDependsOn_runs_before_every_cycle_as_before_every_build()
    {
        // Fetch stands for a download: it copies remote/raw.csv, which no task declares, to the data Load reads.
        var project = Analysis().Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Load" Inputs="out/raw.txt" Outputs="out/fit.txt" />
            <DagTask Include="Plot" DependsOn="Load" Inputs="out/raw.txt;data/style.txt" Outputs="out/plot.txt" />
            <DagTask Include="Report" DependsOn="Fit" Inputs="out/fit.txt" Outputs="out/report.txt" />
            </ItemGroup>
            <Target Name="Fetch">
              <Copy SourceFiles="remote/raw.csv" DestinationFiles="data/raw.csv" SkipUnchangedFiles="true" />
            </Target>
            <ItemGroup>
            """, "<DagDependsOn>Fetch</DagDependsOn>")
            .WriteFile("remote/raw.csv", "1\n");
        using var watch = project.Start("-t:DagWatch");
        WaitForCycle(watch, 1);
        Ran(project);

        // A save of a file the watch watches starts a cycle; the cycle fetches first, and the new data runs Load.
        project.WriteFile("remote/raw.csv", "5\n").WriteFile("data/style.txt", "red\n");
        WaitForCycle(watch, 2);

        Assert.Equal(["Load", "Fit", "Plot", "Report"], Ran(project));
        Assert.Equal("5\n", project.ReadFile("out/raw.txt"));
    }

    private static void WaitForCycle(RunningCommand watch, int cycles)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Count(watch.Output, Waiting) < cycles)
        {
            Assert.True(clock.Elapsed < CycleTime && !watch.HasExited, $"The watch did not finish cycle {cycles}.\n{watch.Output}");
            Thread.Sleep(50);
        }
    }

    // The tasks that ran since the last look, which forgets them.
    private static IReadOnlyList<string> Ran(DagProject project)
    {
        var ran = project.Ran;
        if (project.FileExists("ran.txt")) File.Delete(project.PathOf("ran.txt"));
        return ran;
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    // Load reads data/raw.csv and writes out/raw.txt, which Fit reads.
    private DagProject Pipeline() => feed.CreateProject("watch")
        .Declare("""
            <DagTask Include="Load" Inputs="data/raw.csv;data/extra/*.csv" Outputs="out/raw.txt" />
            <DagTask Include="Fit" DependsOn="Load" Inputs="out/raw.txt" />
            """)
        .WriteFile("data/raw.csv", "1\n")
        .AddTask("Load", """Directory.CreateDirectory("out"); File.Copy("data/raw.csv", "out/raw.txt", true);""")
        .AddTask("Fit");

    [Fact]
    public void The_data_files_no_task_writes_are_watched_and_the_files_tasks_write_are_not()
    {
        var project = Pipeline();
        project.Build("-p:DagRun=false").Succeeded();

        var watched = Dotnet.Run(project.Directory, ["msbuild", project.ProjectFile, "-getItem:Watch", "-nologo"]);

        Assert.Equal(0, watched.ExitCode);
        Assert.Contains("\"Identity\": \"data/raw.csv\"", watched.Output);
        Assert.DoesNotContain("out/raw.txt", watched.Output);
    }

    [Fact]
    public void Saving_a_data_file_under_dotnet_watch_re_runs_its_reader()
    {
        var project = Pipeline();
        project.Build().Succeeded();

        using var watch = Dotnet.Start(project.Directory, ["watch", "--non-interactive", "build"],
            new Dictionary<string, string?> { ["DOTNET_WATCH_SUPPRESS_EMOJIS"] = "1", ["DOTNET_USE_POLLING_FILE_WATCHER"] = "1" }, newProcessGroup: true);
        try
        {
            // dotnet watch takes the files' state when the build has exited and it says it waits: a save before that is never seen.
            Assert.True(watch.WaitForOutput("Dag: nothing to run", TimeSpan.FromMinutes(2)), watch.Output);
            Assert.True(watch.WaitForOutput("Waiting for a file to change", TimeSpan.FromMinutes(1)), watch.Output);
            project.WriteFile("data/raw.csv", "2\n");

            Assert.True(watch.WaitForOutput("Load started (input changed: data/raw.csv)", TimeSpan.FromMinutes(2)), watch.Output);
            Assert.True(watch.WaitForOutput("Fit started (input changed: out/raw.txt)", TimeSpan.FromMinutes(1)), watch.Output);
            Assert.Equal("2\n", project.ReadFile("out/raw.txt"));
        }
        finally
        {
            // Ctrl+C ends dotnet watch and the build it runs; disposing kills whatever is left.
            watch.SignalGroup("INT");
        }
    }
}
