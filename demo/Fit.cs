using System.Text.Json;
using MathNet.Numerics;

namespace Penguins;

/// <summary>Per species, a least-squares line of body mass on flipper length.</summary>
public class Fit
{
    public void Run()
    {
        var models = Penguin.ReadClean()
            .GroupBy(p => p.Species)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var flipper = g.Select(p => p.FlipperLengthMm).ToArray();
                var mass = g.Select(p => p.BodyMassG).ToArray();
                var (intercept, slope) = MathNet.Numerics.Fit.Line(flipper, mass);
                var rSquared = GoodnessOfFit.RSquared(flipper.Select(x => intercept + slope * x), mass);
                Console.WriteLine($"{g.Key,-10} body_mass_g = {intercept,8:0.0} + {slope,6:0.00} * flipper_length_mm   R² = {rSquared:0.000}  n = {flipper.Length}");
                return new SpeciesModel(g.Key, slope, intercept, rSquared, flipper.Length);
            })
            .ToList();

        File.WriteAllText("out/model.json", JsonSerializer.Serialize(models, new JsonSerializerOptions { WriteIndented = true }));
    }
}
