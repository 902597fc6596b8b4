using System.Text.Json;

namespace Dagdog.Build.Tests;

/// <summary>
/// Task families through Dagdog's MSBuild tasks, with real workers: instances over files, items and a parent's outputs,
/// what runs when they change, the bad inputs, selections, the listing, the picture, the reset, the cache.
/// </summary>
public class FamilySpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    // Fit per species file; Report aggregates the fits.
    private BuildProject Penguins(string fit = "", string report = "") => projects.CreateProject("penguins")
        .Declare($"""
            <DagTask Include="Fit" ForEach="data/{"{"}species{"}"}.csv" Outputs="out/fit/{"{"}species{"}"}.json" {fit} />
            <DagTask Include="Report" DependsOn="Fit" Inputs="out/fit/{"{"}species{"}"}.json" Outputs="out/report.md" {report} />
            """)
        .WriteFile("data/adelie.csv", "a")
        .WriteFile("data/gentoo.csv", "g")
        .WriteFile("Fit.cs", """
            public class Fit
            {
                public void Run(string species)
                {
                    File.AppendAllText("ran.txt", $"Fit[{species}]\n");
                    if (File.ReadAllText($"data/{species}.csv") == "fail") throw new InvalidDataException($"no data for {species}");
                    Directory.CreateDirectory("out/fit");
                    File.WriteAllText($"out/fit/{species}.json", File.ReadAllText($"data/{species}.csv").ToUpperInvariant());
                }
            }
            """)
        .WriteFile("Report.cs", """
            public class Report
            {
                public void Run(IReadOnlyList<string> species)
                {
                    File.AppendAllText("ran.txt", "Report\n");
                    Directory.CreateDirectory("out");
                    File.WriteAllText("out/report.md", string.Join(",", species.Select(s => File.ReadAllText($"out/fit/{s}.json"))));
                }
            }
            """);

    [Fact]
    public void Each_instance_runs_and_is_counted_then_the_aggregator_and_a_second_build_runs_nothing()
    {
        var project = Penguins();

        var first = project.Build().Succeeded();

        Assert.Equal(["Fit[adelie]", "Fit[gentoo]", "Report"], first.Ran);
        Assert.Equal(["Fit[adelie]", "Fit[gentoo]", "Report"], first.Started);
        Assert.Equal("never ran", first.ReasonFor("Fit[adelie]"));
        Assert.Equal("never ran", first.ReasonFor("Report"));
        Assert.Equal("A,G", project.ReadFile("out/report.md"));
        var fit = first.Report!.Tasks.Single(t => t.Name == "Fit");
        Assert.Equal("ran", fit.Status);
        Assert.Equal(["Fit[adelie]", "Fit[gentoo]"], fit.Instances!.Select(i => i.Name));
        Assert.Equal(["adelie", "gentoo"], fit.Instances!.Select(i => i.Key));
        // The instances' records are lines of their family's journal, and a run that printed nothing leaves no log.
        Assert.True(project.FileExists("obj/dag/stamps/Fit/instances.journal"));
        Assert.False(project.FileExists("obj/dag/stamps/Fit/adelie.stamp"));
        Assert.False(project.FileExists("obj/dag/logs/Fit/adelie.log"));

        var second = project.Build().Succeeded();
        Assert.Empty(second.Ran);
        Assert.Equal(["up-to-date", "up-to-date", "up-to-date"], new[] { "Fit[adelie]", "Fit[gentoo]", "Report" }.Select(task => second.Reported(task).Status));
    }

    [Fact]
    public void A_family_moved_to_another_folder_without_a_restore_is_DAG006_and_the_restoring_build_watches_the_new_folder()
    {
        var project = Penguins();
        project.Build().Succeeded();

        // Only ForEach changes: the generated targets still watch data/*.csv and leave raw/*.csv to the .NET SDK's None items.
        project.WriteFile("raw/adelie.csv", "a").WriteFile("raw/gentoo.csv", "g")
            .WriteFile("Analysis.csproj", project.ReadFile("Analysis.csproj").Replace("ForEach=\"data/", "ForEach=\"raw/"));
        Assert.Contains("The DagTask declarations changed", project.Build("--no-restore").FailedWith("DAG006"));

        project.Build().Succeeded();
        var watched = project.LastProject!.GetItems("Watch").Select(item => item.EvaluatedInclude).ToList();
        Assert.Contains("raw/adelie.csv", watched);
        Assert.DoesNotContain("data/adelie.csv", watched);
    }

    [Fact]
    public void An_edited_a_new_and_a_removed_file_each_run_their_instance_alone_then_the_aggregator()
    {
        var project = Penguins();
        project.Build().Succeeded();

        project.WriteFile("data/gentoo.csv", "g2");
        var edited = project.Build().Succeeded();
        Assert.Equal(["Fit[gentoo]", "Report"], edited.Ran);
        Assert.Equal("input changed: data/gentoo.csv", edited.ReasonFor("Fit[gentoo]"));

        project.WriteFile("data/chinstrap.csv", "c");
        File.SetLastWriteTimeUtc(project.PathOf("data/chinstrap.csv"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var added = project.Build().Succeeded();
        Assert.Equal(["Fit[chinstrap]", "Report"], added.Ran);
        Assert.Equal("instance added: chinstrap", added.ReasonFor("Report"));

        File.Delete(project.PathOf("data/adelie.csv"));
        var removed = project.Build().Succeeded();
        Assert.Equal(["Report"], removed.Ran);
        Assert.Contains("Dag: Fit[adelie] forgotten: its instance no longer exists; deleted out/fit/adelie.json", removed.Output);
        Assert.False(project.FileExists("out/fit/adelie.json"));
        Assert.Equal("C,G2", project.ReadFile("out/report.md"));
    }

    [Fact]
    public void A_folder_whose_files_are_all_gone_keeps_every_result_and_fails_then_its_return_runs_nothing_and_DagForget_forgets()
    {
        var project = Penguins();
        project.Build().Succeeded();

        // The data folder unmounted, or another branch: nothing is deleted, and the build says what happened.
        Directory.Move(project.PathOf("data"), project.PathOf("data-away"));
        var vanished = project.Build();
        var error = vanished.FailedWith("DAG043");
        Assert.Contains("Task 'Fit' had 2 instance(s), but ForEach=\"data/{species}.csv\" matches nothing now: the folder data/ does not exist. Its records and outputs are kept", error);
        Assert.Contains("-p:DagForget=Fit", error);
        Assert.Empty(vanished.Ran);
        Assert.Equal("failed", vanished.Statuses["Fit"]);
        Assert.Equal(("A", "G"), (project.ReadFile("out/fit/adelie.json"), project.ReadFile("out/fit/gentoo.json")));
        Assert.Equal("A,G", project.ReadFile("out/report.md"));

        // Back: nothing runs.
        Directory.Move(project.PathOf("data-away"), project.PathOf("data"));
        Assert.Empty(project.Build().Succeeded().Ran);

        // An empty folder is the same; asked for by name, the instances are forgotten and their outputs go.
        Directory.Move(project.PathOf("data"), project.PathOf("data-away"));
        Directory.CreateDirectory(project.PathOf("data"));
        Assert.Contains("nothing in data/ matches", project.Build().FailedWith("DAG043"));
        var forgotten = project.Build("-p:DagForget=Fit").Succeeded();
        Assert.Contains("Dag: Fit[adelie] forgotten: its instance no longer exists; deleted out/fit/adelie.json", forgotten.Output);
        Assert.Equal(["Report"], forgotten.Ran);
        Assert.False(project.FileExists("out/fit/gentoo.json"));
        Assert.Contains("DAG039", project.Build().Succeeded().Output);
    }

    [Fact]
    public void Two_instances_whose_outputs_are_one_file_are_DAG024_and_neither_runs_over_files_and_over_items_crossed()
    {
        var files = projects.CreateProject("collide-files")
            .Declare("""<DagTask Include="Fit" ForEach="data/{a}/{b}.csv" Outputs="out/{a}_{b}.txt" />""")
            .WriteFile("data/x_y/z.csv", "1").WriteFile("data/x/y_z.csv", "2")
            .WriteFile("Fit.cs", """public class Fit { public void Run(string a, string b) { File.AppendAllText("ran.txt", $"Fit[{a}:{b}]\n"); } }""");

        Assert.Contains("Task 'Fit' has the instances 'Fit[x:y_z]' and 'Fit[x_y:z]', which would both write 'out/x_y_z.txt' (Outputs=\"out/{a}_{b}.txt\"), so neither runs",
            files.Build().FailedWith("DAG024"));
        Assert.Empty(files.Ran);

        var items = projects.CreateProject("collide-items")
            .Declare("""
                <DagTask Include="Fit" ForEachItem="Model;Seed" Outputs="out/{Model}{Seed}.txt" />
                <Model Include="a" /><Model Include="a1" />
                <Seed Include="12" /><Seed Include="2" />
                """)
            .WriteFile("Fit.cs", """public class Fit { public void Run(string model, string seed) { File.AppendAllText("ran.txt", "Fit\n"); } }""");

        Assert.Contains("which would both write 'out/a12.txt'", items.Build().FailedWith("DAG024"));
        Assert.Empty(items.Ran);
    }

    [Fact]
    public void A_family_and_a_task_that_can_write_one_file_are_DAG024_before_anything_runs()
    {
        var project = Penguins().Declare("""
            <DagTask Include="Fit" ForEach="data/{species}.csv" Outputs="out/fit/{species}.json" />
            <DagTask Include="Report" DependsOn="Fit" Inputs="out/fit/{species}.json" Outputs="out/fit/summary.json" />
            """);

        Assert.Contains("Tasks 'Fit' and 'Report' can both write one file: 'out/fit/{species}.json' of 'Fit' can name 'out/fit/summary.json' of 'Report'",
            project.Build().FailedWith("DAG024"));
        Assert.Empty(project.Ran);
    }

    [Fact]
    public void An_instance_that_comes_back_as_it_was_is_restored_from_its_forgotten_results_and_changed_it_runs()
    {
        var project = Penguins();
        project.Build().Succeeded();

        File.Move(project.PathOf("data/adelie.csv"), project.PathOf("adelie.csv"));
        var removed = project.Build().Succeeded();
        Assert.Contains("Dag: Fit[adelie] forgotten: its instance no longer exists; deleted out/fit/adelie.json (kept in obj/dag/forgotten: it is restored if it comes back as it was)", removed.Output);
        Assert.False(project.FileExists("out/fit/adelie.json"));

        // Renamed back, or a branch switched back: restored, not run; the aggregator runs for the instance that came
        // back. The dry run and DagList say so first.
        File.Move(project.PathOf("adelie.csv"), project.PathOf("data/adelie.csv"));
        Assert.Contains("Dag: would restore from its forgotten results 0:Fit[adelie] (never ran)", project.Build("-p:DagDryRun=true").Succeeded().Output);
        Assert.Matches(@"0\s+Fit\[adelie\]\s+-\s+would restore from its forgotten results \(never ran\)", project.Build("-t:DagList", "-p:DagFrom=Fit").Succeeded().Output);
        var back = project.Build().Succeeded();
        Assert.Equal(["Report"], back.Ran);
        Assert.Contains("Dag: [1/2] Fit[adelie] restored from its forgotten results (never ran; restored as it was when forgotten moments ago;", back.Output);
        Assert.Equal("restored", back.Report!.Tasks.Single(t => t.Name == "Fit").Instances!.Single(i => i.Key == "adelie").Status);
        Assert.Equal("A", project.ReadFile("out/fit/adelie.json"));
        Assert.Empty(project.Build().Succeeded().Ran);

        // Back with other data: it runs.
        File.Move(project.PathOf("data/adelie.csv"), project.PathOf("adelie.csv"));
        project.Build().Succeeded();
        project.WriteFile("data/adelie.csv", "a2");
        Assert.Equal(["Fit[adelie]", "Report"], project.Build().Succeeded().Ran);
        Assert.Equal("A2", project.ReadFile("out/fit/adelie.json"));
    }

    [Fact]
    public void Outputs_that_cannot_be_kept_when_their_instance_goes_stay_in_place_with_a_warning()
    {
        var project = Penguins();
        project.Build().Succeeded();
        // Something the store cannot be made in: keeping fails, so nothing may be deleted.
        File.WriteAllText(project.PathOf("obj/dag/forgotten"), "not a folder");

        File.Move(project.PathOf("data/adelie.csv"), project.PathOf("adelie.csv"));
        var removed = project.Build().Succeeded();

        Assert.True(project.FileExists("out/fit/adelie.json"));
        Assert.Contains(removed.Warnings, w => w.Contains("warning DAG040") && w.Contains("could not be kept in obj/dag/forgotten") && w.Contains("so it was left in place"));
    }

    [Fact]
    public void Forgotten_results_beyond_DagForgottenLimit_go_oldest_first_and_DagForget_empties_a_family_s()
    {
        // Each fit writes 600 KB: two kept fits are over a limit of 1 MB.
        var project = Penguins().WriteFile("Fit.cs", """
            public class Fit
            {
                public void Run(string species)
                {
                    File.AppendAllText("ran.txt", $"Fit[{species}]\n");
                    Directory.CreateDirectory("out/fit");
                    File.WriteAllText($"out/fit/{species}.json", new string(species[0], 600_000));
                }
            }
            """).WriteFile("data/chinstrap.csv", "c");
        project.Build().Succeeded();

        File.Move(project.PathOf("data/adelie.csv"), project.PathOf("adelie.csv"));
        project.Build("-p:DagForgottenLimit=1").Succeeded();
        Thread.Sleep(20);
        File.Move(project.PathOf("data/gentoo.csv"), project.PathOf("gentoo.csv"));
        Assert.Contains("Dag: forgotten results: removed the 1 oldest, over the DagForgottenLimit of 1 MB", project.Build("-p:DagForgottenLimit=1").Succeeded().Output);

        File.Move(project.PathOf("adelie.csv"), project.PathOf("data/adelie.csv"));
        File.Move(project.PathOf("gentoo.csv"), project.PathOf("data/gentoo.csv"));
        Assert.Equal(["Fit[adelie]", "Report"], project.Build().Succeeded().Ran);

        // Forgetting by name keeps nothing, and empties what was kept.
        File.Move(project.PathOf("data/adelie.csv"), project.PathOf("adelie.csv"));
        project.Build().Succeeded();
        Directory.Move(project.PathOf("data"), project.PathOf("data-away"));
        project.Build("-p:DagForget=Fit").Succeeded();
        Directory.Move(project.PathOf("data-away"), project.PathOf("data"));
        File.Move(project.PathOf("adelie.csv"), project.PathOf("data/adelie.csv"));
        Assert.Equal(["Fit[adelie]", "Fit[chinstrap]", "Fit[gentoo]", "Report"], project.Build().Succeeded().Ran.Order());
    }

    [Fact]
    public void DagForget_naming_a_task_that_is_not_a_family_is_DAG027() =>
        Assert.Contains("DagForget names 'Report', which is not a task family of this project", Penguins().Build("-p:DagForget=Report").FailedWith("DAG027"));

    [Fact]
    public void A_failing_instance_fails_the_build_its_siblings_keep_their_runs_and_only_it_runs_next()
    {
        var project = Penguins().WriteFile("data/chinstrap.csv", "fail");

        var failed = project.Build("-p:DagKeepGoing=true");

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("error DAG010: Task 'Fit[chinstrap]' failed after", failed.Output);
        Assert.Equal(["Fit[adelie]", "Fit[chinstrap]", "Fit[gentoo]"], failed.Ran);
        Assert.Equal("not-run", failed.Statuses["Report"]);

        project.WriteFile("data/chinstrap.csv", "c");
        Assert.Equal(["Fit[chinstrap]", "Report"], project.Build().Succeeded().Ran);
    }

    [Fact]
    public void Re_running_every_instance_with_byte_identical_outputs_leaves_the_aggregator_up_to_date()
    {
        var project = Penguins();
        project.Build().Succeeded();

        var forced = project.Build("-p:Dag=Fit").Succeeded();
        Assert.Equal(["Fit[adelie]", "Fit[gentoo]"], forced.Ran);

        Assert.Empty(project.Build().Succeeded().Ran);
    }

    [Theory]
    [InlineData("-p:Dag=Fit[adelie]", new[] { "Fit[adelie]" })]
    [InlineData("-p:Dag=0[adelie]", new[] { "Fit[adelie]" })]
    [InlineData("-p:Dag=Fit[adelie]+", new[] { "Fit[adelie]", "Report" })]
    [InlineData("-p:Dag=(Fit[adelie])+", new[] { "Report" })]
    [InlineData("-p:Dag=+Fit[gentoo]", new[] { "Fit[gentoo]" })]
    [InlineData("-p:Dag=+(Fit[gentoo])", new string[0])]
    [InlineData("-p:Dag=Fit[g*]", new[] { "Fit[gentoo]" })]
    [InlineData("-p:DagFrom=Fit -p:DagInstance=ADELIE -p:DagMode=Only", new[] { "Fit[adelie]" })]
    [InlineData("-p:DagFrom=Fit -p:DagInstance=adelie -p:DagMode=Downstream -p:DagExclusive=true", new[] { "Report" })]
    public void Every_selection_form_names_an_instance_and_the_dry_run_says_what_the_run_does(string selection, string[] expected)
    {
        var project = Penguins();
        project.Build().Succeeded();
        project.WriteFile("data/gentoo.csv", "g2");
        var arguments = selection.Split(' ');

        var dry = project.Build([.. arguments, "-p:DagDryRun=true"]).Succeeded();
        var real = project.Build(arguments).Succeeded();

        Assert.Equal(expected, real.Ran);
        Assert.Equal(expected, dry.WouldRun);
    }

    [Fact]
    public void An_unknown_key_names_the_nearest_one_and_a_key_on_a_task_that_is_not_a_family_is_an_error()
    {
        var project = Penguins();
        project.Build().Succeeded();

        Assert.Contains("Task 'Fit' has no instance 'adelei'. Did you mean 'Fit[adelie]'?", project.Build("-p:Dag=Fit[adelei]").FailedWith("DAG038"));
        Assert.Contains("names the instance 'x' of task 'Report', which is not a family", project.Build("-p:Dag=Report[x]").FailedWith("DAG038"));
    }

    [Fact]
    public void DagList_counts_a_family_s_instances_lists_them_for_DagFrom_and_in_JSON_and_DagGraph_draws_one_node()
    {
        var project = Penguins();
        project.Build().Succeeded();
        project.WriteFile("data/gentoo.csv", "g2");

        var table = project.Build("-t:DagList").Succeeded();
        Assert.Matches(@"0\s+Fit \(2 instances\)\s+-\s+1 of 2 instance\(s\) would run \(Fit\[gentoo\]: input changed: data/gentoo.csv\)", table.Output);
        var instances = project.Build("-t:DagList", "-p:DagFrom=Fit").Succeeded();
        Assert.Matches(@"0\s+Fit\[adelie\]\s+-\s+up to date", instances.Output);
        Assert.Matches(@"0\s+Fit\[gentoo\]\s+-\s+input changed: data/gentoo.csv", instances.Output);

        var json = JsonDocument.Parse(project.Build("-t:DagList", "-getProperty:DagListJson").Succeeded().Output).RootElement.GetProperty("tasks")[0];
        var listed = json.GetProperty("instances").EnumerateArray().ToList();
        Assert.Equal(["adelie", "gentoo"], listed.Select(i => i.GetProperty("key").GetString()));
        Assert.Equal([true, false], listed.Select(i => i.GetProperty("upToDate").GetBoolean()));
        Assert.True(listed[0].GetProperty("lastRun").GetProperty("succeeded").GetBoolean());

        Assert.Contains("t0[\"0: Fit ×2\"]:::willRun", project.Build("-t:DagGraph", "-getProperty:DagGraph").Succeeded().Output);
    }

    [Fact]
    public void DagReset_forgets_one_instance_or_a_whole_family()
    {
        var project = Penguins();
        project.Build().Succeeded();

        Assert.Contains("Dag: forgot the runs of Fit[adelie]", project.Build("-t:DagReset", "-p:DagFrom=Fit", "-p:DagInstance=adelie").Succeeded().Output);
        Assert.Equal(["Fit[adelie]"], project.Build().Succeeded().Ran);

        project.Build("-t:DagReset", "-p:DagFrom=Fit").Succeeded();
        Assert.Equal(["Fit[adelie]", "Fit[gentoo]"], project.Build().Succeeded().Ran);
    }

    [Fact]
    public void The_shared_cache_restores_one_instance()
    {
        var store = System.IO.Directory.CreateDirectory(Path.Combine(projects.Root, $"cache-{Guid.NewGuid():N}")).FullName;
        var project = Penguins();
        project.Build($"-p:DagCache={store}").Succeeded();
        project.Build("-t:DagReset", "-p:DagFrom=Fit", "-p:DagInstance=gentoo").Succeeded();
        File.Delete(project.PathOf("out/fit/gentoo.json"));

        var restored = project.Build($"-p:DagCache={store}").Succeeded();

        Assert.Empty(restored.Ran);
        Assert.Matches(@"Dag: \[1/\d\] Fit\[gentoo\] restored from cache \(never ran;", restored.Output);
        Assert.Equal("G", project.ReadFile("out/fit/gentoo.json"));
    }

    [Fact]
    public void Restore_s_evaluations_take_a_family_s_excludes_and_none_of_the_task_targets()
    {
        var project = projects.CreateProject("restore")
            .Declare("""
                <DagTask Include="Fit" ForEach="data/{species}.csv" Outputs="out/fit/{species}.txt" />
                <DagTask Include="Report" DependsOn="Fit" Inputs="out/fit/{species}.txt" Outputs="out/report.txt" />
                """)
            .AddTasks("Fit", "Report");
        project.Build("-t:DagList").Succeeded();

        // The second restore evaluates what the first one generated.
        project.Build("-t:DagList").Succeeded();

        var restore = project.LastRestore!;
        Assert.Contains("data/*.csv", restore.GetPropertyValue("DefaultItemExcludes").Split(';'));
        Assert.Contains("out/fit/*.txt", restore.GetPropertyValue("DefaultItemExcludes").Split(';'));
        Assert.DoesNotContain("Dag_Fit", restore.Targets.Keys);
        Assert.Empty(restore.GetPropertyValue("_DagGeneratedSignature"));
        Assert.Contains("Dag_Fit", project.LastProject!.Targets.Keys);
        Assert.Contains("data/*.csv", project.LastProject.GetPropertyValue("DefaultItemExcludes").Split(';'));
    }

    [Fact]
    public void A_family_over_files_and_one_over_items_with_child_element_metadata_follow_new_files_and_metadata_without_a_restore()
    {
        var project = projects.CreateProject("family")
            .Declare("""
                <DagTask Include="Fit" ForEach="data/{species}.csv" Outputs="out/fit/{species}.txt" />
                <DagTask Include="Model" ForEachItem="Kind" Outputs="out/model/{kind}.txt" />
                <DagTask Include="Report" DependsOn="Fit;Model" Inputs="out/fit/{species}.txt" Outputs="out/report.txt" />
                <Kind Include="linear" Degree="1" />
                <Kind Include="cubic"><Degree>3</Degree></Kind>
                """)
            .WriteFile("data/adelie.csv", "a")
            .WriteFile("data/gentoo.csv", "g")
            .WriteFile("Fit.cs", """
                public class Fit
                {
                    public void Run(string species)
                    {
                        File.AppendAllText("ran.txt", $"Fit[{species}]\n");
                        Directory.CreateDirectory("out/fit");
                        File.WriteAllText($"out/fit/{species}.txt", File.ReadAllText($"data/{species}.csv"));
                    }
                }
                """)
            .WriteFile("Model.cs", """
                public class Model
                {
                    public void Run(string kind, int degree)
                    {
                        File.AppendAllText("ran.txt", $"Model[{kind}]\n");
                        Directory.CreateDirectory("out/model");
                        File.WriteAllText($"out/model/{kind}.txt", $"{kind} of degree {degree}");
                    }
                }
                """)
            .WriteFile("Report.cs", """
                public class Report
                {
                    public void Run(IReadOnlyList<string> species, IReadOnlyList<string> kind)
                    {
                        File.AppendAllText("ran.txt", "Report\n");
                        File.WriteAllText("out/report.txt", $"{string.Join(",", species)} / {string.Join(",", kind)}");
                    }
                }
                """);

        var first = project.Build().Succeeded();
        Assert.Equal(["Fit[adelie]", "Fit[gentoo]", "Model[cubic]", "Model[linear]", "Report"], first.Ran.Order());
        Assert.Equal("cubic of degree 3", project.ReadFile("out/model/cubic.txt"));
        Assert.Equal("adelie,gentoo / cubic,linear", project.ReadFile("out/report.txt"));
        Assert.Empty(project.Build("--no-restore").Succeeded().Ran);

        // A new data file and an edited metadata value: the generated targets are as they were, so no restore is needed.
        project.WriteFile("data/chinstrap.csv", "c");
        project.WriteFile("Analysis.csproj", project.ReadFile("Analysis.csproj").Replace("Degree=\"1\"", "Degree=\"2\""));
        var changed = project.Build("--no-restore").Succeeded();
        Assert.Equal(["Fit[chinstrap]", "Model[linear]", "Report"], changed.Ran.Order());
        Assert.Equal("parameter changed: Degree 1 -> 2", changed.ReasonFor("Model[linear]"));

        project.WriteFile("data/gentoo.csv", "g2");
        var target = project.Build("-t:Dag_Fit", "--no-restore").Succeeded();
        Assert.Equal(["Fit[gentoo]"], target.Ran);
        Assert.Equal(["Fit[adelie]"], project.Build("-t:Dag", "-p:Dag=Fit[adelie]", "--no-restore").Succeeded().Ran);
    }

    [Fact]
    public void Items_make_instances_crossed_with_their_metadata_and_an_edited_value_re_runs_that_instance_alone()
    {
        var project = projects.CreateProject("models")
            .Declare("""
                <DagTask Include="Model" ForEachItem="Kind;Seed" Outputs="out/{Kind}-{seed}.txt" />
                <Kind Include="linear" Degree="1" />
                <Kind Include="cubic" Degree="3" />
                <Seed Include="1;2" />
                """)
            .WriteFile("Model.cs", """
                public class Model
                {
                    public void Run(string kind, int degree, long seed)
                    {
                        File.AppendAllText("ran.txt", $"Model[{kind}:{seed}]\n");
                        Directory.CreateDirectory("out");
                        File.WriteAllText($"out/{kind}-{seed}.txt", $"{degree * seed}");
                    }
                }
                """);

        Assert.Equal(["Model[cubic:1]", "Model[cubic:2]", "Model[linear:1]", "Model[linear:2]"], project.Build().Succeeded().Ran);
        Assert.Equal("6", project.ReadFile("out/cubic-2.txt"));

        project.WriteFile("Analysis.csproj", project.ReadFile("Analysis.csproj").Replace("Degree=\"1\"", "Degree=\"2\""));
        var edited = project.Build().Succeeded();
        Assert.Equal(["Model[linear:1]", "Model[linear:2]"], edited.Ran);
        Assert.Equal("parameter changed: Degree 1 -> 2", edited.ReasonFor("Model[linear:1]"));
    }

    [Fact]
    public void A_Timeout_stops_one_instance_alone_and_Ctrl_C_interrupts_the_instance_that_runs()
    {
        BuildProject Sleepers(string name, string timeout) => projects.CreateProject(name)
            .Declare($"""
                <DagTask Include="Work" ForEachItem="Part" {timeout} />
                <Part Include="fast" Seconds="0" />
                <Part Include="slow" Seconds="60" />
                """)
            .WriteFile("Work.cs", """
                public class Work
                {
                    public void Run(string part, int seconds)
                    {
                        File.AppendAllText("ran.txt", $"Work[{part}]\n");
                        Thread.Sleep(seconds * 1000);
                    }
                }
                """);

        // The Timeout counts from the request, loading the task included: 4 s leave a loaded machine time to start the fast one.
        var timedOut = Sleepers("timeout", """Timeout="00:00:04" """).Build("-p:DagKeepGoing=true");
        Assert.Contains("Task 'Work[slow]' ran longer than its Timeout", timedOut.FailedWith("DAG022"));
        Assert.Equal(["ran", "failed"], timedOut.Report!.Tasks.Single().Instances!.Select(i => i.Status));

        var interrupted = Sleepers("ctrlc", "").BuildAndInterrupt("Work[slow] started");
        Assert.Contains("error DAG023: Task 'Work[slow]' was interrupted", interrupted.Output);
        Assert.Equal(["ran", "interrupted"], interrupted.Report!.Tasks.Single().Instances!.Select(i => i.Status));
    }

    [Fact]
    public void Ctrl_C_in_a_family_of_many_instances_ends_the_build_at_once_and_the_instances_not_started_are_not_run()
    {
        var project = projects.CreateProject("ctrlc-many")
            .Declare("""<DagTask Include="Work" ForEach="data/{part}.txt" />""")
            .WriteFile("Work.cs", """
                public class Work
                {
                    public void Run(string part)
                    {
                        File.AppendAllText("ran.txt", $"Work[{part}]\n");
                        Console.WriteLine("working");
                        Thread.Sleep(60_000);
                    }
                }
                """);
        for (var i = 0; i < 2_000; i++) project.WriteFile($"data/p{i:D4}.txt", "x");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var build = project.BuildAndInterrupt("Work[p0000]: working");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("Dag: 1 interrupted, 1999 not run in", build.Output);
        var instances = build.Report!.Tasks.Single().Instances!;
        Assert.Equal(("interrupted", 1999), (instances[0].Status, instances.Count(i => i.Status == "not-run")));
        Assert.DoesNotContain("DAG030", build.Output);
    }

    [Fact]
    public void A_metadata_value_that_does_not_parse_fails_that_instance_alone_naming_the_parameter()
    {
        var project = projects.CreateProject("badvalue")
            .Declare("""
                <DagTask Include="Model" ForEachItem="Kind" Outputs="out/{Kind}.txt" />
                <Kind Include="linear" Degree="1" />
                <Kind Include="cubic" Degree="three" />
                """)
            .WriteFile("Model.cs", """
                public class Model
                {
                    public void Run(string kind, int degree)
                    {
                        Directory.CreateDirectory("out");
                        File.WriteAllText($"out/{kind}.txt", $"{degree}");
                    }
                }
                """);

        var build = project.Build("-p:DagKeepGoing=true");

        Assert.Contains("Task 'Model[cubic]' failed after", build.FailedWith("DAG037"));
        Assert.Contains("Run's parameter 'degree' (Int32) cannot take the value 'three'", build.Output);
        Assert.Equal("1", project.ReadFile("out/linear.txt"));
    }

    [Fact]
    public void A_number_written_with_a_comma_or_an_enum_given_as_a_number_is_refused_naming_the_value_and_the_form()
    {
        var project = projects.CreateProject("forms")
            .Declare("""
                <DagTask Include="Model" ForEachItem="Kind" Outputs="out/{Kind}.txt" />
                <Kind Include="good" Rate="3.5" Shape="Wide" />
                <Kind Include="comma" Rate="3,5" Shape="Wide" />
                <Kind Include="number" Rate="1" Shape="1" />
                """)
            .WriteFile("Model.cs", """
                public enum Shape { Narrow, Wide }
                public class Model
                {
                    public void Run(string kind, decimal rate, Shape shape)
                    {
                        Directory.CreateDirectory("out");
                        File.WriteAllText($"out/{kind}.txt", $"{rate} {shape}");
                    }
                }
                """);

        var build = project.Build("-p:DagKeepGoing=true");

        Assert.Equal("3.5 Wide", project.ReadFile("out/good.txt"));
        Assert.Contains("Run's parameter 'rate' (Decimal) cannot take the value '3,5': write an optional sign, digits, one '.' and an exponent", build.Output);
        Assert.Contains("Run's parameter 'shape' (Shape) cannot take the value '1': write one of its names (Narrow, Wide), in any case; not a number", build.Output);
        Assert.Equal(["failed", "ran", "failed"], build.Report!.Tasks.Single().Instances!.Select(i => i.Status));
    }

    [Fact]
    public void A_Run_parameter_nothing_gives_a_value_fails_the_build_before_anything_runs()
    {
        var project = Penguins().WriteFile("Fit.cs", "public class Fit { public void Run(string specie) { } }");

        Assert.Contains("has Run's parameter 'specie', but no wildcard or item metadata is named 'specie' (there are: species)", project.Build().FailedWith("DAG037"));
        Assert.Empty(project.Ran);
    }

    [Theory]
    [InlineData("""<DagTask Include="Fit" ForEach="data/{species}/{year}.csv" Outputs="out/fit/{species}.json" />""",
        "Task 'Fit' declares the output 'out/fit/{species}.json' without the wildcard {year}: every instance would write that one file.")]
    [InlineData("""<DagTask Include="Fit" ForEach="data/{species}.csv" Inputs="islands/{island}.csv" Outputs="out/fit/{species}.json" />""",
        "Task 'Fit' has the input 'islands/{island}.csv' with the wildcard {island}, but its wildcards are {species}")]
    public void A_wrong_family_declaration_fails_the_build_before_anything_runs_naming_the_task(string declaration, string message)
    {
        var project = Penguins().Declare(declaration);

        var error = project.Build().FailedWith("DAG035");

        Assert.Contains(message, error);
        Assert.Contains("Analysis.csproj(", error);
        Assert.Empty(project.Ran);
    }

    [Theory]
    [InlineData("data/a,b.csv", "gets the key value 'a,b' for {species} from the file 'data/a,b.csv', which has the character ','")]
    // Braces are the wildcard syntax: a file named like a wildcard once made every build loop forever, past Ctrl+C.
    [InlineData("data/{species}.csv", "gets the key value '{species}' for {species} from the file 'data/{species}.csv', which has the character '{'")]
    [InlineData("data/a{b}.csv", "gets the key value 'a{b}' for {species} from the file 'data/a{b}.csv', which has the character '{'")]
    [InlineData("data/Adelie.csv", "has the instances 'Adelie' and 'adelie' (from 'data/Adelie.csv' and 'data/adelie.csv'), whose keys differ only in case")]
    public void A_file_that_makes_a_bad_key_fails_the_family_naming_the_file(string file, string message)
    {
        var project = Penguins().WriteFile(file, "x");

        Assert.Contains(message, project.Build().FailedWith("DAG036"));
        Assert.Empty(project.Ran);
    }

    [Fact]
    public void A_dynamic_family_with_a_bad_key_from_its_parent_fails_after_the_parent_ran()
    {
        var project = Chunks("""foreach (var name in new[] { "a", "b c ", "d" }) File.WriteAllText($"out/chunks/{name}.csv", name);""");

        var error = project.Build().FailedWith("DAG036");

        Assert.Contains("gets the key value 'b c ' for {chunk} from the file 'out/chunks/b c .csv', which begins or ends with a space", error);
        Assert.Equal(["Split"], project.Ran);
    }

    [Fact]
    public void A_dynamic_family_follows_its_parent_three_chunks_then_two()
    {
        var project = Chunks("""foreach (var name in File.ReadAllLines("data/all.txt")) File.WriteAllText($"out/chunks/{name}.csv", name);""")
            .WriteFile("data/all.txt", "a\nb\nc\n");
        var dry = project.Build("-p:DagDryRun=true").Succeeded();
        Assert.Contains("Dag: would run 1:Chunk (instances unknown until Split runs)", dry.Output);

        Assert.Equal(["Split", "Chunk[a]", "Chunk[b]", "Chunk[c]"], project.Build().Succeeded().Ran);

        project.WriteFile("data/all.txt", "a\nb\n");
        var second = project.Build().Succeeded();
        Assert.Equal(["Split"], second.Ran);
        Assert.Contains("Dag: Chunk[c] forgotten: its instance no longer exists; deleted out/done/c.txt", second.Output);
    }

    private BuildProject Chunks(string split) => projects.CreateProject("chunks")
        .Declare("""
            <DagTask Include="Split" Inputs="data/all.txt" Outputs="out/chunks/*.csv" />
            <DagTask Include="Chunk" DependsOn="Split" ForEach="out/chunks/{chunk}.csv" Outputs="out/done/{chunk}.txt" />
            """)
        .WriteFile("data/all.txt", "")
        .WriteFile("Split.cs", $$"""
            public class Split
            {
                public void Run()
                {
                    File.AppendAllText("ran.txt", "Split\n");
                    if (Directory.Exists("out/chunks")) Directory.Delete("out/chunks", true);
                    Directory.CreateDirectory("out/chunks");
                    {{split}}
                }
            }
            """)
        .WriteFile("Chunk.cs", """
            public class Chunk
            {
                public void Run(string chunk)
                {
                    File.AppendAllText("ran.txt", $"Chunk[{chunk}]\n");
                    Directory.CreateDirectory("out/done");
                    File.WriteAllText($"out/done/{chunk}.txt", "done");
                }
            }
            """);

    [Fact]
    public void A_family_over_a_family_s_outputs_runs_instance_by_instance_with_its_pair()
    {
        var project = Penguins(report: "").Declare("""
                <DagTask Include="Fit" ForEach="data/{species}.csv" Outputs="out/fit/{species}.json" />
                <DagTask Include="Plot" DependsOn="Fit" ForEach="out/fit/{species}.json" Outputs="out/plot/{species}.txt" />
                """)
            .WriteFile("Plot.cs", """
                public class Plot
                {
                    public void Run(string species)
                    {
                        File.AppendAllText("ran.txt", $"Plot[{species}]\n");
                        Directory.CreateDirectory("out/plot");
                        File.WriteAllText($"out/plot/{species}.txt", "plot");
                    }
                }
                """);
        project.Build().Succeeded();

        project.WriteFile("data/gentoo.csv", "g2");
        Assert.Equal(["Fit[gentoo]", "Plot[gentoo]"], project.Build().Succeeded().Ran);
    }

    [Theory]
    [InlineData("-p:Dag=Fit[adelie]+", new[] { "Fit[adelie]", "Plot[adelie]", "Summary" })]
    [InlineData("-p:Dag=(Fit[adelie])+", new[] { "Plot[adelie]", "Summary" })]
    [InlineData("-p:Dag=+Plot[chin*] -p:DagForce=true", new[] { "Fit[chinstrap]", "Plot[chinstrap]" })]
    [InlineData("-p:Dag=+Plot[gentoo] -p:DagForce=true", new[] { "Fit[gentoo]", "Plot[gentoo]" })]
    public void A_selection_of_one_instance_runs_the_paired_instances_of_the_families_along_it_not_the_whole_families(string selection, string[] expected)
    {
        var project = Penguins(report: "").Declare("""
                <DagTask Include="Fit" ForEach="data/{species}.csv" Outputs="out/fit/{species}.json" />
                <DagTask Include="Plot" DependsOn="Fit" ForEach="data/{species}.csv" Inputs="out/fit/{species}.json" Outputs="out/plot/{species}.txt" />
                <DagTask Include="Summary" DependsOn="Plot" Inputs="out/plot/{species}.txt" Outputs="out/summary.txt" />
                """)
            .WriteFile("data/chinstrap.csv", "c")
            .WriteFile("Plot.cs", """
                public class Plot
                {
                    public void Run(string species)
                    {
                        File.AppendAllText("ran.txt", $"Plot[{species}]\n");
                        Directory.CreateDirectory("out/plot");
                        File.WriteAllText($"out/plot/{species}.txt", "plot");
                    }
                }
                """)
            .WriteFile("Summary.cs", """
                public class Summary
                {
                    public void Run() { File.AppendAllText("ran.txt", "Summary\n"); File.WriteAllText("out/summary.txt", "s"); }
                }
                """);
        project.Build().Succeeded();
        var arguments = selection.Split(' ');

        var dry = project.Build([.. arguments, "-p:DagDryRun=true"]).Succeeded();
        var real = project.Build(arguments).Succeeded();

        Assert.Equal(expected, real.Ran);
        Assert.Equal(expected, dry.WouldRun);
        Assert.Equal(expected.Where(name => name.StartsWith("Plot[")),
            real.Report!.Tasks.Single(t => t.Name == "Plot").Instances!.Where(i => i.Status == "ran").Select(i => $"Plot[{i.Key}]"));
    }

    [Fact]
    public void An_empty_family_warns_and_its_aggregator_gets_an_empty_list_and_a_wildcard_stays_in_one_folder()
    {
        var project = Penguins();
        File.Delete(project.PathOf("data/adelie.csv"));
        File.Delete(project.PathOf("data/gentoo.csv"));
        project.WriteFile("data/sub/x.csv", "x");

        var build = project.Build().Succeeded();

        Assert.Contains("warning DAG039: Task 'Fit' has no instances: no file matches ForEach=\"data/{species}.csv\"", build.Output);
        Assert.Equal(["Report"], build.Ran);
        Assert.Equal("", project.ReadFile("out/report.md"));
    }

    [Fact]
    public void Keys_of_any_alphabet_and_of_more_than_255_bytes_run_and_are_recorded()
    {
        var longKey = new string('é', 200);
        var project = projects.CreateProject("keys")
            .Declare($"""
                <DagTask Include="Greet" ForEachItem="Name" />
                <Name Include="пингвин" />
                <Name Include="{longKey}" />
                """)
            .WriteFile("Greet.cs", """
                public class Greet
                {
                    public void Run(string name) => File.AppendAllText("ran.txt", $"Greet[{name.Length}]\n");
                }
                """);

        var first = project.Build().Succeeded();

        Assert.Equal(["Greet[200]", "Greet[7]"], first.Ran.Order());
        Assert.Contains("Dag: [2/2] Greet[пингвин] started (never ran)", first.Output);
        Assert.Empty(project.Build().Succeeded().Ran);
        Assert.Equal(["Greet[7]"], project.Build("-p:Dag=Greet[ПИНГВИН]").Succeeded().Ran);
    }

    [Fact]
    public void The_summary_names_the_slowest_instances_and_counts_the_rest()
    {
        var items = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"""<Part Include="p{i:00}" />"""));
        var project = projects.CreateProject("many")
            .Declare($"""
                <DagTask Include="Work" ForEachItem="Part" />
                {items}
                """)
            .WriteFile("Work.cs", "public class Work { public void Run(string part) { } }");

        var build = project.Build("-p:DagJobs=2").Succeeded();

        Assert.Contains("Dag: 40 ran in", build.Output);
        Assert.Contains("Dag:   ... and 30 more that ran, each faster than these", build.Output);
        Assert.Equal(10, build.Output.Split('\n').Count(line => line.Contains("Dag:   Work[p") && line.Contains(": ran in")));
    }
}
