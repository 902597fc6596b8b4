using Dagdog.Graph;
using Dagdog.Planning;
using Dagdog.Running;

namespace Dagdog.Tests;

/// <summary>The build's settings, as the targets hand them over: each property read one way, with its default when unset.</summary>
public class DagSettingsSpecs
{
    private static DagSettings Given(params (string Name, string Value)[] settings) => DagSettings.Of(settings);

    [Fact]
    public void An_unset_or_empty_setting_reads_as_its_default()
    {
        var settings = Given(("DagJobs", "2"), ("DagCachePush", ""), ("DagKeepGoing", ""));

        Assert.Equal((2, null), settings.Jobs);
        Assert.Equal((true, null), settings.CachePush);
        Assert.Equal((false, null), settings.KeepGoing);
        Assert.Equal((false, null), settings.DryRun);
        Assert.Equal((1000, null), settings.OutputLines);
        Assert.Equal((DagSettings.DefaultForgottenLimit, null), settings.ForgottenLimit);
        Assert.Equal((null, null), ExecutorSettings.Read(settings.Executor, checkSrun: true));
        Assert.Equal("", settings.Cache);
    }

    [Fact]
    public void A_value_that_cannot_be_read_is_an_error_naming_its_property_and_DagJobs_is_DAG020()
    {
        var settings = Given(("DagJobs", "0"), ("DagKeepGoing", "yes"), ("DagOutputLines", "-1"), ("DagExecutor", "cloud"));

        Assert.Equal(DagCodes.InvalidRunLimit, settings.Jobs.Problem!.Code);
        Assert.Equal("DagKeepGoing must be true or false, not 'yes'.", settings.KeepGoing.Problem!.Message);
        Assert.Equal(DagCodes.InvalidOption, settings.OutputLines.Problem!.Code);
        Assert.StartsWith("Unknown DagExecutor 'cloud'.", ExecutorSettings.Read(settings.Executor, checkSrun: false).Problem!.Message);
    }

    [Fact]
    public void The_board_s_settings_default_to_loopback_the_default_port_a_browser_and_twenty_kept_runs()
    {
        var settings = Given();

        Assert.Equal((System.Net.IPAddress.Loopback, null), settings.BoardHost);
        Assert.Equal((null, null), settings.BoardPort);
        Assert.Equal((true, null), settings.BoardOpen);
        Assert.Equal((DagSettings.DefaultKeptRuns, null), settings.KeptRuns);
        Assert.Equal("", settings.BoardFile);
    }

    [Theory]
    [InlineData("DagBoardPort", "65536", "DagBoardPort must be a port from 1 to 65535, not '65536'.")]
    [InlineData("DagBoardPort", "0", "DagBoardPort must be a whole number of 1 or more, not '0'.")]
    [InlineData("DagBoardHost", "localhost", "DagBoardHost must be an IP address to listen on (127.0.0.1, ::1, 0.0.0.0), not 'localhost'.")]
    [InlineData("DagBoardOpen", "maybe", "DagBoardOpen must be true or false, not 'maybe'.")]
    [InlineData("DagKeptRuns", "-1", "DagKeptRuns must be a whole number of 0 or more, not '-1'.")]
    public void A_board_setting_that_cannot_be_read_is_DAG027_naming_it(string property, string value, string message)
    {
        var settings = Given((property, value));
        var problem = property switch
        {
            "DagBoardPort" => settings.BoardPort.Problem,
            "DagBoardHost" => settings.BoardHost.Problem,
            "DagBoardOpen" => settings.BoardOpen.Problem,
            _ => settings.KeptRuns.Problem,
        };

        Assert.Equal(DagCodes.InvalidOption, problem!.Code);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Names_compare_ignoring_case_as_MSBuild_s_properties_do_and_the_last_of_two_wins()
    {
        var settings = Given(("dagcache", "../cache"), ("DagFormat", "json"), ("DAGFORMAT", "DOT"));

        Assert.Equal("../cache", settings.Cache);
        Assert.Equal("dot", settings.Format);
    }

    [Fact]
    public void The_selection_is_read_from_its_settings_and_the_target_asked_for()
    {
        var (selection, problem) = Given(("Dag", ""), ("DagForce", "true")).Selection(target: "Fit");

        Assert.Null(problem);
        Assert.Equal("+Fit, forced", selection!.Describe(null));
    }
}
