using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dagdog.EndToEnd;

/// <summary>The demo analysis, built from a copy of demo/ with the SDK under test: its results are checked independently.</summary>
[Collection(LongEndToEndCollection.Name)]
public class DemoSpecs(SdkFeed feed)
{
    private static readonly string[] Species = ["Adelie", "Chinstrap", "Gentoo"];

    // Fit is a family, one instance per species.
    private static readonly string[] Tasks = ["Load", "Clean", "Summarize", .. Species.Select(s => $"Fit[{s}]"), "Plot", "Report"];

    // What the cache spec's fresh copy must restore byte for byte: the first build's results, as they were before a spec edited Fit.
    private static readonly string[] CachedOutputs = ["out/fit/Adelie.json", "out/fit/Gentoo.json", "out/penguins.png", "out/report.html", "out/report.md"];

    private static (DagProject Project, BuildResult FirstBuild, string Cache, Dictionary<string, byte[]> Outputs)? s_demo;

    // The demo built once, as a team member whose builds push to a shared cache folder would.
    private (DagProject Project, BuildResult FirstBuild, string Cache, Dictionary<string, byte[]> Outputs) Demo()
    {
        if (s_demo is { } demo) return demo;
        // The demo's own nuget.config points at this repository's artifacts; the copy uses the feed's.
        var project = feed.CopyProject("demo", "demo", "nuget.config");
        var cache = Directory.CreateDirectory(Path.Combine(feed.Root, $"demo-cache-{Guid.NewGuid():N}")).FullName;
        var build = Dotnet.Run(project.Directory, ["build", "-nologo", $"-p:DagCache={cache}"]);
        Assert.True(build.ExitCode == 0, build.ToString());
        var outputs = CachedOutputs.ToDictionary(path => path, path => File.ReadAllBytes(project.PathOf(path)));
        return (s_demo = (project, DagProject.From(build, [], project.Directory), cache, outputs)).Value;
    }

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(line => header.Zip(line.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void The_demo_runs_every_task_in_dependency_order_and_then_skips_them_all()
    {
        var (project, first, _, _) = Demo();

        // Load -> Clean -> {Summarize, Fit[each species], Plot} -> Report; those in the middle run at the same time.
        Assert.Equal(Tasks.Order(), first.RanByReport.Order());
        Assert.Equal(["Load", "Clean"], first.RanByReport.Take(2));
        Assert.Equal("Report", first.RanByReport[^1]);
        // Fit is a family, whose turn is always taken: a no-op writes a report too (a DAG without one may write none).
        var second = DagProject.From(Dotnet.Run(project.Directory, ["build", "-nologo"]), [], project.Directory).Succeeded();
        Assert.Empty(second.RanByReport);
        Assert.All(second.Report!.Tasks, task => Assert.Equal("up-to-date", task.Status));
    }

    [Fact]
    public void The_fitted_lines_match_a_closed_form_least_squares()
    {
        var project = Demo().Project;
        var penguins = ReadCsv(project.PathOf("out/clean.csv"));
        var models = Species.Select(species => JsonDocument.Parse(project.ReadFile($"out/fit/{species}.json")).RootElement).ToList();

        Assert.Equal(Species, models.Select(m => m.GetProperty("Species").GetString()));
        foreach (var model in models)
        {
            var rows = penguins.Where(p => p["species"] == model.GetProperty("Species").GetString()).ToList();
            var x = rows.Select(r => Number(r["flipper_length_mm"])).ToArray();
            var y = rows.Select(r => Number(r["body_mass_g"])).ToArray();
            double meanX = x.Average(), meanY = y.Average();
            var slope = x.Zip(y).Sum(p => (p.First - meanX) * (p.Second - meanY)) / x.Sum(v => (v - meanX) * (v - meanX));
            var intercept = meanY - slope * meanX;
            var residual = x.Zip(y).Sum(p => Math.Pow(p.Second - (intercept + slope * p.First), 2));
            var rSquared = 1 - residual / y.Sum(v => (v - meanY) * (v - meanY));

            Assert.Equal(rows.Count, model.GetProperty("N").GetInt32());
            Assert.Equal(slope, model.GetProperty("Slope").GetDouble(), 1e-9);
            Assert.Equal(intercept, model.GetProperty("Intercept").GetDouble(), 1e-6);
            Assert.Equal(rSquared, model.GetProperty("RSquared").GetDouble(), 1e-9);
        }
    }

    [Fact]
    public void The_plot_is_a_PNG_image_of_the_expected_size()
    {
        var png = File.ReadAllBytes(Demo().Project.PathOf("out/penguins.png"));

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(900, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(600, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.True(png.Length > 20_000, $"A plot of 342 points should not be {png.Length} bytes.");
    }

    [Fact]
    public void The_report_names_every_species_and_its_counts_add_up()
    {
        var project = Demo().Project;
        var clean = ReadCsv(project.PathOf("out/clean.csv"));
        var summary = ReadCsv(project.PathOf("out/summary.csv"));
        var html = project.ReadFile("out/report.html");
        var markdown = project.ReadFile("out/report.md");

        Assert.Equal(342, clean.Count);
        Assert.Equal(clean.Count, summary.Sum(row => int.Parse(row["n"], CultureInfo.InvariantCulture)));
        foreach (var species in new[] { "Adelie", "Chinstrap", "Gentoo" })
        {
            Assert.Equal(clean.Count(p => p["species"] == species), summary.Where(r => r["species"] == species).Sum(r => int.Parse(r["n"], CultureInfo.InvariantCulture)));
            Assert.Contains($"<td>{species}</td>", html);
            Assert.Contains($"| {species} |", markdown);
        }
        Assert.Contains("342 penguins with complete measurements", html);
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo", html);
    }

    // README's picture of the board (docs/board.png) is this spec's screenshot: artifacts/screenshots/demo-board.png.
    [ChromiumFact]
    public void The_demo_s_board_file_shows_every_task_up_to_date_and_Fit_Gentoo_s_numbers_in_a_browser()
    {
        var project = Demo().Project;

        var build = Dotnet.Run(project.Directory, ["build", "-nologo", "--no-restore", "-p:DagBoardFile=out/board.html"]);

        Assert.True(build.ExitCode == 0, build.ToString());
        var page = new Uri(project.PathOf("out/board.html")).AbsoluteUri + "#Fit[Gentoo]";
        var dom = Chromium.Headless(page, "--dump-dom");
        // One node a task, the family Fit one node; the panel open on the instance the address names.
        var nodes = Regex.Matches(dom, "<g class=\"node s-(\\w+)[^\"]*\" data-name=\"([^\"]+)\"").ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
        Assert.Equal(["Clean", "Fit", "Load", "Plot", "Report", "Summarize"], nodes.Keys.Order());
        Assert.All(nodes.Values, status => Assert.Equal("upToDate", status));
        Assert.Contains(">Fit[Gentoo]</h2>", dom);
        Assert.Equal(["Intercept", "N", "RSquared", "Slope"], Regex.Matches(dom, "data-metric=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Order());
        var screenshot = Path.Combine(Directory.CreateDirectory(Path.Combine(Repository.Root, "artifacts", "screenshots")).FullName, "demo-board.png");
        File.Delete(screenshot);
        Chromium.Headless(page, $"--screenshot={screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 10_000, "an empty screenshot");
    }

    [Fact]
    public void A_fresh_copy_restores_every_task_from_a_cache_another_build_filled()
    {
        var (_, _, cache, outputs) = Demo();
        var laptop = feed.CopyProject("demo", "demo-laptop", "nuget.config");

        var restored = DagProject.From(Dotnet.Run(laptop.Directory, ["build", "-nologo", $"-p:DagCache={cache}", "-p:DagCachePush=false"]), [], laptop.Directory);

        Assert.Empty(restored.Succeeded().RanByReport);
        Assert.Equal("restored", restored.Reported("Fit[Gentoo]").Status);
        Assert.Contains("Dag: cache: 8 restored, 0 missed, 0 pushed", restored.Output);
        foreach (var (output, bytes) in outputs) Assert.Equal(bytes, File.ReadAllBytes(laptop.PathOf(output)));
    }

    [Fact]
    public void Editing_Fit_re_runs_only_what_the_edit_changes()
    {
        var project = Demo().Project;
        BuildResult Build()
        {
            var build = Dotnet.Run(project.Directory, ["build", "-nologo"]);
            Assert.True(build.ExitCode == 0, build.ToString());
            return DagProject.From(build, [], project.Directory);
        }
        void Edit(string find, string replace)
        {
            var text = File.ReadAllText(project.PathOf("Fit.cs"));
            Assert.Contains(find, text);
            File.WriteAllText(project.PathOf("Fit.cs"), text.Replace(find, replace));
        }

        File.AppendAllText(project.PathOf("Fit.cs"), "\n// a note on the model\n");
        Assert.Empty(Build().RanByReport);

        // What each Fit prints changes, its model does not: Report has nothing new to read.
        Edit("R² = {rSquared:0.000}", "R2 = {rSquared:0.000}");
        var message = Build();
        Assert.Equal(["Fit[Adelie]", "Fit[Chinstrap]", "Fit[Gentoo]"], message.RanByReport.Order());
        Assert.Equal("code changed: Fit.Run", message.ReasonFor("Fit[Gentoo]"));
        Assert.Contains("its outputs are byte-identical to the last run's", message.Output);

        Edit("WriteIndented = true", "WriteIndented = false");
        Assert.Equal(["Fit[Adelie]", "Fit[Chinstrap]", "Fit[Gentoo]", "Report"], Build().RanByReport.Order());
    }
}
