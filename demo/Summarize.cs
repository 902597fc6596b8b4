using System.Globalization;
using MathNet.Numerics.Statistics;

namespace Penguins;

/// <summary>Count, mean and standard deviation of each measurement, per species and sex.</summary>
public class Summarize
{
    private static readonly (string Name, Func<Penguin, double> Value)[] Measurements =
    [
        ("bill_length_mm", p => p.BillLengthMm),
        ("bill_depth_mm", p => p.BillDepthMm),
        ("flipper_length_mm", p => p.FlipperLengthMm),
        ("body_mass_g", p => p.BodyMassG),
    ];

    public void Run()
    {
        var groups = Penguin.ReadClean()
            .GroupBy(p => (p.Species, Sex: p.Sex ?? "unknown"))
            .OrderBy(g => g.Key.Species).ThenBy(g => g.Key.Sex)
            .ToList();

        var header = string.Join(",", Measurements.SelectMany(m => new[] { $"{m.Name}_mean", $"{m.Name}_sd" }).Prepend("species,sex,n"));
        var lines = groups.Select(g => string.Join(",", Measurements
            .SelectMany(m =>
            {
                var values = g.Select(m.Value).ToArray();
                return new[] { values.Mean(), values.Length > 1 ? values.StandardDeviation() : double.NaN };
            })
            .Select(v => v.ToString("0.###", CultureInfo.InvariantCulture))
            .Prepend(g.Count().ToString(CultureInfo.InvariantCulture))
            .Prepend(g.Key.Sex)
            .Prepend(g.Key.Species)));

        File.WriteAllLines("out/summary.csv", lines.Prepend(header));
        Console.WriteLine($"Summarized {groups.Sum(g => g.Count())} penguins in {groups.Count} species-and-sex groups.");
    }
}
