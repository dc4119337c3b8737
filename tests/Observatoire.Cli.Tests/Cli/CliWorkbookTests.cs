using ClosedXML.Excel;
using DocumentFormat.OpenXml.Spreadsheet;
using Observatoire.Cli;
using Observatoire.Cli.Grids;
using Observatoire.Cli.Workbooks;
using Observatoire.Protos.V1;
using Observatoire.Tests.Shared;
using Observatoire.Workbooks;

namespace Observatoire.Server.Tests.Cli;

/// <summary>
/// observatoire modele, then the workbook filled with the Open XML SDK (not the writer's library) and read back by
/// validate and submit against the real server in process.
/// </summary>
public class CliWorkbookTests(CliServer fixture) : IClassFixture<CliServer>
{
    private const string Post = "P-01-001";
    private readonly ServerFixture server = fixture.Server;

    [Fact]
    public async Task Modele_writes_a_protected_sheet_per_period_with_whole_number_validation_live_formulas_and_the_schema_version()
    {
        using var folder = CliHarness.TempFolder();
        var path = await GenerateAsync(folder);
        var schema = await new SchemaService.SchemaServiceClient(server.CreateChannel()).GetSchemaAsync(new GetSchemaRequest { Period = "2025" });

        using var workbook = OpenXmlWorkbook.Open(path);
        string[] months = ["Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre", "Octobre", "Novembre", "Décembre"];
        Assert.Equal(
            ["Mode d'emploi", .. months, "Année 2025", "Récapitulatif", WorkbookFormat.MetadataSheet],
            workbook.Sheets.Select(s => s.Name!.Value));
        Assert.Equal(SheetStateValues.VeryHidden, workbook.Sheets.Single(s => s.Name == WorkbookFormat.MetadataSheet).State!.Value);
        Assert.True(workbook.Part.Workbook.WorkbookProtection?.LockStructure?.Value);

        // The schema version and its fingerprint, for every period sheet.
        var metadata = workbook.Metadata();
        Assert.Equal(WorkbookFormat.FormatName, metadata[WorkbookFormat.FormatKey]);
        var periods = workbook.MetadataTable(WorkbookFormat.PeriodsMarker);
        Assert.Equal([.. months.Select((_, i) => $"2025-{i + 1:D2}"), "2025"], periods.Select(p => p[1]));
        Assert.All(periods, p => Assert.Equal(schema.Version, p[2]));
        Assert.All(periods, p => Assert.Equal(SchemaCells.Fingerprint(schema), p[3]));

        // Every cell of the schema is an input of every period sheet: unlocked, validated as a whole number 0..max.
        var inputs = workbook.Inputs("Mars");
        Assert.Equal(SchemaCells.Paths(schema).Order(), inputs.Keys.Order());
        var sheet = workbook.Worksheet("Mars");
        Assert.True(sheet.Elements<SheetProtection>().Single().Sheet?.Value);
        var validation = Assert.Single(sheet.Descendants<DataValidation>(), v => v.Type?.Value == DataValidationValues.Whole);
        Assert.Equal(DataValidationOperatorValues.Between, validation.Operator!.Value);
        Assert.Equal("0", validation.Formula1!.Text);
        Assert.Equal(schema.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), validation.Formula2!.Text);
        var validated = Expand(validation.SequenceOfReferences!.Items.Select(i => i.Value!));
        foreach (var address in inputs.Values)
        {
            Assert.False(workbook.IsLocked(workbook.Cell("Mars", address)!), $"Mars!{address} devrait être déverrouillée");
            Assert.Contains(address, validated);
        }

        // Labels and formulas are locked; totals and checks are formulas over the inputs.
        Assert.True(workbook.IsLocked(workbook.Cell("Mars", "A1")!));
        var formulas = sheet.Descendants<Cell>().Where(c => c.CellFormula is not null).ToList();
        Assert.All(formulas, c => Assert.True(workbook.IsLocked(c)));
        var statut = inputs.Where(i => i.Key.StartsWith("personnes_recues[statut=", StringComparison.Ordinal)).Select(i => i.Value).Order().ToList();
        Assert.Contains(formulas, c => c.CellFormula!.Text == $"SUM({statut[0]}:{statut[^1]})");
        foreach (var rule in schema.Rules.Where(r => r.Kind == "expression"))
        {
            Assert.Contains(formulas, c => c.CellFormula!.Text.Contains(rule.Message.Split('{')[0].Replace("\"", "\"\"", StringComparison.Ordinal), StringComparison.Ordinal));
        }

