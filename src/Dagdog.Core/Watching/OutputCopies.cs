namespace Dagdog.Watching;

/// <summary>
/// The files a build copies from where the compiler writes them (<c>obj/</c>) to where they are used (<c>bin/</c>, and
/// <c>obj/.../ref/</c> for the reference assembly), as <c>CopyFilesToOutputDirectory</c> does after <c>CoreCompile</c>.
/// Each copy keeps its source's time, so the next build's Copy task finds them unchanged and copies nothing.
/// </summary>
internal sealed record OutputCopies(IReadOnlyList<(string From, string To)> Files)
{
    public void Copy()
    {
        foreach (var (from, to) in Files.Where(file => File.Exists(file.From)))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            // A new file renamed into place: a process that still maps the old one keeps reading the old one.
            var copy = to + ".dagcopy";
            File.Copy(from, copy, overwrite: true);
            File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(from));
            File.Move(copy, to, overwrite: true);
        }
    }
}
