namespace Dagdog.Tests.Samples;

// A type without method bodies, used by SampleHelper.
public enum SampleColor
{
    Red,
    Blue,
}
