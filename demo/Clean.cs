using System.Globalization;
using CsvHelper;
using Parquet.Serialization;

namespace Penguins;

/// <summary>Tidies the raw rows: short species names, lower-case sex, the year of the egg, and only rows with every measurement.</summary>
public class Clean
{
    public async Task Run()
    {
        IList<RawPenguin> raw;
        await using (var file = File.OpenRead("out/raw.parquet"))
        {
            raw = (await ParquetSerializer.DeserializeAsync<RawPenguin>(file)).Data;
        }

        var clean = new List<Penguin>();
        var dropped = 0;
        foreach (var row in raw)
        {
            if (row is not { CulmenLengthMm: { } bill, CulmenDepthMm: { } depth, FlipperLengthMm: { } flipper, BodyMassG: { } mass })
            {
                dropped++;
                continue;
            }
            clean.Add(new Penguin
            {
                Species = row.Species.Split(' ')[0],
                Island = row.Island,
                Sex = row.Sex?.ToLowerInvariant() is "male" or "female" ? row.Sex.ToLowerInvariant() : null,
                Year = row.DateEgg?.Year,
                BillLengthMm = bill,
                BillDepthMm = depth,
                FlipperLengthMm = flipper,
                BodyMassG = mass,
            });
        }

        await using var writer = new StreamWriter("out/clean.csv");
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        await csv.WriteRecordsAsync(clean);
        Console.WriteLine($"Kept {clean.Count} of {raw.Count} penguins; dropped {dropped} without bill, flipper or body mass measurements.");
        Console.WriteLine($"{clean.Count(p => p.Sex is null)} kept penguins have no recorded sex.");
    }
}
