using System.Text.Json;
using MathNet.Numerics;

namespace Penguins;

/// <summary>For one species (an instance of the family, Fit[Adelie]), a least-squares line of body mass on flipper length.</summary>
public class Fit
{
    public void Run(string species)
    {
        var penguins = Penguin.ReadClean().Where(p => p.Species == species).ToList();
        var flipper = penguins.Select(p => p.FlipperLengthMm).ToArray();
        var mass = penguins.Select(p => p.BodyMassG).ToArray();
        var (intercept, slope) = MathNet.Numerics.Fit.Line(flipper, mass);
        var rSquared = GoodnessOfFit.RSquared(flipper.Select(x => intercept + slope * x), mass);
        Console.WriteLine($"{species,-10} body_mass_g = {intercept,8:0.0} + {slope,6:0.00} * flipper_length_mm   R² = {rSquared:0.000}  n = {flipper.Length}");

        Directory.CreateDirectory("out/fit");
        var model = new SpeciesModel(species, slope, intercept, rSquared, flipper.Length);
        File.WriteAllText($"out/fit/{species}.json", JsonSerializer.Serialize(model, new JsonSerializerOptions { WriteIndented = true }));
    }
}
