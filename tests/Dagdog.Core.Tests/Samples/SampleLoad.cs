namespace Dagdog.Tests.Samples;

// Sample task classes for TaskCodeInspectorSpecs, which inspects this test assembly.
public class SampleLoad
{
    public void Run() => Console.WriteLine(SampleHelper.Greeting(SampleColor.Red));
}
