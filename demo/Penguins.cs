using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration.Attributes;

namespace Penguins;

/// <summary>One row of the raw file, typed: what Load writes to out/raw.parquet and Clean reads back.</summary>
public sealed class RawPenguin
{
    public string StudyName { get; set; } = "";
    public int SampleNumber { get; set; }
    public string Species { get; set; } = "";
    public string Island { get; set; } = "";
    public string IndividualId { get; set; } = "";
    public DateTime? DateEgg { get; set; }
    public double? CulmenLengthMm { get; set; }
    public double? CulmenDepthMm { get; set; }
    public double? FlipperLengthMm { get; set; }
    public double? BodyMassG { get; set; }
    public string? Sex { get; set; }
}

/// <summary>One tidy row of out/clean.csv, with the column names the rest of the analysis uses.</summary>
public sealed class Penguin
{
    [Name("species")] public string Species { get; set; } = "";
    [Name("island")] public string Island { get; set; } = "";
    [Name("sex")] public string? Sex { get; set; }
    [Name("year")] public int? Year { get; set; }
    [Name("bill_length_mm")] public double BillLengthMm { get; set; }
    [Name("bill_depth_mm")] public double BillDepthMm { get; set; }
    [Name("flipper_length_mm")] public double FlipperLengthMm { get; set; }
    [Name("body_mass_g")] public double BodyMassG { get; set; }

    public static List<Penguin> ReadClean(string path = "out/clean.csv")
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        return csv.GetRecords<Penguin>().ToList();
    }
}

/// <summary>One fitted line of body mass on flipper length, as Fit writes it to out/model.json.</summary>
public sealed record SpeciesModel(string Species, double Slope, double Intercept, double RSquared, int N);
