using Dagdog.Graph;
using Dagdog.Running;

namespace Dagdog.Tests.Running;

/// <summary>DagExecutor and the Slurm settings, read before any task starts.</summary>
public sealed class ExecutorSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dagdog-path-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Local_is_the_default_and_needs_no_settings() =>
        Assert.Equal((null, null), ExecutorSettings.Read("", "", "", "", "", checkSrun: true));

    [Fact]
    public void Slurm_without_srun_on_PATH_is_one_clear_error_before_any_task_starts()
    {
        var (slurm, problem) = ExecutorSettings.Read("slurm", "", "", "", "", checkSrun: true, path: _folder);

        Assert.Null(slurm);
        Assert.Equal(DagCodes.SlurmMissing, problem!.Code);
        Assert.Contains("DagExecutor=slurm needs Slurm's srun, which is not on PATH here", problem.Message);
    }

    [Fact]
    public void Slurm_settings_are_read_from_the_properties()
    {
        File.WriteAllText(Path.Combine(_folder, "srun"), "");

        var (slurm, problem) = ExecutorSettings.Read("SLURM", "gpu", "lab", "--qos=short  --exclusive", "00:01:00", checkSrun: true, path: _folder);

        Assert.Null(problem);
        Assert.Equal(new SlurmSettings("gpu", "lab", slurm!.ExtraArguments, TimeSpan.FromMinutes(1)), slurm);
        Assert.Equal(["--qos=short", "--exclusive"], slurm.ExtraArguments);
    }

    [Theory]
    [InlineData("cloud", "", "Unknown DagExecutor 'cloud'")]
    [InlineData("slurm", "soon", "DagSlurmIdle 'soon' is not a duration")]
    public void A_bad_value_is_DAG027(string executor, string idle, string message)
    {
        var (_, problem) = ExecutorSettings.Read(executor, "", "", "", idle, checkSrun: false);

        Assert.Equal(DagCodes.InvalidOption, problem!.Code);
        Assert.Contains(message, problem.Message);
    }

    [Theory]
    [InlineData("--output=/dev/null", "--output")]
    [InlineData("-o out.txt", "-o")]
    [InlineData("-oout.txt", "-oout.txt")]
    [InlineData("--error=err.txt", "--error")]
    [InlineData("-e err.txt", "-e")]
    [InlineData("--input=none", "--input")]
    [InlineData("-i none", "-i")]
    [InlineData("--label", "--label")]
    [InlineData("-l", "-l")]
    [InlineData("--quiet", "--quiet")]
    [InlineData("-Q", "-Q")]
    [InlineData("-u", "-u")]
    [InlineData("--unbuffered", "--unbuffered")]
    [InlineData("--pty", "--pty")]
    [InlineData("--cpus-per-task=4", "--cpus-per-task")]
    [InlineData("-c 4", "-c")]
    [InlineData("--mem=4G", "--mem")]
    [InlineData("--time=10", "--time")]
    [InlineData("-t 10", "-t")]
    [InlineData("--ntasks=2", "--ntasks")]
    [InlineData("-n 2", "-n")]
    [InlineData("--out=/dev/null", "--out")]
    [InlineData("--lab", "--lab")]
    [InlineData("--mem-per-cpu=1G", "--mem-per-cpu")]
    [InlineData("--mem-per-gpu=1G", "--mem-per-gpu")]
    public void A_srun_option_that_takes_the_worker_s_streams_or_contradicts_a_task_s_metadata_is_DAG027(string arguments, string named)
    {
        var (_, problem) = ExecutorSettings.Read("slurm", "", "", $"--qos=short {arguments}", "", checkSrun: false);

        Assert.Equal(DagCodes.InvalidOption, problem!.Code);
        Assert.StartsWith($"DagSlurmArgs may not hold {named}: ", problem.Message);
    }

    [Theory]
    [InlineData("--qos=short --exclusive")]
    [InlineData("--mem-bind=local --time-min=5 --nodelist=n1 --constraint=fast")]
    [InlineData("--comment=output-of-the-fit -N 1")]
    public void Other_srun_options_are_passed_as_given(string arguments) =>
        Assert.Null(ExecutorSettings.Read("slurm", "", "", arguments, "", checkSrun: false).Problem);

    [Theory]
    [InlineData("8GB", 8192L)]
    [InlineData("512MB", 512L)]
    [InlineData("2g", 2048L)]
    [InlineData("100", 100L)]
    [InlineData("1500KB", 2L)]
    public void Memory_is_read_in_megabytes(string memory, long megabytes) =>
        Assert.Equal(megabytes, Dag.Create([new TaskDeclaration("Fit", [], Memory: memory)]).Dag!.Tasks[0].MemoryMegabytes);

    [Fact]
    public void A_Memory_that_is_not_an_amount_is_DAG020() =>
        Assert.Contains("Memory=\"lots\" of task 'Fit' is not an amount of memory", Assert.Single(Dag.Create([new TaskDeclaration("Fit", [], Memory: "lots")]).Problems).Message);
}
