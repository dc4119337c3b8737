using System.Text;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Exports;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Tests.Shared;

namespace Observatoire.Core.Tests.Exports;

/// <summary>The export writers, read back by the independent SDMX reader and a French spreadsheet's reading of CSV.</summary>
public class ExportWriterTests
{
    private static readonly GridSchema Schema = SchemaCatalog.LoadEmbedded().Latest;

    private static readonly ExportArea[] Areas =
    [
        new(AreaLevel.Department, "09", "Ariège"),
        new(AreaLevel.Department, "2A", "Corse-du-Sud"),
        new(AreaLevel.Department, "971", "Guadeloupe, \"Karukera\""),
    ];

    /// <summary>Every cell of every area, with a secret cell one in seven (primary or secondary) and every status.</summary>
    private static FigureTable Table(Period period)
    {
        var observations = new List<ExportObservation>();
        var n = 0;
        foreach (var area in Areas)
        {
            foreach (var cell in Schema.Layout.Cells)
            {
                n++;
                var confidentiality = (n % 7) switch { 0 => CellConfidentiality.Primary, 3 => CellConfidentiality.Secondary, 5 => CellConfidentiality.Suppressed, _ => CellConfidentiality.Free };
                var status = (FigureStatus)(1 + n % 4);
                long? value = confidentiality == CellConfidentiality.Free && status is FigureStatus.Complete or FigureStatus.Partial ? n * 3 : null;
                observations.Add(new ExportObservation(area, cell, value, status, false, confidentiality));
            }
        }

        return new FigureTable(Schema, period, observations);
    }

    private static string KeyOf(SdmxStructure structure, ExportObservation o, string time) =>
        string.Join('.', structure.Key(o).Append(time));

    private static string KeyOf(ReadObservation o, SdmxStructure structure) =>
        string.Join('.', structure.Dimensions.Select(d => o.Key[d.Id]).Append(o.Key["TIME_PERIOD"]));

