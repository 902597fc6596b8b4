using System.Globalization;

namespace Analysis;

/// <summary>Counts the rows of each group and averages their values.</summary>
public class Summarize
{
    public void Run()
    {
        var rows = File.ReadAllLines("out/clean.csv").Skip(1)
            .Select(line => line.Split(','))
            .Select(cells => (Group: cells[0], Value: double.Parse(cells[1], CultureInfo.InvariantCulture)));
        var summary = rows.GroupBy(row => row.Group).OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Key},{group.Count()},{group.Average(row => row.Value):0.00}"));
        File.WriteAllLines("out/summary.csv", summary.Prepend("group,count,mean"));
    }
}
