using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dagdog.Board;

/// <summary>
/// The board as one HTML file (<c>DagBoardFile</c>): the same page with its scripts and styles inlined, the document,
/// each declared file's preview (images as data, HTML as the frame's source) and each log's tail, within a size budget;
/// nothing fetched from anywhere, the scripts allowed by their hashes only.
/// </summary>
internal static class Snapshot
{
    // What previews and log tails may add to the file together, and one image or page at most.
    private const long Budget = 32L << 20;
    private const long Inlined = 4L << 20;

    public static int Write(string file, BoardDocument? document)
    {
        if (document is null)
        {
            Console.Error.WriteLine("Dagdog.Board: no board document came in; nothing was written.");
            return 1;
        }
        var previews = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var logs = new Dictionary<string, string>(StringComparer.Ordinal);
        var spent = 0L;
        foreach (var unit in document.Tasks.SelectMany(task => task.Instances is { } instances ? instances.Prepend(task) : [task]))
        {
            foreach (var path in unit.Inputs.Concat(unit.Outputs).Select(f => f.Path).Where(path => !previews.ContainsKey(path)))
            {
                if (FileGate.Open(document, path) is not { } full) continue;
                var preview = Previews.Of(path, full);
                var inlined = Inline(preview, full, Budget - spent);
                spent += inlined.Bytes;
                previews[path] = inlined.Preview;
            }
            if (logs.ContainsKey(unit.Log) || spent >= Budget || FileGate.Open(document, unit.Log) is not { } log || !File.Exists(log)) continue;
            logs[unit.Log] = Previews.Tail(log);
            spent += logs[unit.Log].Length;
        }

        // JSON escapes <, > and & by default: no "</script>" can end the data early.
        // The file goes where the build's folder does not: it names no folder of the machine it was made on.
        var data = $"window.DAGDOG_SNAPSHOT = {JsonSerializer.Serialize(new { document = document with { ProjectDirectory = "" }, previews, logs }, BoardServer.Json)};";
        string[] scripts = [PageFiles.Read("dagre.min.js"), data, PageFiles.Read("board.js")];
        var policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src data:; base-uri 'none'; form-action 'none'; script-src "
                     + string.Join(' ', scripts.Select(script => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'"));
        var page = PageFiles.Read("index.html")
            .Replace("<!--policy-->", $"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">")
            .Replace("<link rel=\"stylesheet\" href=\"assets/board.css\">", $"<style>{PageFiles.Read("board.css")}</style>")
            .Replace("<script src=\"assets/dagre.min.js\"></script>", $"<script>{scripts[0]}</script>\n<script>{scripts[1]}</script>")
            .Replace("<script src=\"assets/board.js\"></script>", $"<script>{scripts[2]}</script>");
        var target = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, page);
        return 0;
    }

    private static JsonElement SizeOnly(Previews.Preview preview) =>
        JsonSerializer.SerializeToElement<Previews.Preview>(new Previews.Binary(preview.Path, preview.Bytes, null), BoardServer.Json);

    // Images become data addresses, HTML the frame's document, when they fit what is left.
    private static (JsonElement Preview, long Bytes) Inline(Previews.Preview preview, string full, long left) => preview switch
    {
        Previews.Image image when image.Bytes <= Math.Min(Inlined, left) => (JsonSerializer.SerializeToElement(
            new { kind = "image", image.Path, image.Bytes, image.MediaType, data = $"data:{image.MediaType};base64,{Convert.ToBase64String(File.ReadAllBytes(full))}" },
            BoardServer.Json), image.Bytes * 4 / 3),
        Previews.Html html when html.Bytes <= Math.Min(Inlined, left) =>
            (JsonSerializer.SerializeToElement(new { kind = "html", html.Path, html.Bytes, document = File.ReadAllText(full) }, BoardServer.Json), html.Bytes),
        // Too big to inline, or over the budget: its size.
        Previews.Image or Previews.Html => (SizeOnly(preview), 0),
        _ when Math.Min(preview.Bytes, Previews.PrefixBytes) > left => (SizeOnly(preview), 0),
        _ => (JsonSerializer.SerializeToElement(preview, BoardServer.Json), Math.Min(preview.Bytes, Previews.PrefixBytes)),
    };
}
