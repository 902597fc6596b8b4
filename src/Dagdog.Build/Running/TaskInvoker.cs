using System.Diagnostics;
using System.Reflection;

namespace Dagdog.Build.Running;

/// <summary>Where user code failed: the first stack frame in the user's assembly, when it has line information.</summary>
internal sealed record UserFailure(Exception Exception, string? File, int Line, int Column);

/// <summary>
/// Runs one task's Run() in a fresh collectible load context, with the project directory as the current
/// directory, and unloads the context afterwards.
/// </summary>
internal static class TaskInvoker
{
    private static readonly object CurrentDirectoryGate = new();

    /// <returns>null on success, otherwise what failed and where.</returns>
    public static UserFailure? Run(string assemblyPath, string typeFullName, string projectDirectory)
    {
        var context = new UserCodeLoadContext(assemblyPath);
        try
        {
            var assembly = context.LoadMain();
            var type = assembly.GetType(typeFullName, throwOnError: true)!;
            lock (CurrentDirectoryGate)
            {
                var previousDirectory = Environment.CurrentDirectory;
                Environment.CurrentDirectory = projectDirectory;
                try
                {
                    Invoke(type);
                    return null;
                }
                catch (Exception e)
                {
                    return Locate(e, assembly);
                }
                finally
                {
                    Environment.CurrentDirectory = previousDirectory;
                }
            }
        }
        finally
        {
            context.Unload();
        }
    }

    private static void Invoke(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance;
        var run = type.GetMethod("Run", flags, Type.EmptyTypes)
                  ?? throw new MissingMethodException(type.FullName, "Run");
        var instance = run.IsStatic ? null : Activator.CreateInstance(type);
        var result = run.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, parameters: null, culture: null);
        if (result is Task task) task.GetAwaiter().GetResult();
    }

    private static UserFailure Locate(Exception exception, Assembly userAssembly)
    {
        if (exception is TargetInvocationException { InnerException: { } inner }) exception = inner;
        var frame = new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetMethod()?.Module.Assembly == userAssembly && f.GetFileName() is not null);
        return frame is null
            ? new UserFailure(exception, null, 0, 0)
            : new UserFailure(exception, frame.GetFileName(), frame.GetFileLineNumber(), frame.GetFileColumnNumber());
    }
}
