namespace Analysis;

/// <summary>Writes the summary as a Markdown table.</summary>
public class Report
{
    public void Run()
    {
        var rows = File.ReadAllLines("out/summary.csv").Skip(1).Select(line => line.Split(','));
        var table = rows.Select(cells => $"| {cells[0]} | {cells[1]} | {cells[2]} |");
        File.WriteAllLines("out/report.md", ["# Report", "", "| group | count | mean |", "|---|---|---|", .. table]);
        Console.WriteLine("Wrote out/report.md");
    }
}
