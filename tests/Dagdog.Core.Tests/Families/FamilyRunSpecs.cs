using CsCheck;
using Dagdog.Cache;
using Dagdog.Code;
using Dagdog.Families;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Running;
using Dagdog.State;

namespace Dagdog.Tests.Families;

/// <summary>
/// Families run through the core's one path (<see cref="DagRun"/>) on real files and state, with an executor that does
/// what the tasks' Run() would: which instances run, why, what is recorded and forgotten.
/// </summary>
public sealed class FamilyRunSpecs : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dagdog-family-").FullName;
    private readonly StateLayout _layout;
    private readonly List<FamilyItem> _items = [];

    public FamilyRunSpecs() => _layout = new StateLayout(Path.Combine(_root, "obj", "dag"), _root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Does each task's work: Fit copies its species' data upper-cased, Plot copies Fit's output, Report joins its list.</summary>
    private sealed class Executor(string root, Func<RunRequest, string?>? fails = null) : ITaskExecutor
    {
        public List<RunRequest> Runs { get; } = [];

        public void Warm(int workers)
        {
        }

        public Task<Execution> Run(RunRequest request, RunNeeds needs, Action<LinePiece> output, Action<string> waiting, Action<string> endedAfterwards,
            CancellationToken interrupt)
        {
            lock (Runs) Runs.Add(request);
            if (fails?.Invoke(request) is { } error) return Task.FromResult<Execution>(new Execution.Finished(new RunResult(error, null, null, 0, 0, true)));
            string Arg(string name) => request.Arguments![name];
            void Write(string path, string text)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, path))!);
                File.WriteAllText(Path.Combine(root, path), text);
            }
            switch (request.Type)
            {
                case "Fit":
                    Write($"out/fit/{Arg("species")}.json", File.ReadAllText(Path.Combine(root, $"data/{Arg("species")}.csv")).ToUpperInvariant());
                    break;
                case "Plot":
                    Write($"out/plot/{Arg("species")}.png", File.ReadAllText(Path.Combine(root, $"out/fit/{Arg("species")}.json")));
                    break;
                case "Report":
                    Write("out/report.md", string.Join(",", request.Lists!["species"]));
                    break;
                case "Split":
                    foreach (var chunk in File.ReadAllLines(Path.Combine(root, "data/all.csv"))) Write($"out/chunks/{chunk}.csv", chunk);
                    break;
                case "Chunk":
                    Write($"out/done/{Arg("chunk")}.txt", "done");
                    break;
                case "Model":
                    Write($"out/model/{Arg("variant")}.txt", Arg("degree"));
                    break;
            }
            return Task.FromResult<Execution>(new Execution.Finished(new RunResult(null, null, null, 0, 0, true)));
        }

        public void Refill()
        {
        }

        public void Settle()
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class Events : IRunEvents
    {
        public List<string> Lines { get; } = [];

        public List<DagProblem> Problems { get; } = [];

        public void Expanded(DagNode family, int toRun)
        {
        }

        public void Waiting(string name, string why)
        {
        }

        public void Started(string name, string reason)
        {
            lock (Lines) Lines.Add($"{name} ({reason})");
        }

        public void Output(string name, string line)
        {
        }

        public void NotShown(string name, long lines, int shown, string logFile)
        {
        }

        public void Finished(TurnResult result)
        {
            if (result.Error is { } error) lock (Problems) Problems.Add(error);
        }

        public void Problem(DagProblem problem)
        {
            lock (Problems) Problems.Add(problem);
        }

        public void Note(string line)
        {
            lock (Lines) Lines.Add(line);
        }
    }

    private static readonly TaskDeclaration Fit = new("Fit", [], ForEach: "data/{species}.csv", Outputs: ["out/fit/{species}.json"]);
    private static readonly TaskDeclaration Report = new("Report", ["Fit"], Inputs: ["out/fit/{species}.json"], Outputs: ["out/report.md"]);

    private void WriteData(string path, string text, DateTime? time = null)
    {
        var file = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        // Coarse file times must not hide an edit made within the same tick as the last run.
        File.SetLastWriteTimeUtc(file, time ?? DateTime.UtcNow.AddSeconds(1));
    }

    private sealed record Built(IReadOnlyList<TurnResult> Results, Executor Executor, Events Events)
    {
        /// <summary>What ran, in the order it started, with why.</summary>
        public IReadOnlyList<string> Ran => Events.Lines.Where(l => l.Contains(" (")).ToList();

        public TurnResult this[string task] => Results.Single(r => r.Task.Name == task);
    }

    private async Task<Built> Build(TaskDeclaration[] declarations, Selection? selection = null, Func<RunRequest, string?>? fails = null, bool keepGoing = false,
        bool decideOnly = false, ForgottenResults? forgotten = null)
    {
        var validation = Dag.Create(declarations);
        Assert.DoesNotContain(validation.Problems, p => !p.IsWarning);
        var dag = validation.Dag!;
        foreach (var task in dag.Tasks) StateFiles.WriteIfChanged(_layout.CodeFile(task.Name), $"{CodeFingerprint.TypeLinePrefix}{task.Name}\n");
        selection ??= Selection.Everything;
        var (selected, problem) = selection.ResolveTask(dag);
        Assert.Null(problem);
        var tasks = DagScheduler.Schedule(SelectionScope.Of(dag, selection, selected), dag, _ => true);
        var executor = new Executor(_root, fails);
        var events = new Events();
        var settings = new RunSettings("Analysis.dll", 2, keepGoing, null, false, 10, decideOnly) { Items = _items, Forgotten = forgotten };
        var results = await DagRun.Run(new DagOnDisk(dag, _layout, _ => { }), tasks, settings, events, executor, CancellationToken.None);
        return new Built(results, executor, events);
    }

    private string Read(string path) => File.ReadAllText(Path.Combine(_root, path));

    private bool Exists(string path) => File.Exists(Path.Combine(_root, path));

    [Fact]
    public async Task Every_instance_runs_once_then_the_aggregator_with_the_keys_in_order_and_a_second_build_runs_nothing()
    {
        WriteData("data/gentoo.csv", "g");
        WriteData("data/adelie.csv", "a");

        var first = await Build([Fit, Report]);

        Assert.Equal(["Fit[adelie] (never ran)", "Fit[gentoo] (never ran)", "Report (never ran)"], first.Ran.Order().ToList());
        Assert.Equal("A", Read("out/fit/adelie.json"));
        Assert.Equal("adelie,gentoo", Read("out/report.md"));
        Assert.Equal(["adelie", "gentoo"], first["Fit"].Instances.Select(i => i.Key));
        Assert.Equal(TurnStatus.Ran, first["Fit"].Status);

        var second = await Build([Fit, Report]);

        Assert.Empty(second.Ran);
        Assert.All(second["Fit"].Instances, i => Assert.Equal(TurnStatus.UpToDate, i.Status));
        Assert.Equal(TurnStatus.UpToDate, second["Report"].Status);
    }

    [Fact]
    public async Task An_edited_file_runs_its_instance_alone_and_a_touched_one_nothing()
    {
        WriteData("data/adelie.csv", "a");
        WriteData("data/gentoo.csv", "g");
        await Build([Fit, Report]);

        WriteData("data/gentoo.csv", "g2");
        var edited = await Build([Fit, Report]);

        Assert.Equal(["Fit[gentoo] (input changed: data/gentoo.csv)", "Report (input changed: out/fit/gentoo.json)"], edited.Ran);

        File.SetLastWriteTimeUtc(Path.Combine(_root, "data/adelie.csv"), DateTime.UtcNow.AddSeconds(5));
        var touched = await Build([Fit, Report]);

        Assert.Empty(touched.Ran);
        Assert.True(touched["Fit"].Instances.Single(i => i.Key == "adelie").Unchanged);
    }

    [Fact]
    public async Task A_new_file_runs_its_instance_and_then_the_aggregator_even_when_its_time_is_old()
    {
        WriteData("data/adelie.csv", "a");
        await Build([Fit, Report]);

        WriteData("data/chinstrap.csv", "c", time: new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var added = await Build([Fit, Report]);

        Assert.Equal(["Fit[chinstrap] (never ran)", "Report (instance added: chinstrap)"], added.Ran);
        Assert.Equal("adelie,chinstrap", Read("out/report.md"));
    }

    [Fact]
    public async Task A_gone_instance_is_forgotten_its_unchanged_output_deleted_an_edited_one_kept_and_the_aggregator_reruns()
    {
        WriteData("data/adelie.csv", "a");
        WriteData("data/gentoo.csv", "g");
        WriteData("data/chinstrap.csv", "c");
        await Build([Fit, Report]);

        File.Delete(Path.Combine(_root, "data/gentoo.csv"));
        File.Delete(Path.Combine(_root, "data/chinstrap.csv"));
        WriteData("out/fit/chinstrap.json", "edited by hand");
        var removed = await Build([Fit, Report]);

        Assert.Equal(["Report (instance removed: chinstrap)"], removed.Ran);
        Assert.Contains("Dag: Fit[gentoo] forgotten: its instance no longer exists; deleted out/fit/gentoo.json", removed.Events.Lines);
        Assert.False(Exists("out/fit/gentoo.json"));
        Assert.Equal("edited by hand", Read("out/fit/chinstrap.json"));
        Assert.Contains(removed.Events.Problems, p => p.Code == DagCodes.KeptOutput && p.Message.Contains("'out/fit/chinstrap.json' was changed since it wrote it"));
        Assert.False(File.Exists(_layout.StampFile("Fit[gentoo]")));
        Assert.Equal("adelie", Read("out/report.md"));
    }

    [Fact]
    public async Task Instances_that_rerun_with_identical_outputs_leave_the_aggregator_alone()
    {
        WriteData("data/adelie.csv", "a");
        await Build([Fit, Report]);

        var forced = await Build([Fit, Report], new Selection(SelectionMode.Only, "Fit"));
        Assert.Equal(["Fit[adelie] (selected (Only))"], forced.Ran);
        Assert.True(forced["Fit"].SameOutput);

        var after = await Build([Fit, Report]);
        Assert.Empty(after.Ran);
    }

    [Fact]
    public async Task A_failing_instance_fails_the_family_its_finished_siblings_keep_their_records_and_only_it_runs_next()
    {
        WriteData("data/adelie.csv", "a");
        WriteData("data/gentoo.csv", "g");
        WriteData("data/chinstrap.csv", "c");

        var failed = await Build([Fit, Report], fails: r => r.Arguments?["species"] == "chinstrap" ? "System.Exception: bad data" : null, keepGoing: true);

        Assert.Equal(TurnStatus.Failed, failed["Fit"].Status);
        Assert.Equal(TurnStatus.NotRun, failed["Report"].Status);
        Assert.Equal([TurnStatus.Ran, TurnStatus.Failed, TurnStatus.Ran], failed["Fit"].Instances.Select(i => i.Status));
        Assert.Contains(failed.Events.Problems, p => p.Code == DagCodes.RunThrew && p.Message.StartsWith("Task 'Fit[chinstrap]' failed"));

        var next = await Build([Fit, Report]);

        Assert.Equal(["Fit[chinstrap] (last run failed)", "Report (never ran)"], next.Ran);
    }

    [Fact]
    public async Task A_family_over_a_family_s_outputs_is_paired_instance_by_instance()
    {
        WriteData("data/adelie.csv", "a");
        WriteData("data/gentoo.csv", "g");
        var plot = new TaskDeclaration("Plot", ["Fit"], ForEach: "out/fit/{species}.json", Outputs: ["out/plot/{species}.png"]);
        await Build([Fit, plot]);

        WriteData("data/gentoo.csv", "g2");
        var edited = await Build([Fit, plot]);

        Assert.Equal(["Fit[gentoo] (input changed: data/gentoo.csv)", "Plot[gentoo] (input changed: out/fit/gentoo.json)"], edited.Ran);
        Assert.Equal("G2", Read("out/plot/gentoo.png"));
    }

    [Fact]
    public async Task A_dynamic_family_follows_what_its_parent_wrote_three_chunks_then_two()
    {
        var split = new TaskDeclaration("Split", [], Inputs: ["data/all.csv"], Outputs: ["out/chunks/*.csv"]);
        var chunk = new TaskDeclaration("Chunk", ["Split"], ForEach: "out/chunks/{chunk}.csv", Outputs: ["out/done/{chunk}.txt"]);
        WriteData("data/all.csv", "a\nb\nc\n");

        var first = await Build([split, chunk]);
        Assert.Equal(["Chunk[a] (never ran)", "Chunk[b] (never ran)", "Chunk[c] (never ran)", "Split (never ran)"], first.Ran.Order().ToList());

        // Split writes a and b again (unchanged) but no longer c, which stays on disk from before until Chunk's turn.
        WriteData("data/all.csv", "a\nb\n");
        File.Delete(Path.Combine(_root, "out/chunks/c.csv"));
        var second = await Build([split, chunk]);

        Assert.Equal(["Split (input changed: data/all.csv)"], second.Ran);
        Assert.Contains("Dag: Chunk[c] forgotten: its instance no longer exists; deleted out/done/c.txt", second.Events.Lines);
        Assert.Equal(["a", "b"], second["Chunk"].Instances.Select(i => i.Key));
    }

    [Fact]
    public async Task An_edited_item_metadata_value_reruns_that_instance_alone_and_Run_gets_the_metadata()
    {
        var model = new TaskDeclaration("Model", [], ForEachItem: "Variant", Outputs: ["out/model/{variant}.txt"]);
        _items.AddRange([new FamilyItem("Variant", "linear", Meta(("Degree", "1"))), new FamilyItem("Variant", "cubic", Meta(("Degree", "3")))]);
        var first = await Build([model]);
        Assert.Equal("1", Read("out/model/linear.txt"));
        Assert.Equal("linear", first.Executor.Runs.Single(r => r.Arguments!["variant"] == "linear").Arguments!["variant"]);

        _items[0] = new FamilyItem("Variant", "linear", Meta(("Degree", "2")));
        var edited = await Build([model]);

        Assert.Equal(["Model[linear] (parameter changed: Degree 1 -> 2)"], edited.Ran);
        Assert.Equal("2", Read("out/model/linear.txt"));
    }

    [Fact]
    public async Task One_selected_instance_runs_alone_and_an_unknown_key_is_an_error_with_the_nearest_key()
    {
        WriteData("data/adelie.csv", "a");
        WriteData("data/gentoo.csv", "g");
        await Build([Fit, Report]);

        var one = await Build([Fit, Report], new Selection(SelectionMode.Only, "Fit", Key: "adelie"));
        Assert.Equal(["Fit[adelie] (selected (Only))"], one.Ran);

        var prefix = await Build([Fit, Report], new Selection(SelectionMode.Only, "Fit", Key: "g*"));
        Assert.Equal(["Fit[gentoo] (selected (Only))"], prefix.Ran);

        var unknown = await Build([Fit, Report], new Selection(SelectionMode.Only, "Fit", Key: "adelei"));
        Assert.Equal(TurnStatus.Failed, unknown["Fit"].Status);
        Assert.Contains("has no instance 'adelei'. Did you mean 'Fit[adelie]'?", unknown["Fit"].Error!.Message);
    }

    [Fact]
    public async Task A_family_with_no_instances_warns_succeeds_and_its_aggregator_gets_an_empty_list()
    {
        var empty = await Build([Fit, Report]);

        Assert.Contains(empty.Events.Problems, p => p.Code == DagCodes.EmptyFamily && p.IsWarning && p.Message.Contains("no file matches ForEach=\"data/{species}.csv\""));
        Assert.Equal(TurnStatus.Ran, empty["Report"].Status);
        Assert.Equal("", Read("out/report.md"));
    }

    [Fact]
    public async Task A_dry_run_of_a_dynamic_family_whose_parent_would_run_says_its_instances_are_not_known_yet()
    {
        var split = new TaskDeclaration("Split", [], Inputs: ["data/all.csv"], Outputs: ["out/chunks/*.csv"]);
        var chunk = new TaskDeclaration("Chunk", ["Split"], ForEach: "out/chunks/{chunk}.csv", Outputs: ["out/done/{chunk}.txt"]);
        WriteData("data/all.csv", "a\n");

        var dry = await Build([split, chunk], decideOnly: true);

        Assert.Equal(TurnStatus.WouldRun, dry["Chunk"].Status);
        Assert.Equal("instances unknown until Split runs", dry["Chunk"].Reason);
        Assert.Empty(dry.Executor.Runs);
    }

    [Fact]
    public void Over_random_files_and_edits_exactly_the_new_and_changed_instances_run_and_the_gone_ones_are_forgotten()
    {
        // Each round: which of eight keys have a file, and with which content (0 = no file); case differs between rounds.
        var rounds = Gen.Int[0, 3].Array[8].Array[2, 4];
        var round = 0;
        rounds.Sample(contents =>
        {
            round++;
            var dataFolder = Path.Combine(_root, "data");
            if (Directory.Exists(dataFolder)) Directory.Delete(dataFolder, recursive: true);
            if (Directory.Exists(Path.Combine(_root, "out"))) Directory.Delete(Path.Combine(_root, "out"), recursive: true);
            if (Directory.Exists(_layout.StateDirectory)) Directory.Delete(_layout.StateDirectory, recursive: true);
            var before = new Dictionary<string, int>();
            foreach (var files in contents)
            {
                var now = Enumerable.Range(0, 8).Where(k => files[k] > 0).ToDictionary(k => $"k{k}", k => files[k]);
                foreach (var key in before.Keys.Except(now.Keys)) File.Delete(Path.Combine(_root, $"data/{key}.csv"));
                // Written now, not ahead of the clock: a future-dated input pushes its readers' times ahead too (to stay quiet
                // for MSBuild), and an upstream change within that window would then go unseen by timestamps.
                foreach (var (key, content) in now.Where(n => before.GetValueOrDefault(n.Key) != n.Value)) WriteData($"data/{key}.csv", $"v{content}", DateTime.UtcNow);

                var built = Build([Fit, Report]).GetAwaiter().GetResult();
                // Builds are seconds apart, file times coarse (a few ms), and an equal time counts as up to date (MSBuild's rule):
                // rounds a few ms apart would otherwise look like one moment.
                Thread.Sleep(20);

                // The reference: an instance runs when its file is new or its content changed; the aggregator when anything came, went or changed.
                var shouldRun = now.Where(n => before.GetValueOrDefault(n.Key) != n.Value).Select(n => $"Fit[{n.Key}]").Order().ToList();
                var changed = shouldRun.Count > 0 || before.Keys.Except(now.Keys).Any() || before.Count == 0;
                Assert.Equal(changed ? [.. shouldRun, "Report"] : shouldRun, built.Ran.Select(r => r[..r.IndexOf(' ')]).Order(StringComparer.Ordinal).ToList());
                Assert.Equal(now.Keys.Order(StringComparer.Ordinal), built["Fit"].Instances.Select(i => i.Key));
                Assert.Equal(string.Join(",", now.Keys.Order(StringComparer.Ordinal)), Read("out/report.md"));
                foreach (var gone in before.Keys.Except(now.Keys)) Assert.False(Exists($"out/fit/{gone}.json"), $"round {round}: {gone} was not forgotten");
                before = now;
            }
        }, iter: 25, threads: 1);
    }

    [Fact]
    public void Over_random_removals_returns_and_vanishing_folders_no_result_is_lost_and_an_instance_back_as_it_was_is_restored_not_run()
    {
        // Each round: which of six keys have a file and with which content (0 = none), and whether the data folder is away.
        var rounds = Gen.Select(Gen.Int[0, 2].Array[6], Gen.Int[0, 4]).Array[3, 6];
        rounds.Sample(steps =>
        {
            foreach (var folder in new[] { Path.Combine(_root, "data"), Path.Combine(_root, "data-away"), Path.Combine(_root, "out"), _layout.StateDirectory })
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
            var forgotten = new ForgottenResults(_layout, long.MaxValue);
            var before = new Dictionary<string, int>();
            // What forgetting kept: an instance back with one of these contents is restored.
            var kept = new HashSet<(string, int)>();
            foreach (var (files, away) in steps)
            {
                var now = Enumerable.Range(0, 6).Where(k => files[k] > 0).ToDictionary(k => $"k{k}", k => files[k]);
                foreach (var key in before.Keys.Except(now.Keys)) File.Delete(Path.Combine(_root, $"data/{key}.csv"));
                foreach (var (key, content) in now.Where(n => before.GetValueOrDefault(n.Key) != n.Value)) WriteData($"data/{key}.csv", $"v{content}", DateTime.UtcNow);

                // One round in five, the folder is away (unmounted, another branch): nothing runs, nothing is lost.
                if (away == 0 && before.Count > 0)
                {
                    var outputs = before.Keys.ToDictionary(key => key, key => Read($"out/fit/{key}.json"));
                    Directory.Move(Path.Combine(_root, "data"), Path.Combine(_root, "data-away"));
                    var vanished = Build([Fit, Report], forgotten: forgotten).GetAwaiter().GetResult();
                    Directory.Move(Path.Combine(_root, "data-away"), Path.Combine(_root, "data"));
                    Assert.Equal((TurnStatus.Failed, DagCodes.FamilyVanished), (vanished["Fit"].Status, vanished["Fit"].Error?.Code));
                    Assert.Empty(vanished.Executor.Runs);
                    Assert.All(outputs, output => Assert.Equal(output.Value, Read($"out/fit/{output.Key}.json")));
                    Thread.Sleep(20);
                }

                var built = Build([Fit, Report], forgotten: forgotten).GetAwaiter().GetResult();
                Thread.Sleep(20);

                // Every file gone at once is a vanished folder too (DAG043): everything is kept, and the files come back.
                if (now.Count == 0 && before.Count > 0)
                {
                    Assert.Equal((TurnStatus.Failed, DagCodes.FamilyVanished), (built["Fit"].Status, built["Fit"].Error?.Code));
                    Assert.Empty(built.Executor.Runs);
                    foreach (var (key, content) in before)
                    {
                        Assert.Equal($"V{content}", Read($"out/fit/{key}.json"));
                        WriteData($"data/{key}.csv", $"v{content}", DateTime.UtcNow);
                    }
                    continue;
                }

                // The reference: a new or changed instance is restored when forgetting once kept it with this content (back
                // as it was, or changed back to it), and runs otherwise.
                var changed = now.Where(n => before.GetValueOrDefault(n.Key) != n.Value).ToList();
                var restored = changed.Where(n => kept.Contains((n.Key, n.Value))).Select(n => n.Key).Order(StringComparer.Ordinal).ToList();
                var ran = changed.Select(n => n.Key).Except(restored).Order(StringComparer.Ordinal).ToList();
                foreach (var key in before.Keys.Except(now.Keys)) kept.Add((key, before[key]));
                Assert.Equal(ran, built.Executor.Runs.Where(r => r.Type == "Fit").Select(r => r.Arguments!["species"]).Order(StringComparer.Ordinal));
                Assert.Equal(restored, built["Fit"].Instances.Where(i => i.Status == TurnStatus.Restored).Select(i => i.Key!));
                foreach (var (key, content) in now) Assert.Equal($"V{content}", Read($"out/fit/{key}.json"));
                foreach (var gone in before.Keys.Except(now.Keys)) Assert.False(Exists($"out/fit/{gone}.json"), $"{gone} was not forgotten");
                Assert.Equal(string.Join(",", now.Keys.Order(StringComparer.Ordinal)), Read("out/report.md"));
                before = now;
            }
        }, iter: 20, threads: 1);
    }

    private static Dictionary<string, string> Meta(params (string Name, string Value)[] metadata) =>
        metadata.ToDictionary(m => m.Name, m => m.Value, StringComparer.OrdinalIgnoreCase);
}
