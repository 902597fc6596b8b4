namespace Analysis;

/// <summary>Reads the raw measurements and keeps the complete rows.</summary>
public class Load
{
    public void Run()
    {
        var lines = File.ReadAllLines("data/measurements.csv");
        if (lines.Length == 0 || lines[0] != "group,value") throw new InvalidDataException("data/measurements.csv must start with the header 'group,value'.");

        var complete = lines.Skip(1).Where(line => line.Split(',') is [{ Length: > 0 }, { Length: > 0 }]).ToList();
        Directory.CreateDirectory("out");
        File.WriteAllLines("out/clean.csv", complete.Prepend(lines[0]));
        Console.WriteLine($"Kept {complete.Count} of {lines.Length - 1} rows.");
    }
}
