using ScottPlot;

namespace Penguins;

/// <summary>Body mass against flipper length, one colour per species, each with its least-squares line.</summary>
public class Plot
{
    public const int Width = 900;
    public const int Height = 600;

    public void Run()
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var species = Penguin.ReadClean().GroupBy(p => p.Species).OrderBy(g => g.Key).ToList();
        for (var i = 0; i < species.Count; i++)
        {
            var color = palette.GetColor(i);
            var x = species[i].Select(p => p.FlipperLengthMm).ToArray();
            var y = species[i].Select(p => p.BodyMassG).ToArray();
            var points = plot.Add.ScatterPoints(x, y, color);
            points.LegendText = species[i].Key;
            points.MarkerSize = 6;

            var (intercept, slope) = MathNet.Numerics.Fit.Line(x, y);
            var line = plot.Add.Line(x.Min(), intercept + slope * x.Min(), x.Max(), intercept + slope * x.Max());
            line.Color = color;
            line.LineWidth = 2;
        }
        plot.Title("Palmer penguins: body mass by flipper length");
        plot.XLabel("Flipper length (mm)");
        plot.YLabel("Body mass (g)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng("out/penguins.png", Width, Height);
        Console.WriteLine($"Plotted {species.Sum(s => s.Count())} penguins of {species.Count} species to out/penguins.png ({Width}x{Height}).");
    }
}
