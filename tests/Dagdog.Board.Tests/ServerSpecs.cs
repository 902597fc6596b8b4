using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Dagdog.Board.Tests;

/// <summary>
/// The board's project and its real server process, fed the project's document. The specs that only read it share one
/// (a board's start is most of such a spec's time); a spec that changes what it serves or sends it news has its own.
/// </summary>
public sealed class ServedProject : IDisposable
{
    public BoardProject Project { get; } = new();

    public RunningBoard Board { get; } = new();

    public ServedProject() => Board.Send(Project.Document());

    public void Dispose()
    {
        Board.Dispose();
        Project.Dispose();
    }
}

/// <summary>The board's server as a browser, or anything else on the machine or the network, meets it.</summary>
public sealed class ServerSpecs(ServedProject shared) : IClassFixture<ServedProject>
{
    private readonly RunningBoard _board = shared.Board;

    private static HttpClient Client(bool followRedirects = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true, CookieContainer = new CookieContainer() });

    // A client that opened the printed address once, as the browser the build opened does, and holds the cookie; once the
    // board has the document it was sent (its input is read as it comes), as a page waits for it on its events.
    private static async Task<HttpClient> Visitor(RunningBoard board)
    {
        var client = Client();
        var page = await client.GetAsync(board.Address);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var events = new StreamReader(await client.GetStreamAsync(board.Root + "/events"));
        while (await events.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line && !line.StartsWith("data: {\"document\"", StringComparison.Ordinal))
        {
        }
        return client;
    }

    private Task<HttpClient> Visitor() => Visitor(_board);

    [Theory]
    [InlineData("/")]
    [InlineData("/events")]
    [InlineData("/assets/board.js")]
    [InlineData("/preview?path=out/raw.csv")]
    [InlineData("/file?path=out/raw.csv")]
    [InlineData("/log?path=obj/dag/logs/Load.log")]
    public async Task Without_the_token_every_request_is_401(string path)
    {
        using var client = Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(_board.Root + path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(_board.Root + path + (path.Contains('?') ? "&" : "?") + "token=not-the-token")).StatusCode);
    }

    [Fact]
    public async Task The_token_becomes_a_session_cookie_for_this_board_and_leaves_the_address()
    {
        using var client = Client(followRedirects: false);
        var first = await client.GetAsync(_board.Address);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/", first.Headers.Location!.OriginalString);
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_board.Token, cookie);
        var page = await client.GetAsync(_board.Root + "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("assets/board.js", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_token_is_on_no_command_line_and_its_redirect_stays_on_the_board()
    {
        Assert.DoesNotContain(Processes.Running("dotnet"), line => line.Contains(_board.Token));
        using var client = Client(followRedirects: false);
        var elsewhere = await client.GetAsync($"{_board.Root}//evil.example/?token={_board.Token}");
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal("/evil.example/", elsewhere.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("secret.txt")]
    [InlineData("../secret.txt")]
    [InlineData("out/../secret.txt")]
    [InlineData("out/..%2Fsecret.txt")]
    [InlineData("%2E%2E%2Fsecret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("out/link.csv")]
    [InlineData("")]
    public async Task Only_the_declared_files_inside_the_project_are_served(string path)
    {
        using var client = await Visitor();
        foreach (var route in new[] { "file", "preview", "log" })
        {
            var response = await client.GetAsync($"{_board.Root}/{route}?path={path}");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"/{route}?path={path}: {response.StatusCode}");
            Assert.DoesNotContain("not for the board", await response.Content.ReadAsStringAsync());
            Assert.DoesNotContain("outside the project", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_declared_file_is_served_sandboxed_and_the_page_runs_only_its_own_scripts()
    {
        using var client = await Visitor();
        var report = await client.GetAsync(_board.Root + "/file?path=out/report.html");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.StartsWith("sandbox", report.Headers.GetValues("Content-Security-Policy").Single());
        var page = await client.GetAsync(_board.Root + "/");
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task It_is_read_only()
    {
        using var client = await Visitor();
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.SendAsync(new HttpRequestMessage(method, _board.Root + "/file?path=out/raw.csv"))).StatusCode);
    }

    [Fact]
    public async Task It_listens_on_loopback_only()
    {
        var port = new Uri(_board.Root).Port;
        var others = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)).ToList();
        Assert.True(others.Count > 0, "This machine has no address but loopback to try the board from.");
        foreach (var address in others)
        {
            using var socket = new TcpClient();
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(address, port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    [Fact]
    public void When_its_port_is_taken_it_takes_a_free_one_and_a_port_asked_for_that_is_taken_is_an_error()
    {
        var taken = new Uri(_board.Root).Port;
        using (var second = new RunningBoard(ports: $"{taken},0"))
        {
            Assert.NotEqual(taken, new Uri(second.Root).Port);
        }
        var refused = Assert.Throws<InvalidOperationException>(() => new RunningBoard(ports: $"{taken}"));
        Assert.Contains("address already in use", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_csv_previews_as_its_columns_first_hundred_rows_and_row_count()
    {
        using var client = await Visitor();
        var preview = await client.GetFromJsonAsync<JsonElement>(_board.Root + "/preview?path=out/raw.csv");
        Assert.Equal("table", preview.GetProperty("kind").GetString());
        Assert.Equal(["species", "bill_length_mm", "island"], preview.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(100, preview.GetProperty("rows").GetArrayLength());
        Assert.Equal(250, preview.GetProperty("rowCount").GetInt64());
        Assert.False(preview.GetProperty("estimated").GetBoolean());
    }

    [Fact]
    public async Task A_big_csv_previews_from_its_first_megabyte_with_an_estimated_row_count()
    {
        using var own = new ServedProject();
        var row = "Adelie,39.1,Torgersen,2007\n";
        using (var big = new StreamWriter(Path.Combine(own.Project.Directory, "out/raw.csv")))
        {
            await big.WriteAsync("species,bill,island,year\n");
            for (var i = 0; i < 400_000; i++) await big.WriteAsync(row);
        }
        own.Board.Send(own.Project.Document());
        using var client = await Visitor(own.Board);
        var preview = await client.GetFromJsonAsync<JsonElement>(own.Board.Root + "/preview?path=out/raw.csv");
        Assert.Equal(100, preview.GetProperty("rows").GetArrayLength());
        Assert.True(preview.GetProperty("estimated").GetBoolean());
        Assert.InRange(preview.GetProperty("rowCount").GetInt64(), 390_000, 410_000);
    }

    [Fact]
    public async Task Each_kind_of_file_has_its_preview()
    {
        using var client = await Visitor();
        async Task<JsonElement> Preview(string path) => await client.GetFromJsonAsync<JsonElement>($"{_board.Root}/preview?path={path}");
        Assert.Equal("json", (await Preview("out/fit/Adelie.json")).GetProperty("kind").GetString());
        Assert.Equal("image", (await Preview("out/plot.png")).GetProperty("kind").GetString());
        Assert.Equal("html", (await Preview("out/report.html")).GetProperty("kind").GetString());
        var markdown = await Preview("out/notes.md");
        Assert.Contains("<h1", markdown.GetProperty("rendered").GetString());
        Assert.DoesNotContain("<script>", markdown.GetProperty("rendered").GetString());
        Assert.Equal("3 species\n344 penguins\n", (await Preview("out/summary.txt")).GetProperty("head").GetString());
        var binary = await Preview("out/model.bin");
        Assert.Equal("binary", binary.GetProperty("kind").GetString());
        Assert.Equal(64, binary.GetProperty("sha256").GetString()!.Length);
        Assert.Equal("missing", (await Preview("out/fit/Chinstrap.json")).GetProperty("kind").GetString());
        var parquet = await Preview("out/penguins.parquet");
        Assert.Equal("table", parquet.GetProperty("kind").GetString());
        Assert.Equal(["species (string)", "bill_length_mm (double)", "year (int32)"], parquet.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(3, parquet.GetProperty("rowCount").GetInt64());
        Assert.Equal(["Chinstrap", "49.5", ""], parquet.GetProperty("rows")[2].EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task A_page_hears_the_last_document_then_each_event_as_it_comes()
    {
        using var own = new ServedProject();
        using var client = await Visitor(own.Board);
        using var events = new StreamReader(await client.GetStreamAsync(own.Board.Root + "/events"));
        async Task<string> Next()
        {
            while (await events.ReadLineAsync() is { } line) if (line.StartsWith("data: ", StringComparison.Ordinal)) return line["data: ".Length..];
            throw new EndOfStreamException();
        }
        Assert.Equal("Penguins", BoardFeed.DocumentIn(await Next())!.Project);
        own.Board.Send(BoardFeed.Line(new BoardFeed.Started("Fit[Adelie]", "input changed", DateTime.UtcNow)));
        Assert.Contains("\"started\":{\"name\":\"Fit[Adelie]\"", await Next());
    }

    [Fact]
    public async Task A_page_that_comes_late_hears_the_last_document_and_what_the_watch_did_since_and_nothing_older()
    {
        using var own = new ServedProject();
        async Task<Func<Task<string>>> Page()
        {
            var client = await Visitor(own.Board);
            var events = new StreamReader(await client.GetStreamAsync(own.Board.Root + "/events"));
            return async () =>
            {
                while (await events.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line)
                    if (line.StartsWith("data: ", StringComparison.Ordinal)) return line["data: ".Length..];
                throw new EndOfStreamException();
            };
        }
        own.Board.Send(BoardFeed.CycleLine("20:16:09 running"));
        own.Board.Send(BoardFeed.Line(new BoardFeed.Started("Fit[Adelie]", "input changed", DateTime.UtcNow)));

        var early = await Page();
        Assert.NotNull(BoardFeed.DocumentIn(await early()));
        Assert.Equal("""{"cycle":"20:16:09 running"}""", await early());
        Assert.Contains("\"started\":{\"name\":\"Fit[Adelie]\"", await early());

        own.Board.Send(own.Project.Document(cycle: "20:16:10 watching for changes"));
        Assert.Equal("20:16:10 watching for changes", BoardFeed.DocumentIn(await early())!.Cycle);
        var late = await Page();
        Assert.Equal("20:16:10 watching for changes", BoardFeed.DocumentIn(await late())!.Cycle);
        own.Board.Send(BoardFeed.CycleLine("20:16:20 the project did not build (1 error); fix it and save"));
        Assert.Equal("""{"cycle":"20:16:20 the project did not build (1 error); fix it and save"}""", await late());
    }

    [Fact]
    public void It_ends_when_the_build_closes_its_input_and_leaves_no_process()
    {
        using var own = new ServedProject();
        var id = own.Board.ProcessId;
        Assert.True(own.Board.End(TimeSpan.FromSeconds(10)), "The board still ran 10 s after its input closed.");
        Assert.False(Directory.Exists($"/proc/{id}") && !File.ReadAllText($"/proc/{id}/stat").Contains(") Z"), "The board process is left.");
    }
}
