using Observatoire.Cli.Commands;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Cli;

/// <summary>French formats of the analyst verbs, without a server.</summary>
public class AnalysisFormatTests
{
    [Theory]
    [InlineData(1234L, FigureStatus.Complete, Confidentiality.Free, "1 234")]
    [InlineData(1234567L, FigureStatus.Partial, Confidentiality.Free, "1 234 567*")]
    [InlineData(0L, FigureStatus.Complete, Confidentiality.Free, "0")]
    [InlineData(null, FigureStatus.Complete, Confidentiality.Primary, "secret (A)")]
    [InlineData(null, FigureStatus.Complete, Confidentiality.Secondary, "secret (D)")]
    [InlineData(null, FigureStatus.Partial, Confidentiality.Primary, "secret (A)*")]
    [InlineData(null, FigureStatus.Complete, Confidentiality.Suppressed, "secret")]
    [InlineData(null, FigureStatus.Partial, Confidentiality.Suppressed, "secret*")]
    [InlineData(null, FigureStatus.NotDerivable, Confidentiality.Free, "non dérivable")]
    [InlineData(null, FigureStatus.PartialExcluded, Confidentiality.Free, "partiel, exclu")]
    [InlineData(null, FigureStatus.NoData, Confidentiality.Free, "—")]
    public void Figure_values_read_the_french_way(long? value, FigureStatus status, Confidentiality confidentiality, string expected) =>
        Assert.Equal(expected, CliHarness.Normalize(AnalysisLabels.FigureValue(value, status, confidentiality)));

    [Fact]
    public void Changes_and_rates_have_a_sign_a_decimal_comma_and_a_spaced_percent()
    {
        Assert.Equal("+12,5 %", CliHarness.Normalize(AnalysisLabels.SignedPercent(12.5)));
        Assert.Equal("-3,3 %", CliHarness.Normalize(AnalysisLabels.SignedPercent(-3.333)));
        Assert.Equal("0 %", CliHarness.Normalize(AnalysisLabels.SignedPercent(0.01)));
        Assert.Equal("+1 250 %", CliHarness.Normalize(AnalysisLabels.SignedPercent(1250)));
        Assert.Equal("+7", AnalysisLabels.Change(7, null));
        Assert.Equal("-1 200", CliHarness.Normalize(AnalysisLabels.Change(-1200, null)));
        Assert.Equal("—", AnalysisLabels.Change(null, null));
        Assert.Equal("187,7", AnalysisLabels.Decimal(187.74));
        Assert.Equal("97,5 %", CliHarness.Normalize(AnalysisLabels.Percent(0.975)));
    }

    [Fact]
    public void The_trend_line_reads_as_a_sentence()
    {
        var rising = new Trend { Slope = 1.234, SlopeCiLow = 0.5, SlopeCiHigh = 2, RSquared = 0.61, Points = 12 };
        Assert.Equal(
            "Tendance : +1,23 par mois (IC à 95 % : +0,5 à +2), R² = 0,61, 12 points : hausse significative.",
            CliHarness.Normalize(SeriesCommand.TrendText(rising, Granularity.Month)));

        var flat = new Trend { Slope = -0.4, SlopeCiLow = -1.5, SlopeCiHigh = 0.7, RSquared = 0.02, Points = 8 };
        Assert.EndsWith("par trimestre (IC à 95 % : -1,5 à +0,7), R² = 0,02, 8 points : pas de tendance significative.",
            CliHarness.Normalize(SeriesCommand.TrendText(flat, Granularity.Quarter)));

        Assert.Equal("Tendance : non calculée (moins de 3 points publiés).", SeriesCommand.TrendText(null, Granularity.Year));
    }

    [Fact]
    public void Csv_quotes_what_needs_it_and_follows_the_separator_for_decimals()
    {
        var semicolon = new CsvTable(';', "cell", "label", "rate");
        semicolon.AddRow("a[x=1,y=2]", "Femme; \"jeune\"", semicolon.Decimal(12.345678));
        semicolon.AddRow("b", null, semicolon.Decimal(null));
        Assert.Equal("cell;label;rate\r\na[x=1,y=2];\"Femme; \"\"jeune\"\"\";12,3457\r\nb;;\r\n", semicolon.ToString());

        var comma = new CsvTable(',', "cell", "rate", "count");
        comma.AddRow("a[x=1,y=2]", comma.Decimal(1234.5), comma.Integer(1234567));
        Assert.Equal("cell,rate,count\r\n\"a[x=1,y=2]\",1234.5,1234567\r\n", comma.ToString());

        Assert.Throws<ArgumentException>(() => comma.AddRow("trop", "peu"));
    }

    [Theory]
    [InlineData("national", AreaLevel.National)]
    [InlineData("France", AreaLevel.National)]
    [InlineData("region", AreaLevel.Region)]
    [InlineData("Région", AreaLevel.Region)]
    [InlineData("departement", AreaLevel.Department)]
    [InlineData("département", AreaLevel.Department)]
    [InlineData("department", AreaLevel.Department)]
    [InlineData("poste", AreaLevel.Post)]
    [InlineData("post", AreaLevel.Post)]
    public void Levels_accept_french_words_and_english_aliases(string text, AreaLevel expected)
    {
        Assert.True(AnalysisLabels.TryParseLevel(text, out var level));
        Assert.Equal(expected, level);
    }

    [Theory]
    [InlineData("mois", Granularity.Month)]
    [InlineData("month", Granularity.Month)]
    [InlineData("trimestre", Granularity.Quarter)]
    [InlineData("annee", Granularity.Year)]
    [InlineData("année", Granularity.Year)]
    [InlineData("year", Granularity.Year)]
    public void Granularities_accept_french_words_and_english_aliases(string text, Granularity expected)
    {
        Assert.True(AnalysisLabels.TryParseGranularity(text, out var granularity));
        Assert.Equal(expected, granularity);
        Assert.False(AnalysisLabels.TryParseGranularity("semaine", out _));
    }

    [Theory]
    [InlineData("2025", Granularity.Year)]
    [InlineData("2025-T3", Granularity.Quarter)]
    [InlineData("2025-07", Granularity.Month)]
    public void The_step_of_a_series_defaults_to_the_kind_of_its_first_period(string period, Granularity expected) =>
        Assert.Equal(expected, AnalysisLabels.GranularityOf(period));
}
