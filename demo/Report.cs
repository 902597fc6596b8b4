using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Penguins;

/// <summary>Writes out/report.md and a self-contained out/report.html: the summary table, the fitted lines and the plot.</summary>
public class Report
{
    /// <param name="species">The instances of the Fit family, in key order: one model each.</param>
    public void Run(IReadOnlyList<string> species)
    {
        var summary = File.ReadAllLines("out/summary.csv").Select(line => line.Split(',')).ToList();
        var models = species.Select(s => JsonSerializer.Deserialize<SpeciesModel>(File.ReadAllText($"out/fit/{s}.json"))!).ToList();
        var png = Convert.ToBase64String(File.ReadAllBytes("out/penguins.png"));
        var total = summary.Skip(1).Sum(row => int.Parse(row[2], CultureInfo.InvariantCulture));

        File.WriteAllText("out/report.md", Markdown(summary, models, total));
        File.WriteAllText("out/report.html", Html(summary, models, total, png));
        Console.WriteLine($"Wrote out/report.md and out/report.html ({total} penguins, {models.Count} species).");
    }

    private static string Markdown(List<string[]> summary, List<SpeciesModel> models, int total)
    {
        var text = new StringBuilder();
        text.AppendLine("# Palmer penguins").AppendLine();
        text.AppendLine($"{total} penguins with complete measurements.").AppendLine();
        text.AppendLine("## Measurements by species and sex").AppendLine();
        text.AppendLine("| " + string.Join(" | ", summary[0]) + " |");
        text.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", summary[0].Length)));
        foreach (var row in summary.Skip(1)) text.AppendLine("| " + string.Join(" | ", row) + " |");
        text.AppendLine().AppendLine("## Body mass on flipper length").AppendLine();
        text.AppendLine("| species | slope (g/mm) | intercept (g) | R² | n |").AppendLine("|---|---|---|---|---|");
        foreach (var m in models) text.AppendLine(Invariant($"| {m.Species} | {m.Slope:0.00} | {m.Intercept:0.0} | {m.RSquared:0.000} | {m.N} |"));
        text.AppendLine().AppendLine("![Body mass against flipper length](penguins.png)");
        return text.ToString();
    }

    private static string Html(List<string[]> summary, List<SpeciesModel> models, int total, string png)
    {
        static string Cells(IEnumerable<string> cells, string tag) => string.Concat(cells.Select(c => $"<{tag}>{WebUtility.HtmlEncode(c)}</{tag}>"));
        var text = new StringBuilder();
        text.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Palmer penguins</title>");
        text.AppendLine("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}</style></head><body>");
        text.AppendLine($"<h1>Palmer penguins</h1><p>{total} penguins with complete measurements.</p>");
        text.AppendLine("<h2>Measurements by species and sex</h2><table>");
        text.AppendLine($"<tr>{Cells(summary[0], "th")}</tr>");
        foreach (var row in summary.Skip(1)) text.AppendLine($"<tr>{Cells(row, "td")}</tr>");
        text.AppendLine("</table><h2>Body mass on flipper length</h2><table>");
        text.AppendLine($"<tr>{Cells(["species", "slope (g/mm)", "intercept (g)", "R²", "n"], "th")}</tr>");
        foreach (var m in models)
            text.AppendLine($"<tr>{Cells([m.Species, Invariant($"{m.Slope:0.00}"), Invariant($"{m.Intercept:0.0}"), Invariant($"{m.RSquared:0.000}"), Invariant($"{m.N}")], "td")}</tr>");
        text.AppendLine($"</table><p><img alt=\"Body mass against flipper length\" src=\"data:image/png;base64,{png}\"></p>");
        text.AppendLine("<p><small>Data: Palmer Station LTER and Dr. Kristen Gorman, via the palmerpenguins R package (CC0).</small></p></body></html>");
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
