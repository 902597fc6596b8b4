namespace Dagdog.Tests;

/// <summary>The staleness rule mirrors MSBuild's check of a task target's Inputs and Outputs.</summary>
public class StalenessSpecs
{
    private static readonly StateLayout Layout = new("/p/obj/dag", "/p");
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TaskDataFiles Files = new(["data/raw.csv"], ["out/model.json"]);

    private readonly Dictionary<string, DateTime> _times = new()
    {
        [Layout.CodeFile("Fit")] = T0,
        [Layout.StampFile("Clean")] = T0.AddSeconds(1),
        ["/p/data/raw.csv"] = T0.AddSeconds(1),
        ["/p/out/model.json"] = T0.AddSeconds(2),
        [Layout.StampFile("Fit")] = T0.AddSeconds(3),
    };

    private string? Reason(TaskState? state = null) =>
        Staleness.Reason("Fit", ["Clean"], Files, Layout, () => state ?? new TaskState(null, false), path => _times.TryGetValue(path, out var t) ? t : null);

    [Fact]
    public void A_task_newer_than_all_its_inputs_with_its_outputs_present_is_up_to_date() => Assert.Null(Reason());

    [Fact]
    public void Equal_timestamps_count_as_up_to_date()
    {
        _times["/p/data/raw.csv"] = T0.AddSeconds(2);
        Assert.Null(Reason());
    }

    [Fact]
    public void Without_a_stamp_a_task_never_ran_or_its_last_run_failed()
    {
        _times.Remove(Layout.StampFile("Fit"));

        Assert.Equal(Reasons.NeverRan, Reason());
        Assert.Equal(Reasons.LastRunFailed, Reason(new TaskState(new RunRecord("Fit", false, T0, T0, 0, "never ran", "boom"), false)));
    }

    [Fact]
    public void A_missing_output_makes_it_stale()
    {
        _times.Remove("/p/out/model.json");
        Assert.Equal("output missing: out/model.json", Reason());
    }

    [Fact]
    public void Newer_code_makes_it_stale()
    {
        _times[Layout.CodeFile("Fit")] = T0.AddSeconds(4);
        Assert.Equal(Reasons.CodeChanged, Reason());
    }

    [Fact]
    public void A_parent_that_ran_later_makes_it_stale()
    {
        _times[Layout.StampFile("Clean")] = T0.AddSeconds(4);
        Assert.Equal("upstream Clean re-ran", Reason());
    }

    [Fact]
    public void An_input_newer_than_the_oldest_output_makes_it_stale_even_if_older_than_the_stamp()
    {
        // MSBuild compares the newest input with the oldest output, not with the stamp.
        _times["/p/data/raw.csv"] = T0.AddSeconds(2.5);
        Assert.Equal("input changed: data/raw.csv", Reason());
    }

    [Fact]
    public void A_missing_input_makes_it_stale()
    {
        _times.Remove("/p/data/raw.csv");
        Assert.Equal("input missing: data/raw.csv", Reason());
    }
}
