using System.Text;

namespace Dagdog.Build.Running;

/// <summary>
/// Routes what user code writes to <see cref="Console.Out"/> and <see cref="Console.Error"/> to the task that
/// is running it. Console output of a task on an MSBuild worker node is otherwise lost, and in the CLI process
/// it bypasses loggers. The routing writers replace the process's console writers once; the running task is
/// found through an <see cref="AsyncLocal{T}"/>, so threads and async code started by Run() are routed too.
/// </summary>
internal static class ConsoleCapture
{
    private static readonly AsyncLocal<TaskOutput?> Current = new();
    private static readonly object Gate = new();
    private static TextWriter? _installedOut;
    private static TextWriter? _installedError;

    public static IDisposable Begin(TaskOutput output)
    {
        lock (Gate)
        {
            // Check every time: the MSBuild server swaps the console writers for each build it serves.
            if (!ReferenceEquals(Console.Out, _installedOut))
            {
                Console.SetOut(new RoutingWriter(Console.Out, isError: false));
                _installedOut = Console.Out;
            }
            if (!ReferenceEquals(Console.Error, _installedError))
            {
                Console.SetError(new RoutingWriter(Console.Error, isError: true));
                _installedError = Console.Error;
            }
        }
        Current.Value = output;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Current.Value = null;
    }

    private sealed class RoutingWriter(TextWriter original, bool isError) : TextWriter
    {
        public override Encoding Encoding => original.Encoding;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            if (Current.Value?.TryWrite(value ?? "", isError) != true) original.Write(value);
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value) => Write((value ?? "") + NewLine);

        public override void Flush() => original.Flush();
    }
}
