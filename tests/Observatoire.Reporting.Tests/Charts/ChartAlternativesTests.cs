using Observatoire.Reporting.Charts;

namespace Observatoire.Reporting.Tests.Charts;

public sealed class ChartAlternativesTests
{
    public static TheoryData<string> Names() => [.. SampleCharts.All().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_kind_of_chart_has_a_french_sentence_and_a_table_with_a_row_per_value_it_draws(string name)
    {
        var chart = SampleCharts.All().Single(s => s.Name == name).Chart;

        var alternative = ChartAlternatives.For(chart);

        Assert.StartsWith(chart.Frame.Title, alternative.Title);
        Assert.EndsWith(".", alternative.Description.TrimEnd());
        Assert.True(alternative.Description.Length > 60, alternative.Description);
        var expectedRows = chart switch
        {
            TimeSeriesChart c => c.Points.Count,
            RankingChart c => c.Rows.Count,
            BreakdownChart c => c.Rows.Count + 1,
            PyramidChart c => c.AgeBands.Count + 1,
            CompletenessHeatmap c => c.RowLabels.Count,
            FranceMap c => c.Marks.Count,
            _ => throw new NotSupportedException(),
        };
        Assert.Equal(expectedRows, alternative.Rows.Count);
        Assert.All(alternative.Rows, r => Assert.Equal(alternative.Headers.Count, r.Count));
    }

    [Fact]
    public void A_secret_value_is_written_secret_in_the_table_and_only_counted_in_the_sentence()
    {
        var alternative = ChartAlternatives.For(SampleCharts.Statut());

        var row = alternative.Rows.Single(r => r[0] == "Tiers ou proche");
        Assert.Equal(["Tiers ou proche", "secret", "—"], row);
        Assert.Contains("Une valeur est couverte par le secret statistique.", alternative.Description);
        Assert.DoesNotContain(alternative.Rows, r => r[0] != "Tiers ou proche" && r[1] == "secret");
    }

    [Fact]
    public void A_breakdown_names_its_largest_categories_with_their_share_of_the_total()
    {
        var alternative = ChartAlternatives.For(SampleCharts.Statut());

        // 12 480 of 16 654.
        Assert.Contains("Victime (12\u202F480, 74,9\u202F%)", alternative.Description);
        Assert.Equal(["Victime", "12\u202F480", "74,9\u202F%"], alternative.Rows[0]);
        Assert.Equal(["Total", "16\u202F654", "100,0\u202F%"], alternative.Rows[^1]);
    }

    [Fact]
    public void A_series_sentence_gives_its_highest_and_lowest_published_points_and_its_trend()
    {
        var alternative = ChartAlternatives.For(SampleCharts.TimeSeries());

        Assert.Contains("le plus haut est 1\u202F410 (oct. 2025), le plus bas 1\u202F040 (août 2025)", alternative.Description);
        Assert.Contains("Tendance linéaire à la hausse", alternative.Description);
        Assert.Contains("Une valeur est couverte par le secret statistique.", alternative.Description);
        Assert.Equal(["mars 2025", "secret", "1\u202F166 (mars 2024)"], alternative.Rows[2]);
        Assert.Equal("1\u202F254*", alternative.Rows[11][1]);
    }

    [Fact]
    public void A_map_gives_its_range_and_median_and_lists_every_department_by_code()
    {
        var chart = SampleCharts.Map();

        var alternative = ChartAlternatives.For(chart);

        Assert.Contains("2 valeurs sont couvertes par le secret statistique.", alternative.Description);
        Assert.Contains("Une valeur n'est pas disponible.", alternative.Description);
        Assert.Contains("médiane", alternative.Description);
        Assert.Equal("48 Lozère", alternative.Rows.Single(r => r[0].StartsWith("48 ", StringComparison.Ordinal))[0]);
        Assert.Equal("secret", alternative.Rows.Single(r => r[0].StartsWith("48 ", StringComparison.Ordinal))[1]);
        Assert.Equal(chart.Marks.Select(m => m.Code).Order(StringComparer.Ordinal), alternative.Rows.Select(r => r[0].Split(' ')[0]));
    }

    [Fact]
    public void A_completeness_heat_map_totals_each_row_and_lists_the_periods_with_a_missing_grid()
    {
        var chart = SampleCharts.Heatmap(false);

        var alternative = ChartAlternatives.For(chart);

        for (var r = 0; r < chart.RowLabels.Count; r++)
        {
            var cells = chart.Cells[r];
            Assert.Equal(chart.RowLabels[r], alternative.Rows[r][0]);
            Assert.Equal(FrenchFormat.Number(cells.Sum(c => c.Missing), 0), alternative.Rows[r][4]);
            var missing = cells.Select((c, m) => (c, m)).Where(x => x.c.Missing > 0).Select(x => chart.ColumnLabels[x.m]).ToList();
            Assert.Equal(missing.Count == 0 ? "—" : string.Join(", ", missing), alternative.Rows[r][5]);
        }

        Assert.Contains($"{FrenchFormat.Number(chart.Cells.Sum(row => row.Sum(c => c.Expected)), 0)} grilles attendues", alternative.Description);
    }

    [Fact]
    public void A_block_made_from_a_chart_carries_its_alternative_and_aspect_ratio()
    {
        var chart = SampleCharts.Pyramid();

        var block = ChartAlternatives.Block(chart);

        Assert.Equal(ChartRenderer.AspectRatio(chart), block.AspectRatio);
        var expected = ChartAlternatives.For(chart);
        Assert.Equal((expected.Title, expected.Description), (block.Alternative.Title, block.Alternative.Description));
        Assert.Equal(["Sexe non renseigné (toutes tranches)", "87", "—"], block.Alternative.Rows[^1]);
    }
}
