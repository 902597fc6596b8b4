using Dagdog.State;

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

    [Theory]
    [InlineData("k", "\u212A")]          // KELVIN SIGN lower-cases to 'k', but the key comparison keeps them apart
    [InlineData("i", "\u0130")]          // LATIN CAPITAL LETTER I WITH DOT ABOVE
    [InlineData("s", "\u017F")]          // LATIN SMALL LETTER LONG S upper-cases to 'S'
    [InlineData("adelie", "ADELIE2")]
    public void Two_instance_keys_the_key_comparison_keeps_apart_have_two_state_files(string one, string other)
    {
        Assert.False(Dagdog.Families.InstanceKeys.Comparer.Equals(one, other));
        Assert.NotEqual(StateLayout.FileName($"Fit[{one}]"), StateLayout.FileName($"Fit[{other}]"));
    }

    [Theory]
    [InlineData("adelie", "ADELIE")]
    [InlineData("\u01C5", "\u01C4")]    // a title-case letter and its upper case
    [InlineData("\u03C3", "\u03C2")]    // σ and the final ς: both upper-case to Σ
    [InlineData("\u00B5", "\u03BC")]    // MICRO SIGN and μ
    public void Two_keys_the_comparison_finds_equal_share_their_state_files_and_an_ASCII_key_is_lower_case(string one, string other)
    {
        Assert.True(Dagdog.Families.InstanceKeys.Comparer.Equals(one, other));
        Assert.Equal(StateLayout.FileName($"Fit[{one}]"), StateLayout.FileName($"Fit[{other}]"));
        Assert.Equal("Fit/adelie", StateLayout.FileName("Fit[AdElIe]"));
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
