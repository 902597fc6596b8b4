namespace Dagdog.Tests.Samples;

public static class SampleFit
{
    public static Task Run() => Task.Run(() => Console.WriteLine(nameof(SampleFit)));
}