    [Fact]
    public void Sdmx_csv_reads_back_observation_for_observation_and_secret_cells_carry_no_number()
    {
        var table = Table(Period.Parse("2025-T2"));
        var structure = new SdmxStructure(Schema, Areas);

        var bytes = SdmxCsvWriter.ToBytes(table, structure);
        var read = SdmxReader.ReadCsv(new UTF8Encoding(false, true).GetString(bytes), [.. structure.Dimensions.Select(d => d.Id)]);

        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal(table.Observations.Count, read.Count);
        var byKey = read.ToDictionary(o => KeyOf(o, structure));
        Assert.Equal(read.Count, byKey.Count);
        foreach (var o in table.Observations)
        {
            var back = byKey[KeyOf(structure, o, "2025-Q2")];
            Assert.Equal(o.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture), back.Value);
            Assert.Equal(SdmxStructure.ConfStatusOf(o.Confidentiality), back.ConfStatus);
            if (o.Confidentiality != CellConfidentiality.Free)
            {
                Assert.Null(back.Value);
                Assert.Contains(back.ConfStatus, new[] { "A", "D", "C" });
            }
        }
    }

    [Fact]
    public void Sdmx_json_reads_back_observation_for_observation_with_null_for_secret_cells()
    {
        var table = Table(Period.Parse("2025"));
        var structure = new SdmxStructure(Schema, Areas);

        var read = SdmxReader.ReadJson(Encoding.UTF8.GetString(SdmxJsonDataWriter.ToBytes(table, structure, "TEST", DateTimeOffset.UnixEpoch)));

        Assert.Equal(table.Observations.Count, read.Count);
        var byKey = read.ToDictionary(o => KeyOf(o, structure));
        foreach (var o in table.Observations)
        {
            var back = byKey[KeyOf(structure, o, "2025")];
            Assert.Equal(o.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture), back.Value);
            Assert.Equal(SdmxStructure.ObsStatusOf(o), back.ObsStatus);
            Assert.Equal(SdmxStructure.ConfStatusOf(o.Confidentiality), back.ConfStatus);
        }
    }

    [Fact]
    public void Keys_name_every_breakdown_category_as_an_option_a_total_or_not_applicable()
    {
        var structure = new SdmxStructure(Schema, Areas);
        var cells = Schema.Layout.Cells;

        foreach (var cell in cells)
        {
            var key = structure.Key(new ExportObservation(Areas[0], cell, 1, FigureStatus.Complete, false, CellConfidentiality.Free));
            Assert.Equal(structure.Dimensions.Count, key.Count);
            for (var d = 0; d < structure.Dimensions.Count; d++)
            {
                Assert.Contains(key[d], structure.Dimensions[d].Codes.Select(c => c.Id));
            }
        }

        // Two different cells never share a key.
        var keys = cells.Select(c => string.Join('.', structure.Key(new ExportObservation(Areas[0], c, 1, FigureStatus.Complete, false, CellConfidentiality.Free)))).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal("D2A", SdmxStructure.AreaCode(Areas[1]));
        Assert.Equal("2025-Q1", SdmxStructure.TimePeriod(Period.Parse("2025-T1")));
    }

    [Fact]
    public void French_csv_has_a_bom_semicolons_french_labels_and_an_empty_value_for_secret_cells()
    {
        var table = Table(Period.Parse("2025"));

        var bytes = FrenchCsvWriter.ToBytes(table);
        var text = new UTF8Encoding(false, true).GetString(bytes.AsSpan(3));
        var records = SdmxReader.Rfc4180(text, ';');

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(FrenchCsvWriter.Columns, records[0]);
        Assert.Equal(table.Observations.Count + 1, records.Count);
        Assert.All(records, r => Assert.Equal(FrenchCsvWriter.Columns.Count, r.Count));
        Assert.Contains(records, r => r[2] == "Guadeloupe, \"Karukera\"");
        foreach (var (o, row) in table.Observations.Zip(records.Skip(1)))
        {
            Assert.Equal(o.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", row[7]);
            Assert.Equal(FrenchCsvWriter.ConfidentialityName(o.Confidentiality), row[9]);
        }
    }

    [Fact]
    public void A_table_refuses_a_secret_cell_with_a_value_and_any_post_figure()
    {
        var cell = Schema.Layout.Cells[0];

        Assert.Throws<ArgumentException>(() => new FigureTable(Schema, Period.Parse("2025"), [new ExportObservation(Areas[0], cell, 3, FigureStatus.Complete, false, CellConfidentiality.Primary)]));
        Assert.Throws<ArgumentException>(() => new FigureTable(Schema, Period.Parse("2025"), [new ExportObservation(new ExportArea(AreaLevel.Post, "P-01-001", "Poste"), cell, 3, FigureStatus.Complete, false, CellConfidentiality.Free)]));
    }

    [Fact]
    public void The_structure_definition_references_only_concepts_and_codelists_it_defines_and_holds_every_code_of_the_data()
    {
        var structure = new SdmxStructure(Schema, Areas);

        var root = System.Text.Json.JsonDocument.Parse(SdmxStructureWriter.ToBytes(structure, "DSD", DateTimeOffset.UnixEpoch)).RootElement.GetProperty("data");

        var concepts = root.GetProperty("conceptSchemes")[0].GetProperty("concepts").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToHashSet();
        var codelists = root.GetProperty("codelists").EnumerateArray().ToDictionary(
            c => $"{c.GetProperty("agencyID").GetString()}:{c.GetProperty("id").GetString()}({c.GetProperty("version").GetString()})",
            c => c.GetProperty("codes").EnumerateArray().Select(code => code.GetProperty("id").GetString()!).ToHashSet());
        var components = root.GetProperty("dataStructures")[0].GetProperty("dataStructureComponents");
        var dimensions = components.GetProperty("dimensionList").GetProperty("dimensions").EnumerateArray().ToList();
        var time = components.GetProperty("dimensionList").GetProperty("timeDimensions")[0];
        var attributes = components.GetProperty("attributeList").GetProperty("attributes").EnumerateArray().ToList();
        var measure = components.GetProperty("measureList").GetProperty("measures")[0];

        Assert.Equal(Enumerable.Range(0, dimensions.Count + 1), dimensions.Append(time).Select(d => d.GetProperty("position").GetInt32()));
        Assert.Equal("TIME_PERIOD", time.GetProperty("id").GetString());
        Assert.Equal("OBS_VALUE", measure.GetProperty("id").GetString());
        Assert.Equal(["OBS_STATUS", "CONF_STATUS"], attributes.Select(a => a.GetProperty("id").GetString()));
        string Codelist(System.Text.Json.JsonElement component)
        {
            var urn = component.GetProperty("localRepresentation").GetProperty("enumeration").GetString()!;
            var reference = urn[(urn.IndexOf('=') + 1)..];
            Assert.True(codelists.ContainsKey(reference), $"{urn} not defined");
            return reference;
        }

        foreach (var component in dimensions.Append(time).Concat(attributes).Append(measure))
        {
            var concept = component.GetProperty("conceptIdentity").GetString()!;
            Assert.Contains(concept[(concept.LastIndexOf('.') + 1)..], concepts);
        }

        // Every key of every cell of every area is made of codes of the dimensions' codelists.
        foreach (var area in Areas)
        {
            foreach (var cell in Schema.Layout.Cells)
            {
                var key = structure.Key(new ExportObservation(area, cell, 1, FigureStatus.Complete, false, CellConfidentiality.Free));
                for (var d = 0; d < dimensions.Count; d++)
                {
                    Assert.Contains(key[d], codelists[Codelist(dimensions[d])]);
                }
            }
        }

        Assert.Equal(new HashSet<string> { "A", "P", "M", "O" }, codelists[Codelist(attributes[0])]);
        Assert.Equal(new HashSet<string> { "F", "A", "D", "C", "N" }, codelists[Codelist(attributes[1])]);
        Assert.All(Enum.GetValues<CellConfidentiality>(), c => Assert.Contains(SdmxStructure.ConfStatusOf(c), codelists[Codelist(attributes[1])]));
    }
}

