using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Tests;

public class SchemaCatalogTests
{
    private static readonly SchemaCatalog Catalog = SchemaCatalog.LoadEmbedded();

    [Fact]
    public void Embedded_schema_2025_1_loads_with_its_sections_and_indicators()
    {
        var schema = Catalog.Find("2025.1");

        Assert.NotNull(schema);
        Assert.Equal(["A", "B", "C", "D", "E", "F", "G", "H", "I"], schema.Sections.Select(s => s.Code));
        Assert.Equal(Aggregation.None, schema.Indicator("personnes_recues").Aggregation);
        Assert.Equal(Aggregation.Sum, schema.Indicator("personnes_nouvelles").Aggregation);
        Assert.Equal(Aggregation.Last, schema.Indicator("file_active_fin").Aggregation);
        Assert.Equal(13, schema.Indicator("problematiques").Breakdowns.Single().Dimensions.Single().Options.Count);
        Assert.Equal(10, schema.Indicator("orientations").Breakdowns.Single().Dimensions.Single().Options.Count);
        Assert.False(schema.Indicator("problematiques").HasTotal);
    }

    [Fact]
    public void Every_engine_check_is_configured_with_a_french_message()
    {
        var schema = Catalog.Latest;

        Assert.Equal(Enum.GetValues<CheckKind>().Order(), schema.Checks.Select(c => c.Kind).Order());
        Assert.All(schema.Checks, c => Assert.False(string.IsNullOrWhiteSpace(c.Message)));
    }

    [Fact]
    public void Layout_has_one_cell_per_total_and_per_option_combination()
    {
        var schema = Catalog.Latest;

        // 7 totals; statut 4 + sexe x age 3x7; origine 8 + connu 3; modalite 3; problematiques 13; orientations 10.
        Assert.Equal(7 + 4 + 21 + 8 + 3 + 3 + 13 + 10, schema.Layout.Count);
        Assert.Equal("personnes_recues[sexe=femme,tranche_age=moins_13]", schema.Layout.Cells[schema.Layout.IndexOf("personnes_recues[sexe=femme,tranche_age=moins_13]")].Key);
        Assert.Equal(Aggregation.None, schema.Layout.Cells[schema.Layout.IndexOf("personnes_recues[statut=victime]")].Aggregation);
    }

    [Fact]
    public void Cell_vector_survives_encoding()
    {
        var layout = Catalog.Latest.Layout;
        var vector = Enumerable.Range(0, layout.Count).Select(i => i * 1_000 + 7).ToArray();

        Assert.Equal(vector, layout.Decode(layout.Encode(vector)));
    }

    [Fact]
    public void Schema_covering_a_period_is_found_and_a_period_before_it_has_none()
    {
        Assert.Equal("2025.1", Catalog.Covering(Period.Parse("2025-T2"))?.Version);
        Assert.Null(Catalog.Covering(Period.Parse("2010")));
    }

    [Theory]
    [InlineData("\"aggregation\": \"SUM\"", "\"aggregation\": \"SOMME\"", "aggregation")]
    [InlineData("sum(personnes_recues[statut=*]) == personnes_recues", "sum(personnes_recues[statut=inconnu]) == personnes_recues", "names no cell")]
    [InlineData("\"check\": \"median_outlier\"", "\"check\": \"median\"", "unknown check")]
    [InlineData("\"sexe\",", "\"sex\",", "unknown dimension")]
    [InlineData("\"check\": \"distinct_at_most_sum\"", "\"check\": \"distinct_at_most\"", "unknown coherence check")]
    [InlineData("\"check\": \"stock_equals_last\"", "\"check\": \"flow_equals_sum\"", "coherence check is configured twice")]
    public void Inconsistent_schema_file_is_refused_at_load(string original, string broken, string expected)
    {
        var text = SchemaCatalog.EmbeddedFile("2025.1");
        Assert.Contains(original, text);

        var error = Assert.Throws<InvalidDataException>(() =>
            SchemaLoader.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.Replace(original, broken)))));
        Assert.Contains(expected, error.Message);
    }
}