        Assert.Contains(formulas, c => c.CellFormula!.Text.StartsWith("IF($E$4=0,\"\",IF(SUM(", StringComparison.Ordinal));
        Assert.Equal(Post, workbook.Text("Mode d'emploi", GridWorkbookWriter.PostAddress));
    }

    [Fact]
    public async Task Without_a_post_the_workbook_asks_for_its_id_and_a_missing_id_is_located_on_the_guide_sheet()
    {
        using var folder = CliHarness.TempFolder();
        var path = folder.File("grille.xlsx");
        var run = await CliHarness.RunAsync(server, "modele", "--year", "2025", "-o", path);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Fill(path, "Septembre", ValidGridValues.Create(), null);
        using (var workbook = OpenXmlWorkbook.Open(path))
        {
            Assert.False(workbook.IsLocked(workbook.Cell("Mode d'emploi", GridWorkbookWriter.PostAddress)!));
        }

        var anonymous = await CliHarness.RunAsync(server, "validate", path);
        Assert.True(anonymous.ExitCode == ExitCodes.Rejected, anonymous.ToString());
        Assert.Contains("'Mode d''emploi'!B4 post_id", anonymous.Output);

        using (var workbook = OpenXmlWorkbook.Open(path, editable: true))
        {
            workbook.SetText("Mode d'emploi", GridWorkbookWriter.PostAddress, " P-01-001 ");
        }

        var named = await CliHarness.RunAsync(server, "validate", path);
        Assert.True(named.ExitCode == ExitCodes.Success, named.ToString());
        Assert.Contains("P-01-001 · 2025-09 : valide", named.Output);
    }

    [Fact]
    public async Task A_quarterly_post_gets_four_quarter_sheets_and_the_year()
    {
        using var folder = CliHarness.TempFolder();
        var quarterly = TestGrids.QuarterlyPost().Id;
        var run = await CliHarness.RunAsync(server, "modele", "--year", "2025", "--post", quarterly, "-o", folder.Path);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());

        using var workbook = OpenXmlWorkbook.Open(folder.File($"grille-2025-{quarterly}.xlsx"));
        Assert.Equal(["2025-T1", "2025-T2", "2025-T3", "2025-T4", "2025"], workbook.MetadataTable(WorkbookFormat.PeriodsMarker).Select(p => p[1]));
    }

    [Fact]
    public async Task A_workbook_filled_with_the_open_xml_sdk_is_valid_accepted_and_stored_cell_for_cell()
    {
        using var folder = CliHarness.TempFolder();
        var path = await GenerateAsync(folder);
        var values = ValidGridValues.Create();
        Fill(path, "Mars", values, "Permanence renforcée le mardi.");

        var validate = await CliHarness.RunAsync(server, "validate", path);
        Assert.True(validate.ExitCode == ExitCodes.Success, validate.ToString());
        Assert.Contains("P-01-001 · 2025-03 : valide", validate.Output);
        Assert.Contains("feuille « Mars »", validate.Output);
        Assert.Contains("Bilan : 1 valide, 0 invalide", validate.Output);

        var submit = await CliHarness.RunAsync(server, "submit", path);
        Assert.True(submit.ExitCode == ExitCodes.Success, submit.ToString());
        Assert.Contains("P-01-001 · 2025-03 : acceptée, révision 1", submit.Output);

        var stored = await new GridService.GridServiceClient(server.CreateChannel()).GetGridAsync(new GetGridRequest { PostId = Post, Period = "2025-03" });
        Assert.Equal(values.OrderBy(v => v.Key), stored.Grid.Values.Where(v => v.Value != 0).OrderBy(v => v.Key));
        Assert.Equal("Permanence renforcée le mardi.", stored.Grid.Comment);

        // The same workbook again: the server already has this grid, no new revision.
        var again = await CliHarness.RunAsync(server, "submit", path);
        Assert.Contains("révision 1 (déjà reçue)", again.Output);
    }

    [Fact]
    public async Task Every_violation_names_the_sheet_and_the_cell_as_well_as_the_cell_path()
    {
        using var folder = CliHarness.TempFolder();
        var path = await GenerateAsync(folder);
        var values = ValidGridValues.Create();
        values["personnes_recues[statut=victime]"] = 26;
        values["entretiens"] = 2_000_000;
        values["entretiens[modalite=physique]"] = 2_000_000 - 25;
        Fill(path, "Avril", values, "Écrire à jean.martin@example.fr");
        var inputs = Inputs(path, "Avril");

        var run = await CliHarness.RunAsync(server, "validate", path);

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        var statut = inputs.Where(i => i.Key.StartsWith("personnes_recues[statut=", StringComparison.Ordinal)).Select(i => i.Value).Order().ToList();
        Assert.Contains($"ERREUR B_STATUT_SOMME 'Avril'!{statut[0]}:{statut[^1]} personnes_recues[statut=*]", run.Output);
        Assert.Contains($"ERREUR VALEUR_HORS_BORNES 'Avril'!{inputs["entretiens"]} entretiens", run.Output);
        Assert.Matches(@"ERREUR ANONYMAT_EMAIL 'Avril'!A\d+ comment", run.Output);
    }

    [Fact]
    public async Task A_value_that_is_not_a_whole_number_names_its_sheet_and_cell_and_its_grid_is_not_sent()
    {
        using var folder = CliHarness.TempFolder();
        var path = await GenerateAsync(folder);
        Fill(path, "Mai", ValidGridValues.Create(), null);
        var address = Inputs(path, "Mai")["entretiens"];
        using (var workbook = OpenXmlWorkbook.Open(path, editable: true))
        {
            workbook.SetText("Mai", address, "environ 70");
        }

        var before = await server.CountRowsAsync();
        var run = await CliHarness.RunAsync(server, "submit", path);

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        Assert.Contains($"'Mai'!{address}, champ « entretiens » : « environ 70 » n'est pas un nombre entier.", run.Output);
        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Fact]
    public async Task A_workbook_of_another_schema_version_is_refused_with_a_clear_message()
    {
        using var folder = CliHarness.TempFolder();
        var path = await GenerateAsync(folder);
        Fill(path, "Juin", ValidGridValues.Create(), null);
        using (var workbook = OpenXmlWorkbook.Open(path, editable: true))
        {
            // The metadata's version cell of every period, as a workbook made for another grid would have it.
            var sheet = workbook.Worksheet(WorkbookFormat.MetadataSheet);
            foreach (var row in sheet.Descendants<Row>())
            {
                var version = $"C{row.RowIndex!.Value}";
                if (workbook.Text(WorkbookFormat.MetadataSheet, version) == "2025.1")
                {
                    workbook.SetText(WorkbookFormat.MetadataSheet, version, "2024.2");
                }
            }
        }

        var before = await server.CountRowsAsync();
        var run = await CliHarness.RunAsync(server, "submit", path);

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        Assert.Contains(
            "P-01-001 · 2025-06 : refusée, classeur généré pour la grille 2024.2, mais le serveur attend la grille 2025.1 pour la période 2025-06. Générez un nouveau classeur (observatoire modele --year 2025)",
            run.Output);
        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Fact]
    public async Task The_sheet_shows_a_broken_rule_and_the_breakdown_total_while_it_is_filled()
    {
        using var folder = CliHarness.TempFolder();
        var path = await GenerateAsync(folder);
        var values = ValidGridValues.Create();
        values["personnes_recues[statut=victime]"] = 26;
        Fill(path, "Juillet", values, null);
        var statut = Inputs(path, "Juillet").Where(i => i.Key.StartsWith("personnes_recues[statut=", StringComparison.Ordinal)).Select(i => i.Value).Order().ToList();
        var totalRow = int.Parse(statut[^1][1..], System.Globalization.CultureInfo.InvariantCulture) + 1;

        // ClosedXML's own formula engine computes the formulas the Open XML SDK left uncomputed.
        using var workbook = new XLWorkbook(path);
        var sheet = workbook.Worksheet("Juillet");
        Assert.Equal("1 erreur(s) à corriger avant l'envoi", sheet.Cell("B4").GetString());
        var row = sheet.Column(3).CellsUsed().Single(c => c.DataType == XLDataType.Text && !c.HasFormula && c.GetString() == "B_STATUT_SOMME").WorksheetRow();
        Assert.Equal(GridWorkbookWriter.ErrorStatus, row.Cell(2).GetString());
        Assert.Equal("La somme des personnes reçues par statut (38) doit être égale au nombre de personnes reçues (40).", row.Cell(1).GetString());
        Assert.Equal(38, sheet.Cell($"B{totalRow}").GetValue<long>());
        Assert.Equal("✗ total attendu : 40", sheet.Cell($"C{totalRow}").GetString());

        Assert.Equal("Vide : cette feuille ne sera pas envoyée", workbook.Worksheet("Août").Cell("B4").GetString());
    }

    [Fact]
    public async Task Files_that_are_not_generated_workbooks_are_refused_with_the_reason()
    {
        using var folder = CliHarness.TempFolder();
        var notZip = folder.File("faux.xlsx");
        File.WriteAllText(notZip, "ceci n'est pas un classeur");
        var package = folder.File("paquet.xlsx");
        using (var zip = System.IO.Compression.ZipFile.Open(package, System.IO.Compression.ZipArchiveMode.Create))
        {
            using var entry = new StreamWriter(zip.CreateEntry("a.txt").Open());
            entry.Write("un zip, pas un classeur");
        }

        var other = folder.File("autre.xlsx");
        using (var workbook = new XLWorkbook())
        {
            workbook.Worksheets.Add("Feuil1").Cell("A1").Value = 12;
            workbook.SaveAs(other);
        }

        var empty = await GenerateAsync(folder);
        var run = await CliHarness.RunAsync(server, "validate", notZip, package, other, empty);

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        Assert.Contains("faux.xlsx : ce fichier n'est pas un classeur Excel (.xlsx).", run.Output);
        Assert.Contains("paquet.xlsx : ce fichier n'est pas un classeur Excel lisible (.xlsx)", run.Output);
        Assert.DoesNotContain("Object reference", run.Output);
        Assert.Contains("autre.xlsx : ce classeur n'a pas été produit par « observatoire modele »", run.Output);
        Assert.Contains("aucune feuille de période n'est remplie : rien à envoyer.", run.Output);
    }

    [Fact]
    public async Task The_sample_workbook_is_what_its_documented_command_makes_and_the_server_accepts_it()
    {
        using var folder = CliHarness.TempFolder();
        var sample = Path.Combine(CliHarness.RepositoryRoot, "examples", "classeurs", "grille-2025-P-01-001-exemple.xlsx");
        var regenerated = folder.File("exemple.xlsx");

        // The command of examples/classeurs/README.md.
        var run = await CliHarness.RunAsync(
            server, "modele", "--year", "2025", "--post", Post, "--remplir", CliHarness.Example("P-01-001-2025-03.json"), "-o", regenerated);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());

        var expected = WorkbookGridReader.Read(regenerated);
        var actual = WorkbookGridReader.Read(sample);
        Assert.Empty(actual.Errors);
        Assert.Equal(expected.Grids.Select(g => g.Grid), actual.Grids.Select(g => g.Grid));
        var march = Assert.Single(actual.Grids);
        Assert.Equal("Mars", march.Sheet);
        var json = GridFileReader.Read(CliHarness.Example("P-01-001-2025-03.json")).Grids.Single().Grid;
        Assert.Equal(json, march.Grid);

        var validate = await CliHarness.RunAsync(server, "validate", sample);
        Assert.True(validate.ExitCode == ExitCodes.Success, validate.ToString());
        Assert.Contains("P-01-001 · 2025-03 : valide", validate.Output);
    }

    [Fact]
    public async Task Prefilling_refuses_a_grid_of_another_post_or_outside_the_workbook_and_writes_nothing()
    {
        using var folder = CliHarness.TempFolder();
        var path = folder.File("g.xlsx");

        var run = await CliHarness.RunAsync(
            server, "modele", "--year", "2025", "--post", Post, "--frequence", "trimestre", "--remplir", CliHarness.Example("P-01-001-2025-03.json"), CliHarness.Example("trimestre-2025-T1.csv"), "-o", path);

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        Assert.Contains("la période 2025-03 n'a pas de feuille dans ce classeur.", run.Error);
        Assert.Contains("grille du poste P-75-002, classeur du poste P-01-001.", run.Error);
        Assert.False(File.Exists(path));
    }

    private async Task<string> GenerateAsync(TempFolder folder)
    {
        var path = folder.File("grille-2025.xlsx");
        var run = await CliHarness.RunAsync(server, "modele", "--year", "2025", "--post", Post, "-o", path);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("Classeur écrit", run.Output);
        return path;
    }

    private static IReadOnlyDictionary<string, string> Inputs(string path, string sheet)
    {
        using var workbook = OpenXmlWorkbook.Open(path);
        return workbook.Inputs(sheet);
    }

    /// <summary>Types the values into a period sheet with the Open XML SDK, at the addresses the metadata gives.</summary>
    internal static void Fill(string path, string sheet, IReadOnlyDictionary<string, long> values, string? comment)
    {
        using var workbook = OpenXmlWorkbook.Open(path, editable: true);
        var inputs = workbook.Inputs(sheet);
        foreach (var (cell, value) in values)
        {
            workbook.SetNumber(sheet, inputs[cell], value);
        }

        if (comment is not null)
        {
            var address = workbook.MetadataTable(WorkbookFormat.PeriodsMarker).Single(p => p[0] == sheet)[4];
            workbook.SetText(sheet, address, comment);
        }
    }

    private static HashSet<string> Expand(IEnumerable<string> references)
    {
        var result = new HashSet<string>();
        foreach (var reference in references)
        {
            var parts = reference.Split(':');
            var first = new XLAddressParts(parts[0]);
            var last = new XLAddressParts(parts[^1]);
            for (var column = first.Column; column <= last.Column; column++)
            {
                for (var row = first.Row; row <= last.Row; row++)
                {
                    result.Add($"{(char)('A' + column - 1)}{row}");
                }
            }
        }

        return result;
    }

    private readonly record struct XLAddressParts(int Column, int Row)
    {
        public XLAddressParts(string address)
            : this(address[0] - 'A' + 1, int.Parse(address[1..], System.Globalization.CultureInfo.InvariantCulture))
        {
        }
    }
}
