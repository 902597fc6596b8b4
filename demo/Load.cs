namespace Demo;

public class Load
{
    public void Run()
    {
        Directory.CreateDirectory("out");
        var lines = File.ReadAllLines("data/penguins.csv");
        File.WriteAllLines("out/raw.csv", lines);
        Console.WriteLine($"Loaded {lines.Length - 1} penguins.");
    }
}
