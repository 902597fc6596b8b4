using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Parquet.Serialization;

namespace Penguins;

/// <summary>Reads the raw CSV, checks its columns and types, reports missing values, and stores typed rows as Parquet.</summary>
public class Load
{
    private static readonly string[] ExpectedColumns =
    [
        "studyName", "Sample Number", "Species", "Region", "Island", "Stage", "Individual ID", "Clutch Completion",
        "Date Egg", "Culmen Length (mm)", "Culmen Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Sex",
        "Delta 15 N (o/oo)", "Delta 13 C (o/oo)", "Comments",
    ];

    public async Task Run()
    {
        using var reader = new StreamReader("data/penguins_raw.csv");
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        csv.Read();
        csv.ReadHeader();
        var missingColumns = ExpectedColumns.Except(csv.HeaderRecord!).ToList();
        if (missingColumns.Count > 0)
            throw new InvalidDataException($"data/penguins_raw.csv lacks the columns {string.Join(", ", missingColumns)}.");

        var rows = new List<RawPenguin>();
        var missing = ExpectedColumns.ToDictionary(c => c, _ => 0);
        while (csv.Read())
        {
            foreach (var column in ExpectedColumns)
            {
                if (csv.GetField(column) is "NA" or "") missing[column]++;
            }
            rows.Add(new RawPenguin
            {
                StudyName = csv.GetField("studyName")!,
                SampleNumber = csv.GetField<int>("Sample Number"),
                Species = csv.GetField("Species")!,
                Island = csv.GetField("Island")!,
                IndividualId = csv.GetField("Individual ID")!,
                DateEgg = Optional<DateTime?>(csv.GetField("Date Egg"), text => DateTime.SpecifyKind(DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateTimeKind.Utc)),
                CulmenLengthMm = Number(csv, "Culmen Length (mm)"),
                CulmenDepthMm = Number(csv, "Culmen Depth (mm)"),
                FlipperLengthMm = Number(csv, "Flipper Length (mm)"),
                BodyMassG = Number(csv, "Body Mass (g)"),
                Sex = Optional(csv.GetField("Sex"), text => text),
            });
        }

        Console.WriteLine($"Read {rows.Count} penguins with {ExpectedColumns.Length} columns.");
        foreach (var (column, count) in missing.Where(m => m.Value > 0))
            Console.WriteLine($"  missing {column}: {count}");

        Directory.CreateDirectory("out");
        await using var file = File.Create("out/raw.parquet");
        await ParquetSerializer.SerializeAsync(rows, file);
    }

    private static double? Number(CsvReader csv, string column) =>
        Optional<double?>(csv.GetField(column), text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"Row {csv.Parser.Row}: '{column}' is '{text}', not a number."));

    private static T? Optional<T>(string? text, Func<string, T> parse) => text is null or "NA" or "" ? default : parse(text);
}
