namespace Dagdog.Tests.Samples;

// No method bodies: its file is known only through the PDB's type-document records.
public enum SampleColor
{
    Red,
    Blue,
}
