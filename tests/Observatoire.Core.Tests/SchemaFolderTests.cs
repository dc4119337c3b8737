using System.Text.Json.Nodes;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Tests;

/// <summary>An operator's grids, read from a folder beside the embedded ones, and every way such a folder can be wrong.</summary>
public sealed class SchemaFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("observatoire-schemas-").FullName;

    [Fact]
    public void Without_a_folder_the_catalog_is_the_embedded_one()
    {
        Assert.Equal(SchemaCatalog.LoadEmbedded().All.Select(s => s.Version), SchemaCatalog.Load(null).All.Select(s => s.Version));
        Assert.Equal(SchemaCatalog.LoadEmbedded().All.Select(s => s.Version), SchemaCatalog.Load(" ").All.Select(s => s.Version));
    }

    [Fact]
    public void A_grid_of_the_folder_covers_its_own_periods_beside_the_embedded_ones()
    {
        var embedded = SchemaCatalog.LoadEmbedded().All[0];
        Write("ancienne.json", Variant("2016.1", "2016-01-01", embedded.ValidFrom.AddDays(-1).ToString("yyyy-MM-dd")));
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not a schema, not read");

        var catalog = SchemaCatalog.Load(_folder);

        Assert.Equal(["2016.1", .. SchemaCatalog.LoadEmbedded().All.Select(s => s.Version)], catalog.All.Select(s => s.Version));
        Assert.Equal("2016.1", catalog.Covering(Period.Parse("2016-05"))?.Version);
        Assert.Equal(embedded.Version, catalog.Covering(Period.Parse($"{embedded.ValidFrom.Year}-01"))?.Version);
        Assert.Null(catalog.Covering(Period.Parse("2015-12")));
    }

    [Fact]
    public void A_file_that_is_not_a_consistent_schema_is_refused_with_its_name()
    {
        Write("casse.json", "{ \"version\": \"2016.1\", ");
        var broken = Assert.Throws<InvalidDataException>(() => SchemaCatalog.Load(_folder));
        Assert.Contains("casse.json", broken.Message);

        File.Delete(Path.Combine(_folder, "casse.json"));
        var node = Variant("2016.1", "2016-01-01", "2017-12-31");
        node["valid_from"] = null;
        Write("sans-date.json", node.ToJsonString());
        var undated = Assert.Throws<InvalidDataException>(() => SchemaCatalog.Load(_folder));
        Assert.Contains("sans-date.json", undated.Message);
        Assert.Contains("valid_from", undated.Message);
    }

    [Fact]
    public void A_file_may_end_an_embedded_version_but_never_change_its_cells()
    {
        var embedded = SchemaCatalog.LoadEmbedded().Latest;
        var ending = Variant(embedded.Version, embedded.ValidFrom.ToString("yyyy-MM-dd"), "2025-12-31");
        ending["title"] = "Grille close au 31 décembre 2025";
        Write("fin.json", ending);
        Write("suivante.json", Variant("2026.1", "2026-01-01", null));

        var catalog = SchemaCatalog.Load(_folder);

        Assert.Equal([embedded.Version, "2026.1"], catalog.All.Select(s => s.Version));
        var ended = catalog.Find(embedded.Version)!;
        Assert.Equal(new DateOnly(2025, 12, 31), ended.ValidTo);
        Assert.Equal("Grille close au 31 décembre 2025", ended.Title);
        Assert.False(ended.Covers(Period.Parse("2026-01")));
        Assert.Equal("2026.1", catalog.Covering(Period.Parse("2026-01"))?.Version);

        // Another cell, or another aggregation of the same cell, would misread the grids stored under that version.
        File.Delete(Path.Combine(_folder, "fin.json"));
        var changed = Variant(embedded.Version, embedded.ValidFrom.ToString("yyyy-MM-dd"), null);
        changed["indicators"]!.AsArray().Add(JsonNode.Parse("""{ "code": "mises_a_l_abri", "section": "G", "label": "Mises à l'abri", "unit": "personnes", "aggregation": "SUM" }"""));
        Write("autre.json", changed);
        var refused = Assert.Throws<InvalidDataException>(() => SchemaCatalog.Load(_folder));
        Assert.Contains("autre.json", refused.Message);
        Assert.Contains("cells", refused.Message);

        File.Delete(Path.Combine(_folder, "autre.json"));
        var restated = Variant(embedded.Version, embedded.ValidFrom.ToString("yyyy-MM-dd"), null);
        var stock = restated["indicators"]!.AsArray().First(i => i!["aggregation"]!.GetValue<string>() == "SUM")!;
        stock["aggregation"] = "LAST";
        Write("agregation.json", restated);
        Assert.Contains("agregation.json", Assert.Throws<InvalidDataException>(() => SchemaCatalog.Load(_folder)).Message);
    }

    [Fact]
    public void Two_files_of_one_version_are_refused_with_the_second()
    {
        Write("a.json", Variant("2016.1", "2016-01-01", "2016-12-31"));
        Write("b.json", Variant("2016.1", "2017-01-01", "2017-12-31"));
        var twice = Assert.Throws<InvalidDataException>(() => SchemaCatalog.Load(_folder));
        Assert.Contains("b.json", twice.Message);
        Assert.Contains("2016.1", twice.Message);
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_refused()
    {
        var missing = Path.Combine(_folder, "absent");
        Assert.Contains(missing, Assert.Throws<InvalidDataException>(() => SchemaCatalog.Load(missing)).Message);
    }

    [Fact]
    public void Two_versions_are_never_one_catalog()
    {
        var schema = SchemaCatalog.LoadEmbedded().Latest;
        Assert.Throws<InvalidDataException>(() => new SchemaCatalog([schema, schema]));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string name, string json) => File.WriteAllText(Path.Combine(_folder, name), json);

    private void Write(string name, JsonNode node) => Write(name, node.ToJsonString());

    /// <summary>The embedded grid under another version and dates: data only.</summary>
    private static JsonNode Variant(string version, string validFrom, string? validTo)
    {
        var node = JsonNode.Parse(SchemaCatalog.EmbeddedFile(SchemaCatalog.LoadEmbedded().Latest.Version))!;
        node["version"] = version;
        node["valid_from"] = validFrom;
        node["valid_to"] = validTo;
        return node;
    }
}
