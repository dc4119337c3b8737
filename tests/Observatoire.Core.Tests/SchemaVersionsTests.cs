using System.Text;
using System.Text.Json.Nodes;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;

namespace Observatoire.Core.Tests;

/// <summary>A new grid year is a new data file: two versions side by side, no code change.</summary>
public class SchemaVersionsTests
{
    private static readonly SchemaCatalog Catalog = TwoVersions();

    [Fact]
    public void Each_period_is_covered_by_its_own_version()
    {
        Assert.Equal("2025.1", Catalog.Covering(Period.Parse("2025-T2"))?.Version);
        Assert.Equal("2026.1", Catalog.Covering(Period.Parse("2025-07"))?.Version);
        Assert.Null(Catalog.Covering(Period.Parse("2025")));
        Assert.Equal("2026.1", Catalog.Latest.Version);
        Assert.True(Catalog.Find("2026.1")!.IndicatorsByCode.ContainsKey("mises_a_l_abri"));
    }

    [Fact]
    public void A_grid_filed_against_the_old_version_for_a_new_period_is_refused()
    {
        var validator = new GridValidator(Catalog);
        var context = ValidationContext.For(new DateOnly(2026, 6, 1), new PostContext("P-1", ReportingFrequency.Month, new DateOnly(2020, 1, 1), null));

        var old = validator.Validate(SampleGrids.Grid(period: "2026-02"), context);
        var values = SampleGrids.ValidValues();
        values["mises_a_l_abri"] = 3;
        var current = validator.Validate(SampleGrids.Grid(values, period: "2026-02", version: "2026.1"), context);

        Assert.Contains(old.Violations, v => v.RuleCode == "VERSION_SCHEMA" && v.Message.Contains("2026.1"));
        Assert.True(current.IsValid, string.Join("; ", current.Violations.Select(v => v.Message)));
    }

    [Fact]
    public void A_year_spanning_two_versions_adds_the_shared_cells_and_cannot_state_the_new_one()
    {
        var registry = new RegistrySnapshot(
            [new RegionInfo("84", "Auvergne-Rhône-Alpes", 1_000_000)],
            [new DepartmentInfo("01", "Ain", "84", 650_000, 46, 5)],
            [new PostInfo("P-1", "P-1", "01", Zone.Police, 1, ReportingFrequency.Quarter, new DateOnly(2020, 1, 1), null, [new PostLocation("01", new DateOnly(2020, 1, 1), null)])]);
        var cube = new GridCube();
        var v2025 = Catalog.Find("2025.1")!;
        var v2026 = Catalog.Find("2026.1")!;
        var received = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);

        // The first half of 2025 on the old grid, the second half on the new one.
        foreach (var (quarter, schema, abri) in new[] { ("2025-T1", v2025, (int?)null), ("2025-T2", v2025, null), ("2025-T3", v2026, 4), ("2025-T4", v2026, 2) })
        {
            cube.Apply(new CubeGrid("P-1", Period.Parse(quarter), schema.Version, Cells(schema, entretiens: 10, abri: abri), 1, received, received));
        }

        var consolidator = new Consolidator(Catalog, registry, cube);
        var year = consolidator.ForArea(new AreaRef(AreaLevel.Department, "01"), Period.Parse("2025"));
        var autumn = consolidator.ForArea(new AreaRef(AreaLevel.Department, "01"), Period.Parse("2025-T4"));

        Assert.Same(v2026, year.Schema);
        Assert.Equal(["2025.1", "2026.1"], year.SchemaVersions);
        Assert.Equal(40, year.ValueOf(v2026.Layout.IndexOf("entretiens")));
        Assert.Equal(FigureStatus.NotDerivable, year.StatusOf(v2026.Layout.IndexOf("mises_a_l_abri")));
        Assert.Null(year.ValueOf(v2026.Layout.IndexOf("mises_a_l_abri")));
        Assert.Equal(2, autumn.ValueOf(v2026.Layout.IndexOf("mises_a_l_abri")));
    }

    private static int[] Cells(GridSchema schema, int entretiens, int? abri)
    {
        var cells = new int[schema.Layout.Count];
        cells[schema.Layout.IndexOf("entretiens")] = entretiens;
        if (abri is { } value)
        {
            cells[schema.Layout.IndexOf("mises_a_l_abri")] = value;
        }

        return cells;
    }

    /// <summary>2025.1 closed mid-2025, and a 2026.1 from July 2025 that adds an indicator: built as data only.</summary>
    private static SchemaCatalog TwoVersions()
    {
        var text = SchemaCatalog.EmbeddedFile("2025.1");
        var old = JsonNode.Parse(text)!;
        old["valid_to"] = "2025-06-30";
        var next = JsonNode.Parse(text)!;
        next["version"] = "2026.1";
        next["valid_from"] = "2025-07-01";
        next["indicators"]!.AsArray().Add(JsonNode.Parse("""
            { "code": "mises_a_l_abri", "section": "G", "label": "Mises à l'abri", "unit": "personnes", "aggregation": "SUM" }
            """));
        return new SchemaCatalog([Load(old), Load(next)]);

        static GridSchema Load(JsonNode node) => SchemaLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString())));
    }
}
