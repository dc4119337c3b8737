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
    public void A_version_already_known_is_refused_with_the_file_that_repeats_it()
    {
        var known = SchemaCatalog.LoadEmbedded().Latest.Version;
        Write("doublon.json", Variant(known, "2030-01-01", null));
        var embedded = Assert.Throws<InvalidDataException>(() => SchemaCatalog.Load(_folder));
        Assert.Contains("doublon.json", embedded.Message);
        Assert.Contains(known, embedded.Message);

        File.Delete(Path.Combine(_folder, "doublon.json"));
        Write("a.json", Variant("2016.1", "2016-01-01", "2016-12-31"));
        Write("b.json", Variant("2016.1", "2017-01-01", "2017-12-31"));
        var twice = Assert.Throws<InvalidDataException>(() => SchemaCatalog.Load(_folder));
        Assert.Contains("b.json", twice.Message);
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
        var latest = SchemaCatalog.LoadEmbedded().Latest.Version;
        using var stream = typeof(SchemaCatalog).Assembly.GetManifestResourceStream($"Observatoire.Core.Schemas.grille-{latest}.json")!;
        var node = JsonNode.Parse(new StreamReader(stream).ReadToEnd())!;
        node["version"] = version;
        node["valid_from"] = validFrom;
        node["valid_to"] = validTo;
        return node;
    }
}
