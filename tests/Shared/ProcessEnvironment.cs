namespace Dagdog.Testing;

/// <summary>
/// The test process's environment variables, as specs set them for the tools a build starts (SLURM_CONF for srun, a
/// cache's connection string). MSBuild in this process sets the environment to what it was when a build began, as the
/// build starts and again after its tasks yield, so a variable set meanwhile would vanish under another build: a
/// variable changes only while no build in this process runs (<see cref="Building{T}"/>).
/// </summary>
public static class ProcessEnvironment
{
    private static readonly ReaderWriterLockSlim Changes = new();

    public static void Set(string name, string? value)
    {
        Changes.EnterWriteLock();
        try
        {
            Environment.SetEnvironmentVariable(name, value);
        }
        finally
        {
            Changes.ExitWriteLock();
        }
    }

    /// <summary>Runs a build in this process, beside any number of others but no change of a variable.</summary>
    public static T Building<T>(Func<T> build)
    {
        Changes.EnterReadLock();
        try
        {
            return build();
        }
        finally
        {
            Changes.ExitReadLock();
        }
    }
}
