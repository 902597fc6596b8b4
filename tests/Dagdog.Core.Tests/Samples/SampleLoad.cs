namespace Dagdog.Tests.Samples;

// Sample task classes for TaskCodeInspectorSpecs, which inspects this test assembly and its PDB.
public class SampleLoad
{
    public void Run() => Console.WriteLine(SampleHelper.Greeting(SampleColor.Red));
}
