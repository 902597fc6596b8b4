using System.Globalization;

namespace Demo;

public class Summarize
{
    public void Run()
    {
        var rows = File.ReadAllLines("out/clean.csv").Skip(1).Select(line => line.Split(','));
        var summary = rows
            .GroupBy(r => r[0])
            .Select(g => $"{g.Key},{g.Count()},{g.Average(r => double.Parse(r[5], CultureInfo.InvariantCulture)).ToString("0.0", CultureInfo.InvariantCulture)}");
        File.WriteAllLines("out/summary.csv", ["species,n,mean_body_mass_g", .. summary]);
        Console.WriteLine("Summarized body mass per species.");
    }
}
