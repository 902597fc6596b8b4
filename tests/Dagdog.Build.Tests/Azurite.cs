using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dagdog.Testing;

/// <summary>
/// A real Azure Blob Storage server for the specs: Azurite (npm package 'azurite'), on a free loopback port with its
/// data in a temporary folder. Taken from .tools/ (where .ci/run installs it) or PATH; when it is in neither, it is
/// installed into .tools/ with npm, so that 'dotnet test' works on a fresh clone wherever Node.js is.
/// </summary>
public sealed class Azurite : IDisposable
{
    // Azurite's well-known development account: public, and accepted by nothing but the emulator.
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process? _server;
    private readonly string _data = Directory.CreateTempSubdirectory("dagdog-azurite-").FullName;

    public Azurite()
    {
        var executable = Find() ?? Install();
        if (executable is null)
        {
            Problem = "Azurite is not installed and npm could not install it: install Node.js, then run 'npm install --prefix .tools azurite' in the repository.";
            return;
        }
        Port = FreePort();
        _server = Process.Start(new ProcessStartInfo(executable, ["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--location", _data, "--silent", "--skipApiVersionCheck", "--loose"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var clock = Stopwatch.StartNew();
        while (!Accepts(Port))
        {
            if (_server.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Problem = $"Azurite did not start on port {Port}: {_server.StandardError.ReadToEnd()}";
                return;
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>Why there is no server, when there is none; the specs fail with it.</summary>
    public string? Problem { get; }

    public int Port { get; }

    public string ConnectionString => ConnectionStringFor(Port);

    /// <summary>A connection string for the emulator's account on another port (a closed one, for an unreachable store).</summary>
    public static string ConnectionStringFor(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint=http://127.0.0.1:{port}/{Account};";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static readonly string Tools = Path.Combine(Repository.Root, ".tools");

    private static string? Find()
    {
        var local = Path.Combine(Tools, "node_modules", ".bin", "azurite-blob");
        if (File.Exists(local)) return local;
        return OnPath("azurite-blob");
    }

    // The version .ci/run installs.
    private static string? Install()
    {
        if (OnPath("npm") is not { } npm) return null;
        using var install = Process.Start(new ProcessStartInfo(npm, ["install", "--prefix", Tools, "--no-audit", "--no-fund", "azurite@3.37.0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        install.StandardOutput.ReadToEndAsync();
        install.StandardError.ReadToEndAsync();
        return install.WaitForExit(TimeSpan.FromMinutes(5)) && install.ExitCode == 0 ? Find() : null;
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_server is { HasExited: false }) _server.Kill(entireProcessTree: true);
        _server?.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
