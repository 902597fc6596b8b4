using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Dagdog.Running;

namespace Dagdog.Worker;

/// <summary>
/// Runs one task's Run() in a fresh collectible load context, with the project directory as the current directory,
/// and unloads the context afterwards. A <c>CancellationToken</c> parameter gets a token that Ctrl+C and timeouts cancel;
/// the others get an instance's values (see <see cref="RunArguments"/>).
/// </summary>
internal static class TaskInvoker
{
    public static readonly RunResult Success = new(null, null, null, 0, 0, Settled: true);

    /// <returns>The failure, or null on success; and the unloading context, to check that nothing of it is left.</returns>
    public static (RunResult? Failure, WeakReference Context) Run(RunRequest request, CancellationToken cancellation)
    {
        UserCodeLoadContext context;
        try
        {
            context = new UserCodeLoadContext(request.Assembly);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            // The assembly (or its .deps.json) cannot be read here: the task fails, the worker lives on.
            return (Unreadable(request, e), new WeakReference(null));
        }
        try
        {
            return (RunIn(context, request, cancellation), new WeakReference(context));
        }
        finally
        {
            context.Unload();
        }
    }

    // Kept out of line so that no frame of the caller holds the task's objects while the context is being collected.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RunResult? RunIn(UserCodeLoadContext context, RunRequest request, CancellationToken cancellation)
    {
        Assembly? assembly = null;
        try
        {
            assembly = context.LoadMain();
            var type = assembly.GetType(request.Type, throwOnError: true)!;
            Environment.CurrentDirectory = request.ProjectDirectory;
            Invoke(type, request, cancellation);
            return null;
        }
        catch (RunParameterException e)
        {
            return new RunResult(e.Message, null, null, 0, 0, Settled: true, ParameterProblem: true);
        }
        catch (Exception e) when (assembly is null && e is IOException)
        {
            return Unreadable(request, e);
        }
        catch (Exception e)
        {
            return Describe(e is TargetInvocationException { InnerException: { } inner } ? inner : e, assembly);
        }
    }

    // The public Run with the most parameters (the inspector checked that there is one), its parameters given by name.
    private static void Invoke(Type type, RunRequest request, CancellationToken cancellation)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.FlattenHierarchy;
        var run = type.GetMethods(flags).Where(m => m.Name == "Run" && !m.IsGenericMethodDefinition).MaxBy(m => m.GetParameters().Length)
                  ?? throw new MissingMethodException(type.FullName, "Run");
        var arguments = RunArguments.For(run, request, cancellation);
        var instance = run.IsStatic ? null : Activator.CreateInstance(type);
        var result = run.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        if (result is Task task) task.GetAwaiter().GetResult();
    }

    // The user's assembly cannot be read where the worker runs. On a cluster's node that means the project folder is not
    // shared with the node at the same path, which the message says.
    private static RunResult Unreadable(RunRequest request, Exception e) =>
        new(Environment.GetEnvironmentVariable("SLURMD_NODENAME") is { } node
                ? $"Node {node} cannot see {request.Assembly}: the project folder, the dotnet host and the NuGet package folder must be " +
                  $"on a filesystem the nodes share, at the same paths ({e.GetType().Name}: {e.Message})"
                : $"{request.Assembly} cannot be read: {e.GetType().Name}: {e.Message} Rebuild the project.",
            null, null, 0, 0, Settled: true);

    // Strings only: an exception object of the task's own types would keep its load context alive.
    private static RunResult Describe(Exception exception, Assembly? userAssembly)
    {
        var causes = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException) causes.Add($"{e.GetType().FullName}: {e.Message}");
        var frame = userAssembly is null ? null : new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetMethod()?.Module.Assembly == userAssembly && f.GetFileName() is not null);
        return new RunResult(WorkerProtocol.Bounded(string.Join(" ---> ", causes)), WorkerProtocol.Bounded(exception.ToString()),
            frame?.GetFileName(), frame?.GetFileLineNumber() ?? 0, frame?.GetFileColumnNumber() ?? 0, Settled: true);
    }
}
