using Dagdog.Running;

namespace Dagdog.Tests.Running;

/// <summary>Each status is said one way, wherever it is said.</summary>
public class StatusWordsSpecs
{
    [Fact]
    public void Every_status_has_its_words_and_a_distinct_name_in_the_run_report()
    {
        var statuses = Enum.GetValues<TurnStatus>();

        Assert.All(statuses, status => Assert.False(string.IsNullOrWhiteSpace(StatusWords.Word(status))));
        Assert.Equal(statuses.Length, statuses.Select(StatusWords.Json).Distinct().Count());
        Assert.All(statuses.Select(StatusWords.Json), name => Assert.Matches("^[a-z]+(-[a-z]+)*$", name));
    }

    [Fact]
    public void Counts_say_restored_as_ran_in_a_fixed_order_and_leave_out_what_no_task_had()
    {
        TurnStatus[] statuses = [TurnStatus.NotRun, TurnStatus.Failed, TurnStatus.UpToDate, TurnStatus.Restored, TurnStatus.Ran, TurnStatus.UpToDate];

        Assert.Equal("2 ran, 2 up to date, 1 failed, 1 not run", StatusWords.Counts(statuses));
        Assert.Equal("3 up to date", StatusWords.Counts([TurnStatus.UpToDate, TurnStatus.UpToDate, TurnStatus.UpToDate]));
    }

    [Theory]
    [InlineData(nameof(TurnStatus.Ran), true)]
    [InlineData(nameof(TurnStatus.Restored), true)]
    [InlineData(nameof(TurnStatus.Failed), true)]
    [InlineData(nameof(TurnStatus.Interrupted), true)]
    [InlineData(nameof(TurnStatus.UpToDate), false)]
    [InlineData(nameof(TurnStatus.NotRun), false)]
    public void Only_a_task_that_started_has_a_duration(string status, bool started) =>
        Assert.Equal(started, StatusWords.Started(Enum.Parse<TurnStatus>(status)));
}