/// <summary>The open data package: files, Frictionless descriptor and published values only.</summary>
public class OpenDataPackageTests
{
    private static readonly GridSchema Schema = SchemaCatalog.LoadEmbedded().Latest;

    private static FigureTable Table(AreaLevel level, params string[] codes) => new(
        Schema,
        Period.Parse("2025"),
        [.. codes.SelectMany(code => Schema.Layout.Cells.Select((cell, i) => new ExportObservation(
            new ExportArea(level, code, "Nom " + code),
            cell,
            i % 5 == 0 ? null : i,
            FigureStatus.Complete,
            false,
            i % 5 == 0 ? CellConfidentiality.Primary : CellConfidentiality.Free)))]);

    [Fact]
    public void The_package_describes_each_csv_with_its_columns_and_the_open_licence()
    {
        var files = OpenDataPackage.Build(2025, [Table(AreaLevel.National, ""), Table(AreaLevel.Region, "76", "84"), Table(AreaLevel.Department, "09")], 5, Schema.Title, DateTimeOffset.UnixEpoch);

        var byPath = files.ToDictionary(f => f.Path, f => f.Bytes);
        Assert.Equal(
            new[] { "chiffres-national-2025.csv", "chiffres-region-2025.csv", "chiffres-departement-2025.csv", "datapackage.json", "methodologie.md", "LICENCE.md" }.Order(),
            byPath.Keys.Order());
        var descriptor = System.Text.Json.JsonDocument.Parse(byPath["datapackage.json"]).RootElement;
        Assert.Equal("etalab-2.0", descriptor.GetProperty("licenses")[0].GetProperty("name").GetString());
        foreach (var resource in descriptor.GetProperty("resources").EnumerateArray())
        {
            var csv = byPath[resource.GetProperty("path").GetString()!];
            var records = SdmxReader.Rfc4180(new UTF8Encoding(false, true).GetString(csv.AsSpan(3)), resource.GetProperty("dialect").GetProperty("delimiter").GetString()![0]);
            Assert.Equal(resource.GetProperty("schema").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()), records[0]);
            Assert.DoesNotContain(records.Skip(1), r => r[0] == "poste");
            Assert.All(records.Skip(1).Where(r => r[9] != "libre"), r => Assert.Equal("", r[7]));
            Assert.All(records.Skip(1).Where(r => r[7] != ""), r => Assert.True(long.TryParse(r[7], out _)));
        }

        var note = Encoding.UTF8.GetString(byPath["methodologie.md"]);
        Assert.Contains("de 1 à 4 est secret", note);
        Assert.Contains("Licence Ouverte", Encoding.UTF8.GetString(byPath["LICENCE.md"]));
    }
}
