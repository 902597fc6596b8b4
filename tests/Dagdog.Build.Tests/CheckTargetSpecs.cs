using CsCheck;
using Dagdog.Build;
using Dagdog.Code;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.State;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;

namespace Dagdog.Testing;

/// <summary>
/// A build finds a task stale with the check target Dagdog generates for it (MSBuild's Inputs/Outputs rule); a watch's
/// cycle and a dry run decide with <see cref="Staleness.ByTimestamps"/> instead. The two must agree on every task, or a
/// watch would skip what a build runs (or the reverse): this builds the generated targets with the real MSBuild, in
/// process, over random DAGs, files and times, and compares.
/// </summary>
public sealed class CheckTargetSpecs
{
    [Fact]
    public void The_generated_check_targets_and_ByTimestamps_find_the_same_tasks_stale()
    {
        Gen.Int.Sample(seed =>
        {
            var root = Directory.CreateTempSubdirectory("dagdog-targets-").FullName;
            try
            {
                if (Scenario.Make(seed, root) is not { } scenario) return;
                var byMSBuild = MSBuild.StaleTasks(scenario);
                var byDagdog = scenario.StaleByTimestamps();
                Assert.True(byMSBuild.SetEquals(byDagdog),
                    $"MSBuild: [{string.Join(", ", byMSBuild.Order())}], ByTimestamps: [{string.Join(", ", byDagdog.Order())}]\n{scenario}");
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }, iter: 150, threads: 1);
    }

    /// <summary>A random DAG of plain tasks (families' checks always run), with its state and data files on disk at random times.</summary>
    private sealed class Scenario
    {
        private readonly List<string> _said = [];

        public required string Root { get; init; }

        public required Dag Dag { get; init; }

        public StateLayout Layout => new(Path.Combine(Root, "obj", "dag") + Path.DirectorySeparatorChar, Root);

        /// <summary>A scenario; null when its declarations are refused, as they must be then.</summary>
        public static Scenario? Make(int seed, string root)
        {
            var random = new Random(seed);
            var declarations = new List<TaskDeclaration>();
            var outputs = new List<List<string>>();
            var count = random.Next(1, 5);
            for (var i = 0; i < count; i++)
            {
                var parents = Enumerable.Range(0, i).Where(_ => random.Next(2) == 0).ToList();
                // A data file, or a glob (whose task then also has a file set among its inputs), and maybe a parent's output.
                var inputs = new List<string> { random.Next(3) == 0 ? $"data/g{i}{Odd(random)}/*.csv" : $"data/t{Odd(random)}{i}.csv" };
                inputs.AddRange(parents.Where(p => outputs[p].Count > 0 && random.Next(2) == 0).Select(p => outputs[p][0]));
                outputs.Add(Enumerable.Range(0, random.Next(3)).Select(k => random.Next(4) == 0 ? $"out/../out2/t{i}{Odd(random)}{k}.txt" : $"out/t{i}{Odd(random)}{k}.txt").ToList());
                declarations.Add(new TaskDeclaration($"T{i}", parents.Select(p => $"T{p}").ToList(), Inputs: inputs, Outputs: outputs[i]));
            }
            var validation = Dag.Create(declarations);
            if (validation.Dag is null)
            {
                // The one path these declarations may be refused for: a wildcard MSBuild would read otherwise (DAG033).
                Assert.All(validation.Problems, problem => Assert.Contains("MSBuild's wildcard expansion reads it as an escaped character", problem.Message));
                return null;
            }
            var scenario = new Scenario { Root = root, Dag = validation.Dag };
            scenario.Lay(random);
            return scenario;
        }

        // What MSBuild gives a meaning to in a path, or a path treats specially: each must mean the same file to both.
        private static string Odd(Random random) => new[] { "", " ", " with space", "a;b", "100%", "$x", "@y", "'q'", "%3B" }[random.Next(9)];

        // Files that exist or not, at one of a few times, so that equal, older and newer times all occur.
        private void Lay(Random random)
        {
            var start = DateTime.UtcNow.AddHours(-1);
            var layout = Layout;
            void Write(string path, string content = "x")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, content);
                var time = start.AddSeconds(random.Next(5));
                File.SetLastWriteTimeUtc(path, time);
                _said.Add($"{Path.GetRelativePath(Root, path)} at +{(time - start).TotalSeconds:0} s");
            }

            foreach (var task in Dag.Tasks)
            {
                if (random.Next(10) < 9) Write(layout.CodeFile(task.Name), $"{CodeFingerprint.TypeLinePrefix}Analysis.{task.Name}\n");
                if (random.Next(10) < 8)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(layout.StampFile(task.Name))!);
                    Write(layout.StampFile(task.Name), new RunRecord(task.Name, true, start, start, 0, Reasons.NeverRan).ToJson());
                }
                foreach (var input in task.Declaration.Inputs.Where(path => path.StartsWith("data/", StringComparison.Ordinal)))
                {
                    if (!input.Contains('*')) { if (random.Next(10) < 9) Write(Path.Combine(Root, input)); }
                    else
                    {
                        for (var k = random.Next(3); k > 0; k--) Write(Path.Combine(Root, input.Replace("*", $"f{k}")));
                        if (random.Next(10) < 8) Write(layout.FileSetFile(task.Name));
                    }
                }
                foreach (var output in task.Declaration.Outputs.Where(_ => random.Next(10) < 9)) Write(Path.Combine(Root, output));
            }
        }

        /// <summary>What a watch's cycle decides: stale when ByTimestamps gives a reason or finds a newer input.</summary>
        public HashSet<string> StaleByTimestamps()
        {
            var project = new DagOnDisk(Dag, Layout, _ => { });
            return Dag.Tasks.Where(task => Staleness.ByTimestamps(project.OnDisk(task), Staleness.FileTime) is var (reason, newer) && (reason is not null || newer))
                .Select(task => task.Name).ToHashSet(StringComparer.Ordinal);
        }

        public override string ToString() =>
            string.Join("\n", Dag.Tasks.Select(t => $"{t.Name} <- [{string.Join(", ", t.Parents.Select(p => p.Name))}] in [{string.Join(", ", t.Declaration.Inputs)}] out [{string.Join(", ", t.Declaration.Outputs)}]"))
            + "\n" + string.Join("\n", _said);
    }

    /// <summary>The generated check targets built by the .NET SDK's MSBuild in this process.</summary>
    private static class MSBuild
    {
        // The tasks whose generated check targets MSBuild runs (rather than skipping as up to date): those it lists in @(_DagStale).
        public static HashSet<string> StaleTasks(Scenario scenario)
        {
            var targets = Path.Combine(Directory.CreateDirectory(Path.Combine(scenario.Root, "obj")).FullName, "Analysis.dag.g.targets");
            File.WriteAllText(targets, DagTargetsWriter.Write(scenario.Dag, "signature"));
            var projectFile = Path.Combine(scenario.Root, "Analysis.proj");
            File.WriteAllText(projectFile, $"""
                <Project>
                  <PropertyGroup>
                    <DagStateDirectory>{scenario.Layout.StateDirectory}</DagStateDirectory>
                  </PropertyGroup>
                  <UsingTask TaskName="Dagdog.Build.MarkDagStale" AssemblyFile="{typeof(MarkDagStale).Assembly.Location}" />
                  <Import Project="{targets}" />
                </Project>
                """);
            return Build(projectFile, scenario.Dag.Tasks.Select(DagTargetsWriter.CheckTargetName).ToArray());
        }

        private static HashSet<string> Build(string projectFile, string[] targets)
        {
            using var collection = new ProjectCollection();
            var instance = new ProjectInstance(projectFile, new Dictionary<string, string>(), toolsVersion: null, collection);
            Assert.True(InProcessMSBuild.Build(collection, instance, targets, [], nodes: 1));
            return instance.GetItems("_DagStale").Select(item => item.EvaluatedInclude).ToHashSet(StringComparer.Ordinal);
        }
    }
}
