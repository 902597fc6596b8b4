namespace Dagdog.Tests.Samples;

public static class SampleHelper
{
    public static string Greeting(SampleColor color) => $"hello {color}";
}
