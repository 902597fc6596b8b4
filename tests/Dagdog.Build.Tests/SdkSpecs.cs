namespace Dagdog.Build.Tests;

/// <summary>
/// What MSBuild SDK users expect of an SDK (as Microsoft's MSBuildSdks have them): a marker property, imports before and
/// after the SDK's props and targets, and a DependsOn list to put their own targets before the tasks.
/// </summary>
public class SdkSpecs(BuildProjects projects) : IClassFixture<BuildProjects>
{
    [Fact]
    public void The_marker_and_the_four_hooks_are_there_and_a_target_in_DagDependsOn_runs_before_the_tasks_are_checked_and_can_set_Dagdog_s_settings()
    {
        var project = projects.CreateProject("hooks")
            .AddTask("Load", """File.WriteAllText("out.txt", File.ReadAllText("data/raw.csv"));""")
            .WriteFile("before.props", """<Project><PropertyGroup><HookOrder>before-props</HookOrder></PropertyGroup></Project>""")
            .WriteFile("after.props", """<Project><PropertyGroup><HookOrder>$(HookOrder);after-props</HookOrder></PropertyGroup></Project>""")
            .WriteFile("before.targets", """<Project><PropertyGroup><HookOrder>$(HookOrder);before-targets</HookOrder></PropertyGroup></Project>""")
            .WriteFile("after.targets", """<Project><PropertyGroup><HookOrder>$(HookOrder);after-targets</HookOrder></PropertyGroup></Project>""")
            .WriteFile("Analysis.csproj", $"""
                <Project Sdk="Dagdog.Sdk/{Repository.SdkVersion}">
                  <PropertyGroup>
                    <DagDependsOn>Download</DagDependsOn>
                  </PropertyGroup>
                  <ItemGroup>
                    <DagTask Include="Load" Inputs="data/raw.csv" Outputs="out.txt" />
                  </ItemGroup>
                  <Target Name="Download">
                    <!-- The project's folder named: MSBuild's own tasks resolve a relative path against the process's current
                         folder, which builds in one process (these specs') share. -->
                    <WriteLinesToFile File="$(MSBuildProjectDirectory)/data/raw.csv" Lines="downloaded" Overwrite="true" />
                    <!-- A setting a target sets counts, as it would in a task's parameter. -->
                    <PropertyGroup>
                      <DagCache>team-cache</DagCache>
                    </PropertyGroup>
                  </Target>
                </Project>
                """);
        string[] hooks = ["-p:CustomBeforeDagdogProps=before.props", "-p:CustomAfterDagdogProps=after.props",
            "-p:CustomBeforeDagdogTargets=before.targets", "-p:CustomAfterDagdogTargets=after.targets"];

        var marker = project.Build([.. hooks, "-getProperty:UsingDagdogSdk", "-p:DagRun=false"]).Succeeded();
        var order = project.Build([.. hooks, "-getProperty:HookOrder", "-p:DagRun=false"]).Succeeded();
        var build = project.Build(hooks).Succeeded();

        Assert.Equal("true", marker.Output);
        Assert.Equal("before-props;after-props;before-targets;after-targets", order.Output);
        Assert.Equal(["Load"], build.Ran);
        Assert.Equal("downloaded", project.ReadFile("out.txt").Trim());
        Assert.Single(Directory.GetFiles(project.PathOf("team-cache/entries"), "*.json"));
    }

    [Fact]
    public void A_restore_leaves_the_task_targets_of_unchanged_declarations_alone_and_writes_them_again_when_cut_short()
    {
        var project = projects.CreateProject("restore")
            .AddTask("Load", """File.AppendAllText("ran.txt", "Load\n"); File.WriteAllText("out.txt", "x");""")
            .Declare("""<DagTask Include="Load" Outputs="out.txt" />""");
        project.Build().Succeeded();
        var targets = project.PathOf("obj/Analysis.dag.g.targets");
        var written = File.GetLastWriteTimeUtc(targets);

        File.SetLastWriteTimeUtc(targets, written.AddMinutes(-1));
        Assert.Empty(project.Build().Succeeded().Ran);
        Assert.Equal(written.AddMinutes(-1), File.GetLastWriteTimeUtc(targets));

        // A disk that filled up as restore wrote it: the signature near the start is whole, the end is not.
        var whole = project.ReadFile("obj/Analysis.dag.g.targets");
        File.WriteAllText(targets, whole[..(whole.Length / 2)]);
        Assert.Empty(project.Build().Succeeded().Ran);
        Assert.Equal(whole, project.ReadFile("obj/Analysis.dag.g.targets"));
    }
}
