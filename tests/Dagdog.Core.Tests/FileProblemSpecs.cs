using Dagdog.Graph;

namespace Dagdog.Tests;

/// <summary>DAG019 says what a file's problem is, and the fix that problem calls for.</summary>
public sealed class FileProblemSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dagdog-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Exception Opening(string path)
    {
        try
        {
            using var _ = File.OpenRead(path);
        }
        catch (Exception e)
        {
            return e;
        }
        throw new InvalidOperationException($"{path} opened.");
    }

    [Fact]
    public void A_dangling_symbolic_link_says_its_target_does_not_exist()
    {
        var link = Path.Combine(_folder, "data.csv");
        File.CreateSymbolicLink(link, "/nowhere/data.csv");

        var problem = DagProblem.FileUnusable("Fit", Opening(link));

        Assert.Equal(DagCodes.DataFileUnusable, problem.Code);
        Assert.EndsWith($"'{link}' is a symbolic link to '/nowhere/data.csv', which does not exist: fix the link or remove it, and build again.", problem.Message);
    }

    [Fact]
    public void A_name_longer_than_the_file_system_allows_says_so()
    {
        var problem = DagProblem.FileUnusable("Fit", Opening(Path.Combine(_folder, new string('x', 300) + ".csv")));

        Assert.EndsWith("A name in that path is longer than the file system allows (255 bytes for one name on most): shorten it, and build again.", problem.Message);
    }

    [Fact]
    public void A_file_another_program_holds_or_forbids_says_to_close_it_or_fix_its_permissions() =>
        Assert.Contains("Close the program that holds it open, or fix its permissions",
            DagProblem.FileUnusable(null, new UnauthorizedAccessException("Access to the path '/p/out/x' is denied.")).Message);
}
