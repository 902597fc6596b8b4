using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dagdog.Board;

/// <summary>
/// The live board: Kestrel on the given address only, every request with the token (in the address the build printed,
/// then a cookie), read-only, serving the page, the feed as Server-Sent Events, and the files the document names
/// (<see cref="FileGate"/>) with their previews. It ends when its standard input does: the build that started it owns it.
/// </summary>
internal static class BoardServer
{
    // The page runs only its own scripts and reaches only the board; previewed HTML is framed from /file, which sandboxes it.
    private const string PagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
                                      "frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    // A served file is shown in a sandbox (an origin of its own, no scripts), framed by the board only.
    private const string FilePolicy = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The variable the board's token comes in: a process's environment is its user's to read, its command line anyone's.</summary>
    public const string TokenVariable = "DAGDOG_BOARD_TOKEN";

    /// <param name="ports">The ports to try in turn: the one asked for, or the default then 0 (a free one).</param>
    public static async Task<int> Serve(string host, IReadOnlyList<int> ports, string token, TextReader feed, TextWriter announce)
    {
        var hub = new BoardHub();
        WebApplication? app = null;
        foreach (var port in ports)
        {
            app = Build(host, port, token, hub);
            try
            {
                await app.StartAsync();
                break;
            }
            catch (IOException e)
            {
                // Taken (another board, another server): the next port, or the reason the build shows (DAG044).
                await app.DisposeAsync();
                if (port != ports[^1]) continue;
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
        }
        var address = app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await announce.WriteLineAsync($"{address.TrimEnd('/')}/?token={token}");
        await announce.FlushAsync();

        while (await feed.ReadLineAsync() is { } line) hub.Publish(line);
        hub.End();
        await app.StopAsync(TimeSpan.FromSeconds(2));
        await app.DisposeAsync();
        return 0;
    }

    private static WebApplication Build(string host, int port, string token, BoardHub hub)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Parse(host), port));
        var app = builder.Build();
        // Browsers send a cookie for 127.0.0.1 to every port there: the cookie is a session of this board's own, not its
        // token, under a name of its own.
        var session = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var cookie = $"dagdog-board-{session[..12]}";

        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            headers.ContentSecurityPolicy = PagePolicy;
            if (context.Request.Query["token"] is [{ } given] && Same(given, token))
            {
                // The token leaves the address bar: a cookie for this board only, never sent by another site.
                context.Response.Cookies.Append(cookie, session, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
                // To a path of this board only ("//host" would be another site).
                context.Response.Redirect("/" + context.Request.Path.Value?.TrimStart('/'));
                return;
            }
            if (context.Request.Cookies[cookie] is not { } kept || !Same(kept, session))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsync("Open the board at the address the build printed: it has the token.");
                return;
            }
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                // Read-only: nothing a request sends changes the project or runs a task.
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }
            await next();
        });

        app.MapGet("/", () => Results.Text(PageFiles.Read("index.html"), PageFiles.MediaTypes["index.html"]));
        app.MapGet("/assets/{name}", (string name) =>
            PageFiles.MediaTypes.TryGetValue(name, out var type) && name != "index.html" ? Results.Text(PageFiles.Read(name), type) : Results.NotFound());
        app.MapGet("/events", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/event-stream";
            var lines = hub.Listen(context.RequestAborted);
            await context.Response.WriteAsync(": dagdog board\n\n");
            await context.Response.Body.FlushAsync();
            await foreach (var line in lines.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync($"data: {line}\n\n");
                await context.Response.Body.FlushAsync();
            }
        });
        app.MapGet("/file", (HttpContext context, string? path) =>
        {
            if (FileGate.Open(hub.Document, path) is not { } full || !File.Exists(full)) return Results.NotFound();
            context.Response.Headers.ContentSecurityPolicy = FilePolicy;
            return Results.File(full, Previews.MediaType(full));
        });
        app.MapGet("/preview", (string? path) =>
            FileGate.Open(hub.Document, path) is { } full ? Results.Json(Previews.Of(path!, full), Json) : Results.NotFound());
        app.MapGet("/log", (string? path) =>
            FileGate.Open(hub.Document, path) is { } full && File.Exists(full) ? Results.Text(Previews.Tail(full), "text/plain; charset=utf-8") : Results.NotFound());
        return app;
    }

    private static bool Same(string given, string token) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));
}
