using System.Diagnostics;

namespace Dagdog.Build.Tests;

/// <summary>
/// Dagdog's state on a disk that refuses writes: a clear DAG019 at once, never a wait for a build that does not exist,
/// and no temporary file left behind. The disks are real file systems mounted over obj/dag/ (which takes root, as CI
/// has; elsewhere run the tests in a user namespace: unshare -rm dotnet test).
/// </summary>
public class StateDiskSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    private BuildProject Pair(string name) => projects.CreateProject(name)
        .Declare("""
            <DagTask Include="A" Outputs="out/a.txt" />
            <DagTask Include="B" DependsOn="A" Outputs="out/b.txt" />
            """)
        .AddTask("A", """Directory.CreateDirectory("out"); File.WriteAllText("out/a.txt", "a");""")
        .AddTask("B", """File.WriteAllText("out/b.txt", File.ReadAllText("out/a.txt") + "b");""");

    [Fact]
    public void A_read_only_state_folder_is_DAG019_at_once_not_a_wait_for_another_build()
    {
        var project = Pair("read only");
        project.Build().Succeeded();
        File.WriteAllText(project.PathOf("obj/dag/build.owner"), "999999");
        project.AddTask("A", """Directory.CreateDirectory("out"); File.WriteAllText("out/a.txt", "A");""");

        BuildResult build;
        var clock = Stopwatch.StartNew();
        using (Mount(project.PathOf("obj/dag"), "--bind", project.PathOf("obj/dag"), "-o", "bind,ro"))
        {
            build = project.Build();
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"The build took {clock.Elapsed}.");
        Assert.DoesNotContain("waiting for another build", build.Output);
        var error = build.FailedWith("DAG019");
        Assert.Contains("Read-only file system", error);
        Assert.Contains("obj/dag/", error);
        Assert.Empty(build.Ran);
    }

    [Fact]
    public void A_full_disk_is_DAG019_saying_so_and_the_next_build_leaves_no_temporary_file()
    {
        var project = Pair("full disk");
        project.Build().Succeeded();
        var state = project.PathOf("obj/dag");
        var saved = Path.Combine(projects.Root, $"saved-{Guid.NewGuid():N}");
        CopyFolder(state, saved);
        project.AddTask("B", """File.WriteAllText("out/b.txt", File.ReadAllText("out/a.txt") + "B");""");

        BuildResult full;
        using (Mount(state, "-t", "tmpfs", "-o", "size=256k", "tmpfs"))
        {
            CopyFolder(saved, state);
            // Fill what is left, so that writing B's record is what fails.
            try
            {
                using var filler = File.Create(Path.Combine(state, "filler"));
                filler.Write(new byte[1024 * 1024]);
            }
            catch (IOException)
            {
                // Full.
            }
            full = project.Build();
            File.Delete(Path.Combine(state, "filler"));
            // As a build killed while writing would leave it.
            File.WriteAllText(Path.Combine(state, "stamps", "B.stamp.4242.tmp"), "{");
            var recovered = project.Build();

            Assert.Contains("The disk is full: free some space, and build again.", full.FailedWith("DAG019"));
            Assert.Equal(["B"], recovered.Succeeded().Ran);
            Assert.Empty(Directory.GetFiles(state, "*.tmp", SearchOption.AllDirectories));
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    // Mounts over the folder until disposed.
    private static IDisposable Mount(string folder, params string[] options)
    {
        Assert.True(Environment.UserName == "root",
            "These specs mount file systems over a project's obj/dag/, which needs root: run the tests as root (as CI does) or in a user namespace (unshare -rm dotnet test).");
        Run("mount", [.. options, folder]);
        if (options.Contains("bind,ro")) Run("mount", ["-o", "remount,bind,ro", folder]);
        return new Unmount(folder);
    }

    private static void Run(string command, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} failed: {error}");
    }

    private sealed class Unmount(string folder) : IDisposable
    {
        public void Dispose() => Run("umount", [folder]);
    }
}
