using System.Diagnostics;
using System.Security.Cryptography;
using Dagdog.Board;
using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Running;

namespace Dagdog.Build.Board;

/// <summary>
/// The board's process (<c>Dagdog.Board.dll</c>, shipped beside the tasks: ASP.NET Core, which MSBuild's node does not
/// load), seen from the build that starts it and owns it: the feed goes to its standard input (<see cref="BoardFeed"/>),
/// and closing that ends it. Also the live events of a run, passed on as they happen (<see cref="IRunEvents"/>).
/// </summary>
internal sealed class BoardProcess : IDisposable
{
    public static readonly string Assembly = Path.Combine(Path.GetDirectoryName(typeof(BoardProcess).Assembly.Location)!, "Dagdog.Board.dll");

    private readonly Process _process;
    private readonly Lock _writing = new();

    private BoardProcess(Process process, string address) => (_process, Address) = (process, address);

    /// <summary>Where the board is, with its token: <c>http://127.0.0.1:5757/?token=…</c>.</summary>
    public string Address { get; }

    /// <summary>Starts the live board on <paramref name="host"/>, at <paramref name="port"/> or, when none is given, the default port or a free one.</summary>
    public static BoardProcess Serve(string host, int? port, string projectDirectory)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var ports = port is { } given ? $"{given}" : $"{DagSettings.DefaultBoardPort},0";
        var process = Start(projectDirectory, token, "serve", "--host", host, "--ports", ports);
        // Its first line is where it listens, once it does (nothing else comes on standard output); no line means it could not.
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (errors) errors.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        var first = process.StandardOutput.ReadLineAsync();
        if (!first.Wait(TimeSpan.FromSeconds(30)) || first.Result is not { } address)
        {
            if (!process.WaitForExit(TimeSpan.FromSeconds(2))) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
            string why;
            lock (errors) why = errors.ToString().Trim();
            throw new BoardException($"The board could not start on {host}:{ports.Replace(",0", " or a free port")}: {(why.Length > 0 ? why : "it gave no address within 30 s")}");
        }
        return new BoardProcess(process, address);
    }

    /// <summary>Writes <paramref name="document"/> as one self-contained HTML file at <paramref name="file"/>.</summary>
    public static void Snapshot(string file, BoardDocument document, string projectDirectory)
    {
        using var process = Start(projectDirectory, token: null, "snapshot", "--out", file);
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.WriteLine(BoardFeed.Line(document));
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It ended before reading: its error says why.
        }
        process.WaitForExit();
        if (process.ExitCode != 0) throw new BoardException($"The board file {file} could not be written: {errors.GetAwaiter().GetResult().Trim()}");
    }

    public void Send(string line)
    {
        lock (_writing)
        {
            try
            {
                _process.StandardInput.WriteLine(line);
                _process.StandardInput.Flush();
            }
            catch (IOException)
            {
                // The board ended (its page is gone with it): the watch goes on without it.
            }
        }
    }

    public void Dispose()
    {
        lock (_writing)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }
        if (!_process.WaitForExit(TimeSpan.FromSeconds(3))) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static Process Start(string projectDirectory, string? token, params string[] arguments)
    {
        var start = new ProcessStartInfo(WorkerLaunch.DotnetHost)
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Assembly);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Not the build's: the board is no MSBuild process.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" }) start.Environment.Remove(name);
        if (token is not null) start.Environment["DAGDOG_BOARD_TOKEN"] = token;
        try
        {
            return Process.Start(start) ?? throw new BoardException("The board process could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BoardException($"The board process could not be started ({start.FileName} {Assembly}): {e.Message}");
        }
    }
}

/// <summary>The board could not start or write its file: a problem of the board, said as such, never the run's.</summary>
internal sealed class BoardException(string message) : Exception(message);

/// <summary>The run's events, as they happen, to the board too: a unit started (running), a unit's turn ended.</summary>
internal sealed class BoardEvents(IRunEvents inner, BoardProcess board) : IRunEvents
{
    public void Expanded(DagNode family, int toRun) => inner.Expanded(family, toRun);

    public void Started(string name, string reason)
    {
        board.Send(BoardFeed.Line(new BoardFeed.Started(name, reason, DateTime.UtcNow)));
        inner.Started(name, reason);
    }

    public void Waiting(string name, string why) => inner.Waiting(name, why);

    public void Output(string name, string line) => inner.Output(name, line);

    public void NotShown(string name, long lines, int shown, string logFile) => inner.NotShown(name, lines, shown, logFile);

    public void Finished(TurnResult result)
    {
        board.Send(BoardFeed.Line(new BoardFeed.Finished(result.Name, StatusWords.Json(result.Status), Math.Round(result.Seconds, 3),
            result.Error is { } error ? $"{error.Code}: {error.Message}" : null)));
        inner.Finished(result);
    }

    public void Problem(DagProblem problem) => inner.Problem(problem);

    public void Note(string line) => inner.Note(line);
}

/// <summary>Opens the board in the user's browser, where there is a desktop to open it on: never in CI, never over SSH.</summary>
internal static class BoardBrowser
{
    /// <summary>Whether a browser may be opened, from the environment's variables (<paramref name="variable"/> reads one).</summary>
    public static bool MayOpen(Func<string, string?> variable) =>
        variable("CI") is not { Length: > 0 }
        && variable("SSH_CONNECTION") is not { Length: > 0 }
        && (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            || variable("DISPLAY") is { Length: > 0 } || variable("WAYLAND_DISPLAY") is { Length: > 0 });

    public static void Open(string address)
    {
        try
        {
            var start = OperatingSystem.IsWindows() ? new ProcessStartInfo(address) { UseShellExecute = true }
                : new ProcessStartInfo(OperatingSystem.IsMacOS() ? "open" : "xdg-open", [address]) { UseShellExecute = false };
            Process.Start(start)?.Dispose();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // No browser to open: the address is printed.
        }
    }
}
