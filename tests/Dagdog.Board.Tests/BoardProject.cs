using System.Diagnostics;
using System.Text;
using Dagdog.Graph;

namespace Dagdog.Board.Tests;

/// <summary>
/// A project folder with an output of every kind the board previews, a secret beside them that no task declares, a
/// link out of the folder that one does, and the document the build would write of it: Load up to date, Fit (a family
/// of three) partly stale, Plot failed, Report never ran.
/// </summary>
public sealed class BoardProject : IDisposable
{
    public BoardProject()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("dagdog-board-").FullName;
        Write("data/penguins.csv", "species,bill_length_mm\nAdelie,39.1\nGentoo,46.1\n");
        Write("out/raw.csv", "species,bill_length_mm,island\n" + string.Concat(Enumerable.Range(0, 250).Select(i => $"Adelie,{30 + i % 20}.{i % 10},Torgersen\n")));
        Write("out/fit/Adelie.json", """{"species":"Adelie","slope":1.25,"intercept":-3.5,"metrics":{"r2":0.87,"n":151}}""");
        Write("out/fit/Gentoo.json", """{"species":"Gentoo","slope":0.75,"intercept":2.0,"metrics":{"r2":0.64,"n":123}}""");
        File.WriteAllBytes(Path.Combine(Directory, "out/plot.png"), Png);
        Write("out/report.html", "<h1 id=\"title\">Penguin report</h1><script>parent.document.title = 'reached the board'; document.cookie;</script>");
        Write("out/notes.md", "# Findings\n\n- Gentoo bills are longest\n\n<script>alert(1)</script>\n");
        Write("out/summary.txt", "3 species\n344 penguins\n");
        File.WriteAllBytes(Path.Combine(Directory, "out/model.bin"), [0, 1, 2, 3, 0, 255]);
        WriteParquet("out/penguins.parquet");
        Write("obj/dag/logs/Load.log", "reading data/penguins.csv\nwrote out/raw.csv\n");
        Write("obj/dag/logs/Plot.log", "drawing\nUnhandled: the plot has no data\n");
        Write("secret.txt", "not for the board");
        File.WriteAllText(Outside, "outside the project");
        File.CreateSymbolicLink(Path.Combine(Directory, "out/link.csv"), Outside);
    }

    public string Directory { get; }

    // A file outside the project that a declared output links to.
    private string Outside { get; } = Path.Combine(Path.GetTempPath(), $"dagdog-board-outside-{Guid.NewGuid():N}.txt");

    // An 8x8 PNG, red and blue squares.
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAHElEQVR4nGO4Y+oKR7x5f+GIgYoSyBxkRVSUAAAGtVnBgZO0JwAAAABJRU5ErkJggg==");

    // Three penguins with a name, a measure and a year that one of them lacks.
    private void WriteParquet(string path)
    {
        var schema = new Parquet.Schema.ParquetSchema(new Parquet.Schema.DataField<string>("species"), new Parquet.Schema.DataField<double>("bill_length_mm"),
            new Parquet.Schema.DataField<int?>("year"));
        var rows = new List<IDictionary<string, object?>>
        {
            new Dictionary<string, object?> { ["species"] = "Adelie", ["bill_length_mm"] = 39.1, ["year"] = 2007 },
            new Dictionary<string, object?> { ["species"] = "Gentoo", ["bill_length_mm"] = 46.1, ["year"] = 2009 },
            new Dictionary<string, object?> { ["species"] = "Chinstrap", ["bill_length_mm"] = 49.5, ["year"] = null },
        };
        using var file = File.Create(Path.Combine(Directory, path));
        Parquet.Serialization.ParquetSerializer.SerializeUntypedAsync(rows, schema, file).GetAwaiter().GetResult();
    }

    public void Write(string path, string text)
    {
        var full = Path.Combine(Directory, path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text, new UTF8Encoding(false));
    }

    internal BoardFile FileNow(string path)
    {
        var info = new FileInfo(Path.Combine(Directory, path));
        return info.Exists ? new BoardFile(path, info.Length, info.LastWriteTimeUtc) : new BoardFile(path, null, null);
    }

    internal BoardDocument Document(string? cycle = null, string fitAdelie = "upToDate", IReadOnlyList<BoardTask>? extra = null)
    {
        var ran = new BoardRun(DateTime.UtcNow.AddMinutes(-5), 1.25, true, null);
        BoardTask Unit(int index, string name, string[] parents, string status, string? reason, BoardRun? run, string[] inputs, string[] outputs, string? key = null) =>
            new(index, name, parents, status, reason, run, inputs.Select(FileNow).ToList(), outputs.Select(FileNow).ToList(), $"obj/dag/logs/{name}.log",
                key is null ? $"dotnet build -p:Dag={name}" : $"dotnet build '-p:Dag={name}'", [1.5, 1.3, 1.25], [], key);
        var instances = new List<BoardTask>
        {
            Unit(1, "Fit[Adelie]", ["Load"], fitAdelie, fitAdelie == "willRun" ? "input out/raw.csv changed" : null, ran, ["out/raw.csv"], ["out/fit/Adelie.json"], "Adelie") with
            {
                Metrics = [new("out/fit/Adelie.json", "metrics.r2", 0.87, 0.81, [0.75, 0.81, 0.87]), new("out/fit/Adelie.json", "slope", 1.25, 1.5, [1.5, 1.5, 1.25])],
            },
            Unit(1, "Fit[Chinstrap]", ["Load"], "willRun", "never ran", null, ["out/raw.csv"], ["out/fit/Chinstrap.json"], "Chinstrap"),
            Unit(1, "Fit[Gentoo]", ["Load"], "upToDate", null, ran, ["out/raw.csv"], ["out/fit/Gentoo.json"], "Gentoo"),
        };
        List<BoardTask> tasks =
        [
            Unit(0, "Load", [], "upToDate", null, ran, ["data/penguins.csv"], ["out/raw.csv", "out/summary.txt", "out/model.bin", "out/penguins.parquet", "out/link.csv"]),
            Unit(1, "Fit", ["Load"], "willRun", "2 of 3 instances would run", ran, ["out/raw.csv"], ["out/fit/Adelie.json", "out/fit/Chinstrap.json", "out/fit/Gentoo.json"])
                with { Instances = instances },
            Unit(2, "Plot", ["Fit"], "failed", "its last run failed", new BoardRun(DateTime.UtcNow.AddMinutes(-1), 0.4, false, "DAG021: Plot.Run() threw InvalidOperationException: the plot has no data"),
                ["out/fit/Adelie.json"], ["out/plot.png"]),
            Unit(3, "Report", ["Plot"], "neverRan", "never ran", null, ["out/plot.png"], ["out/report.html", "out/notes.md"]),
            .. extra ?? [],
        ];
        return new BoardDocument(BoardFeed.Format, "Penguins", Directory, DateTime.UtcNow, cycle,
            DagPicture.Statuses.Select(s => new BoardStatus(s.Class, s.Label, s.Fill, s.Stroke)).ToList(), tasks);
    }

    public void Dispose()
    {
        File.Delete(Outside);
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>The real board process, serving on a free loopback port, fed by the spec as the watch feeds it.</summary>
public sealed class RunningBoard : IDisposable
{
    // Its own, so that a spec looking for this board's process never finds another spec's.
    public string Token { get; } = Guid.NewGuid().ToString("N");

    private readonly Process _process;

    public RunningBoard(string host = "127.0.0.1", string ports = "0")
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Dagdog.Board.dll"), "serve", "--host", host, "--ports", ports])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["DAGDOG_BOARD_TOKEN"] = Token },
        };
        _process = Process.Start(start)!;
        Address = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"The board did not start: {_process.StandardError.ReadToEnd()}");
        Root = new Uri(Address).GetLeftPart(UriPartial.Authority);
    }

    /// <summary>What the build prints: the board's address with its token.</summary>
    public string Address { get; }

    /// <summary>The board without the token: <c>http://127.0.0.1:PORT</c>.</summary>
    public string Root { get; }

    public int ProcessId => _process.Id;

    public void Send(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    internal void Send(BoardDocument document) => Send(BoardFeed.Line(document));

    /// <summary>Closes its input, as the watch does when it ends; true when the process then ended by itself.</summary>
    public bool End(TimeSpan within)
    {
        _process.StandardInput.Close();
        return _process.WaitForExit(within);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5))) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
