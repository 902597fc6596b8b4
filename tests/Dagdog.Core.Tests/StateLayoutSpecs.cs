namespace Dagdog.Tests;

/// <summary>Every task name that is a C# identifier maps to a short, stable file name that no other task shares.</summary>
public class StateLayoutSpecs
{
    [Theory]
    [InlineData("Fit")]
    [InlineData("fit_2024")]
    public void A_plain_ASCII_name_is_its_own_file_name(string task) => Assert.Equal(task, StateLayout.FileName(task));

    [Theory]
    [InlineData("Ünïcødé")]
    [InlineData("任务")]
    [InlineData("Ajustement_modèle")]
    public void A_name_with_other_letters_becomes_its_ASCII_letters_and_a_hash(string task)
    {
        var name = StateLayout.FileName(task);

        Assert.Matches("^[A-Za-z0-9_]*-[0-9a-f]{16}$", name);
        Assert.Equal(name, StateLayout.FileName(task));
    }

    [Fact]
    public void A_long_name_fits_far_below_the_file_system_limit_and_keeps_apart_from_a_similar_one()
    {
        var long1 = new string('A', 249) + "1";
        var long2 = new string('A', 249) + "2";
        var cjk = string.Concat(Enumerable.Repeat("任", 90));

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(StateLayout.FileName(long1) + ".code.123456.tmp") < 100);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(StateLayout.FileName(cjk) + ".code.123456.tmp") < 100);
        Assert.NotEqual(StateLayout.FileName(long1), StateLayout.FileName(long2));
    }

    [Fact]
    public void The_generated_targets_and_the_tasks_use_the_same_paths()
    {
        var layout = new StateLayout("/p/obj/dag", "/p");

        Assert.Equal(Path.Combine("/p/obj/dag", StateLayout.Relative.StampFile("任务")), layout.StampFile("任务"));
        Assert.StartsWith("stamps/", StateLayout.Relative.StampFile("任务"));
        Assert.EndsWith(".stamp", StateLayout.Relative.StampFile("任务"));
    }
}
