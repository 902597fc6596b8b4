using System.Globalization;
using Dagdog.Families;

namespace Dagdog.Tests.Families;

/// <summary>Run's parameters read their text one way, whatever the machine's culture: README's table, form by form.</summary>
public class ParameterTextSpecs
{
    public enum Kind { Linear, Cubic }

    [Theory]
    [InlineData(typeof(int), "42", 42)]
    [InlineData(typeof(int), "-7", -7)]
    [InlineData(typeof(int), "+7", 7)]
    [InlineData(typeof(long), "9000000000", 9_000_000_000L)]
    [InlineData(typeof(double), "3.5", 3.5)]
    [InlineData(typeof(double), "-0.25", -0.25)]
    [InlineData(typeof(double), "1e-3", 0.001)]
    [InlineData(typeof(double), ".5", 0.5)]
    [InlineData(typeof(double), "2.", 2.0)]
    [InlineData(typeof(float), "1.5E2", 150f)]
    [InlineData(typeof(bool), "true", true)]
    [InlineData(typeof(bool), "False", false)]
    [InlineData(typeof(Kind), "cubic", Kind.Cubic)]
    [InlineData(typeof(Kind), "LINEAR", Kind.Linear)]
    [InlineData(typeof(string), " as it is, 3,5 ", " as it is, 3,5 ")]
    public void Accepted_forms(Type type, string text, object expected) => Assert.Equal(expected, ParameterText.Parse(text, type));

    [Fact]
    public void Decimals_dates_times_and_durations_in_their_one_form()
    {
        Assert.Equal(3.5m, ParameterText.Parse("3.5", typeof(decimal)));
        Assert.Equal(1200m, ParameterText.Parse("1.2e3", typeof(decimal)));
        Assert.Equal(new DateOnly(2024, 2, 3), ParameterText.Parse("2024-02-03", typeof(DateOnly)));
        Assert.Equal(new DateTime(2024, 2, 3, 14, 30, 0), ParameterText.Parse("2024-02-03T14:30:00", typeof(DateTime)));
        Assert.Equal(new DateTime(2024, 2, 3, 14, 30, 0, DateTimeKind.Utc), ParameterText.Parse("2024-02-03T14:30:00Z", typeof(DateTime)));
        Assert.Equal(TimeSpan.FromMinutes(90), ParameterText.Parse("01:30:00", typeof(TimeSpan)));
        Assert.Equal(TimeSpan.FromDays(2), ParameterText.Parse("2.00:00:00", typeof(TimeSpan)));
        Assert.Equal(5, ParameterText.Parse("5", typeof(int?)));
    }

    [Theory]
    [InlineData(typeof(int), "1,000")]
    [InlineData(typeof(int), "1 000")]
    [InlineData(typeof(int), " 42")]
    [InlineData(typeof(int), "4.0")]
    [InlineData(typeof(int), "0x10")]
    [InlineData(typeof(int), "99999999999")]
    [InlineData(typeof(long), "1e3")]
    [InlineData(typeof(double), "3,5")]
    [InlineData(typeof(double), "1,000.5")]
    [InlineData(typeof(double), "NaN")]
    [InlineData(typeof(double), "Infinity")]
    [InlineData(typeof(double), "1e999")]
    [InlineData(typeof(double), "")]
    [InlineData(typeof(decimal), "3,5")]
    [InlineData(typeof(decimal), "1,000")]
    [InlineData(typeof(decimal), "$3")]
    [InlineData(typeof(float), "3.5f")]
    [InlineData(typeof(bool), "yes")]
    [InlineData(typeof(bool), "1")]
    [InlineData(typeof(Kind), "1")]
    [InlineData(typeof(Kind), "Quadratic")]
    [InlineData(typeof(Kind), "Linear, Cubic")]
    [InlineData(typeof(DateOnly), "03.02.2024")]
    [InlineData(typeof(DateOnly), "02/03/2024")]
    [InlineData(typeof(DateOnly), "2024-2-3")]
    [InlineData(typeof(DateOnly), "3 February 2024")]
    [InlineData(typeof(DateTime), "02/03/2024 14:30")]
    [InlineData(typeof(TimeSpan), "90 minutes")]
    [InlineData(typeof(Uri), "https://example.org")]
    public void Refused_forms(Type type, string text) => Assert.Null(ParameterText.Parse(text, type));

    [Fact]
    public void The_machine_s_culture_changes_nothing()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(3.5, ParameterText.Parse("3.5", typeof(double)));
            Assert.Null(ParameterText.Parse("3,5", typeof(double)));
            Assert.Null(ParameterText.Parse("3,5", typeof(decimal)));
            Assert.Null(ParameterText.Parse("03.02.2024", typeof(DateOnly)));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void An_error_says_the_form()
    {
        Assert.Contains("without thousands separators; a ',' is not a decimal point", ParameterText.Form(typeof(decimal)));
        Assert.Equal("one of its names (Linear, Cubic), in any case; not a number", ParameterText.Form(typeof(Kind)));
        Assert.Equal("an ISO 8601 date, year-month-day (2024-02-03)", ParameterText.Form(typeof(DateOnly)));
    }
}
