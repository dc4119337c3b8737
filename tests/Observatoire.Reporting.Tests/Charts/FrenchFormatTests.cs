using Observatoire.Reporting.Charts;

namespace Observatoire.Reporting.Tests.Charts;

public sealed class FrenchFormatTests
{
    [Theory]
    [InlineData(1234, 0, "1\u202F234")]
    [InlineData(1234567.4, 0, "1\u202F234\u202F567")]
    [InlineData(12.5, 1, "12,5")]
    [InlineData(12.0, 1, "12")]
    [InlineData(-0.01, 1, "0")]
    [InlineData(-1500, 0, "\u22121\u202F500")]
    public void Numbers_use_a_narrow_space_for_thousands_and_a_decimal_comma(double value, int decimals, string expected) =>
        Assert.Equal(expected, FrenchFormat.Number(value, decimals));

    [Fact]
    public void Percentages_have_a_narrow_no_break_space_before_the_sign() =>
        Assert.Equal("12,5\u202F%", FrenchFormat.Percent(12.5));

    [Fact]
    public void Fixed_keeps_trailing_zeros_for_rates() =>
        Assert.Equal("66,0", FrenchFormat.Fixed(66, 1));

    [Fact]
    public void Published_numbers_show_the_reason_when_absent_and_a_star_when_partial()
    {
        Assert.Equal("secret", FrenchFormat.Published(new PublishedNumber(null, "A")));
        Assert.Equal("secret", FrenchFormat.Published(new PublishedNumber(null, "D")));
        Assert.Equal("n.d.", FrenchFormat.Published(new PublishedNumber(null, "ND")));
        Assert.Equal("n.d.", FrenchFormat.Published(new PublishedNumber(null)));
        Assert.Equal("1\u202F544*", FrenchFormat.Published(new PublishedNumber(1544, null, Partial: true)));
    }

    [Fact]
    public void Signed_values_carry_their_sign() =>
        Assert.Equal(("+14,6", "\u22120,4"), (FrenchFormat.Signed(14.6), FrenchFormat.Signed(-0.4)));

    [Theory]
    [InlineData("personnes", "Nombre de personnes")]
    [InlineData("orientations", "Nombre d'orientations")]
    [InlineData("%", "Part (%)")]
    [InlineData("taux pour 100 000 habitants", "Taux pour 100 000 habitants")]
    public void Axis_labels_name_the_quantity_and_its_unit(string unit, string expected) =>
        Assert.Equal(expected, FrenchFormat.QuantityLabel(unit));

    [Fact]
    public void A_year_common_to_all_period_labels_moves_to_the_axis_title()
    {
        var (labels, year) = TimeSeriesFigure.ShortLabels(["janv. 2025", "févr. 2025", "mars 2025"]);
        Assert.Equal(["janv.", "févr.", "mars"], labels);
        Assert.Equal("2025", year);

        (labels, year) = TimeSeriesFigure.ShortLabels(["2025-T1", "2025-T2"]);
        Assert.Equal(["T1", "T2"], labels);
        Assert.Equal("2025", year);

        (labels, year) = TimeSeriesFigure.ShortLabels(["déc. 2024", "janv. 2025"]);
        Assert.Equal(["déc. 2024", "janv. 2025"], labels);
        Assert.Null(year);
    }

    [Theory]
    [InlineData("janv. 2025|févr. 2025", "mois")]
    [InlineData("2025-T1|2025-T2", "trimestre")]
    [InlineData("2025-01|2025-02", "mois")]
    [InlineData("2023|2024", "période")]
    public void The_step_of_a_series_is_read_from_its_labels(string labels, string expected) =>
        Assert.Equal(expected, TimeSeriesFigure.StepOf(labels.Split('|')));
}
