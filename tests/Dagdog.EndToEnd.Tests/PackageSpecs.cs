using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Dagdog.EndToEnd;

/// <summary>
/// The packages say what they are at a glance: a README, description, tags, license and the commit they were made from,
/// and the shipped assemblies carry their PDB (with Source Link when the repository's origin is on GitHub).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class PackageSpecs(SdkFeed feed)
{
    [Theory]
    [InlineData("Dagdog.Sdk", "MSBuildSdk")]
    [InlineData("Dagdog.Templates", "Template")]
    public void A_package_has_a_readme_description_tags_license_and_its_commit(string id, string packageType)
    {
        using var package = Open(id);
        var metadata = Nuspec(package);
        string? Value(string name) => metadata.Element(metadata.Name.Namespace + name)?.Value;

        Assert.Equal(id, Value("id"));
        Assert.Equal(SdkFeed.Version, Value("version"));
        Assert.Equal("README.md", Value("readme"));
        var readme = Read(package, "README.md").ReplaceLineEndings("\n");
        Assert.StartsWith($"# {id}\n", readme);
        if (id == "Dagdog.Sdk") Assert.Contains($"<Project Sdk=\"Dagdog.Sdk/{SdkFeed.Version}\">", readme);
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.Contains("DAG", Value("tags")!.Split(' '));
        var license = metadata.Element(metadata.Name.Namespace + "license")!;
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal(packageType, (string?)metadata.Descendants(metadata.Name.Namespace + "packageType").Single().Attribute("name"));
        var repository = metadata.Element(metadata.Name.Namespace + "repository")!;
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Matches("^[0-9a-f]{40}$", (string?)repository.Attribute("commit"));
    }

    [Theory]
    [InlineData("Dagdog.Build.dll")]
    [InlineData("Dagdog.Core.dll")]
    [InlineData("Dagdog.Worker.dll")]
    public void A_shipped_assembly_carries_its_pdb_with_source_link_to_its_commit_when_origin_is_on_GitHub(string assembly)
    {
        using var package = Open("Dagdog.Sdk");
        var commit = (string?)Nuspec(package).Element(Nuspec(package).Name.Namespace + "repository")!.Attribute("commit");
        using var bytes = new MemoryStream();
        using (var entry = package.GetEntry($"tasks/net10.0/{assembly}")!.Open()) entry.CopyTo(bytes);
        bytes.Position = 0;
        using var pe = new PEReader(bytes);

        var embedded = pe.ReadDebugDirectory().Where(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb).ToList();

        Assert.Single(embedded);
        using var pdb = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded[0]);
        var reader = pdb.GetMetadataReader();
        Assert.NotEmpty(reader.Documents);
        var sourceLink = reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == SourceLinkKind)
            .Select(info => System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)))
            .SingleOrDefault();
        // Without an origin on a host Source Link knows (a local clone), there is none; with one, it points at this commit.
        if (GitHubOrigin() is { } repository) Assert.Contains($"https://raw.githubusercontent.com/{repository}/{commit}/*", sourceLink);
        else if (sourceLink is not null) Assert.Contains($"/{commit}/", sourceLink);
    }

    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    // "owner/name" when the repository's origin is a GitHub URL, the only host Source Link is checked against here.
    private string? GitHubOrigin()
    {
        var start = new ProcessStartInfo("git", ["remote", "get-url", "origin"])
        {
            WorkingDirectory = feed.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var git = Process.Start(start)!;
        var origin = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        var match = Regex.Match(git.ExitCode == 0 ? origin : "", @"^(https://github\.com/|git@github\.com:)(?<repository>[^/]+/[^/]+?)(\.git)?$");
        return match.Success ? match.Groups["repository"].Value : null;
    }

    private ZipArchive Open(string id) =>
        ZipFile.OpenRead(Path.Combine(feed.RepositoryRoot, "artifacts", "packages", $"{id}.{SdkFeed.Version}.nupkg"));

    private static XElement Nuspec(ZipArchive package)
    {
        var document = XDocument.Parse(Read(package, package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).FullName));
        return document.Root!.Element(document.Root.Name.Namespace + "metadata")!;
    }

    private static string Read(ZipArchive package, string path)
    {
        using var reader = new StreamReader(package.GetEntry(path)!.Open());
        return reader.ReadToEnd();
    }
}
