namespace Demo;

public class Clean
{
    public void Run()
    {
        var lines = File.ReadAllLines("out/raw.csv");
        var kept = lines.Take(1).Concat(lines.Skip(1).Where(line => !line.Split(',').Contains("NA"))).ToList();
        File.WriteAllLines("out/clean.csv", kept);
        Console.WriteLine($"Removed {lines.Length - kept.Count} rows with missing values.");
    }
}
