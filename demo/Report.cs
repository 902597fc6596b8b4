namespace Demo;

public class Report
{
    public void Run()
    {
        var rows = File.ReadAllLines("out/summary.csv").Skip(1).Select(line => line.Split(','));
        var table = rows.Select(r => $"| {r[0]} | {r[1]} | {r[2]} |");
        File.WriteAllLines("out/report.md", ["# Penguins", "", "| species | n | mean body mass (g) |", "|---|---|---|", .. table]);
        Console.WriteLine("Wrote out/report.md.");
    }
}
