using System.Security.Cryptography;
using System.Xml.Linq;
using Observatoire.Cli;
using Observatoire.Cli.Commands;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using SkiaSharp;
using UglyToad.PdfPig;

namespace Observatoire.Server.Tests.Cli;

/// <summary>
/// observatoire chart and observatoire report against the real server filled by simulate (departments 01 and 09,
/// 2024-2025): the files written are the images and the PDF the server made, at the asked size, under the expected
/// names, and refusals exit 1 with the server's French message.
/// </summary>
public class CliChartReportTests(SimulatedServer fixture) : IClassFixture<SimulatedServer>
{
    private readonly ServerFixture _server = fixture.Server;

    private ReportService.ReportServiceClient Reports => new(_server.CreateChannel());

    [Fact]
    public async Task Chart_writes_a_png_of_the_asked_size_and_prints_its_title()
    {
        using var folder = CliHarness.TempFolder();
        var path = folder.File("serie.png");

        var run = await CliHarness.RunAsync(
            _server, "chart", "--kind", "serie", "--level", "departement", "--code", "01", "--period", "2025",
            "--cell", "entretiens", "--width", "800", "--height", "500", "-o", path);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        using (var bitmap = SKBitmap.Decode(path))
        {
            Assert.NotNull(bitmap);
            Assert.Equal((800, 500), (bitmap.Width, bitmap.Height));
        }

        var direct = await Reports.RenderChartAsync(new RenderChartRequest
        {
            Kind = ChartKind.TimeSeries,
            Area = new Area { Level = AreaLevel.Department, Code = "01" },
            Period = "2025",
            Cell = "entretiens",
            Granularity = Granularity.Month,
            Format = ImageFormat.Png,
            Width = 800,
            Height = 500,
        });
        Assert.Equal(CliHarness.Normalize(direct.Title), run.Lines[0]);
        var size = new FileInfo(path).Length;
        Assert.Contains($"Graphique écrit dans {path} : PNG 800 × 500 pixels, {CliHarness.Normalize(Labels.Size(size))}.", run.Output);
    }

    [Fact]
    public async Task Chart_svg_has_the_asked_size_and_a_default_name_in_the_output_folder()
    {
        using var folder = CliHarness.TempFolder();

        var run = await CliHarness.RunAsync(
            _server, "chart", "--kind", "ventilation", "--cell", "problematiques.problematique", "--period", "2025",
            "--format", "svg", "--width", "640", "--height", "480", "-o", folder.Path);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var path = folder.File("ventilation-problematiques.problematique-national-2025.svg");
        Assert.Equal([path], Directory.GetFiles(folder.Path));
        var svg = XDocument.Load(path).Root!;
        Assert.Equal("svg", svg.Name.LocalName);
        Assert.Equal("640", svg.Attribute("width")!.Value.Replace("px", "", StringComparison.Ordinal));
        Assert.Equal("480", svg.Attribute("height")!.Value.Replace("px", "", StringComparison.Ordinal));
        Assert.Contains(": SVG 640 × 480 pixels", run.Output);
    }

    [Theory]
    [InlineData("series", "serie-national-2025.png", "--period", "2025")]
    [InlineData("ranking", "classement-region-84-2025.png", "--period", "2025", "--level", "region", "--code", "84")]
    [InlineData("breakdown", "ventilation-personnes_recues.statut-departement-01-2025-T2.png", "--period", "2025-T2", "--level", "departement", "--code", "1", "--cell", "personnes_recues.statut")]
    [InlineData("pyramid", "pyramide-departement-09-2025.png", "--period", "2025", "--level", "department", "--code", "09")]
    [InlineData("completeness", "completude-departement-01-2024.png", "--period", "2024", "--level", "departement", "--code", "01")]
    [InlineData("map", "carte-national-2025.png", "--period", "2025")]
    [InlineData("carte", "carte-personnes_nouvelles-national-2025.png", "--period", "2025", "--cell", "personnes_nouvelles")]
    [InlineData("classement", "classement-departement-01-2025.png", "--period", "2025", "--level", "departement", "--code", "01", "--raw")]
    public async Task Every_kind_and_alias_writes_a_png_under_its_default_name(string kind, string expectedName, params string[] options)
    {
        using var folder = CliHarness.TempFolder();

        var run = await CliHarness.RunAsync(_server, ["chart", "--kind", kind, "--width", "400", "--height", "300", "-o", folder.Path, .. options]);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var path = folder.File(expectedName);
        Assert.True(File.Exists(path), $"{expectedName} absent : {string.Join(", ", Directory.GetFiles(folder.Path).Select(Path.GetFileName))}\n{run}");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal(400, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(300, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    [Fact]
    public async Task Chart_refusals_exit_one_with_the_servers_french_message_and_write_nothing()
    {
        using var folder = CliHarness.TempFolder();

        var denied = await CliHarness.RunAsync(_server, "chart", "--kind", "classement", "--level", "departement", "--code", "01", "--period", "2025", "-o", folder.Path);
        Assert.True(denied.ExitCode == ExitCodes.Rejected, denied.ToString());
        Assert.Contains("(accès refusé) — Les chiffres par poste ne sont pas publiés", denied.Error);

        var unknown = await CliHarness.RunAsync(_server, "chart", "--kind", "ventilation", "--cell", "personnes_recues.couleur", "--period", "2025", "-o", folder.Path);
        Assert.True(unknown.ExitCode == ExitCodes.Rejected, unknown.ToString());
        Assert.Contains("(requête invalide) — « personnes_recues.couleur » ne désigne pas une ventilation", unknown.Error);
        Assert.Contains("VENTILATION_INCONNUE", unknown.Error);

        var small = await CliHarness.RunAsync(_server, "chart", "--kind", "carte", "--period", "2025", "--width", "100", "-o", folder.Path);
        Assert.True(small.ExitCode == ExitCodes.Rejected, small.ToString());
        Assert.Contains("La taille d'un graphique va de 200 × 150", small.Error);

        var area = await CliHarness.RunAsync(_server, "chart", "--kind", "pyramide", "--level", "departement", "--code", "999", "--period", "2025", "-o", folder.Path);
        Assert.True(area.ExitCode == ExitCodes.Rejected, area.ToString());
        Assert.Contains("(introuvable)", area.Error);
        Assert.Contains("999", area.Error);

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task Report_of_a_department_writes_a_checked_pdf_and_no_temporary_file()
    {
        using var folder = CliHarness.TempFolder();
        var path = folder.File("comite-01.pdf");

        var run = await CliHarness.RunAsync(_server, "report", "--year", "2025", "--department", "01", "-o", path);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal([path], Directory.GetFileSystemEntries(folder.Path));
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
        using var pdf = PdfDocument.Open(bytes);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Contains(
            $"Rapport annuel 2025 du département 01 : {Labels.Count(pdf.NumberOfPages, "page", "pages")}, {CliHarness.Normalize(Labels.Size(bytes.Length))} ({CliHarness.Normalize(Labels.Number(bytes.Length))} octets), écrit dans {path}",
            run.Output);
        Assert.Contains($"taille et empreinte SHA-256 vérifiées : {hash}", run.Output);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Report_into_a_folder_takes_the_servers_file_name_and_shows_a_progress_bar()
    {
        using var folder = CliHarness.TempFolder();
        var settings = new CliSettings { RetryDelays = [], ShowProgress = true };

        var run = await CliHarness.RunAsync(_ => _server.CreateChannel(), settings, "report", "-y", "2025", "-d", "9", "-o", folder.Path + Path.DirectorySeparatorChar);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var path = Path.Combine(folder.Path + Path.DirectorySeparatorChar, "rapport-2025-09.pdf");
        Assert.Equal(["rapport-2025-09.pdf"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
        Assert.Equal("%PDF"u8.ToArray(), File.ReadAllBytes(path)[..4]);
        Assert.Contains("Rapport annuel 2025 du département 09 : ", run.Output);
    }

    [Fact]
    public async Task Report_refusals_exit_one_with_the_french_message_and_leave_no_file()
    {
        using var folder = CliHarness.TempFolder();
        var path = folder.File("rapport.pdf");

        var unknown = await CliHarness.RunAsync(_server, "report", "--year", "2025", "--department", "99", "-o", path);
        Assert.True(unknown.ExitCode == ExitCodes.Rejected, unknown.ToString());
        Assert.Contains("Rapport annuel 2025 du département 99 non obtenu : requête refusée par le serveur (introuvable) — Le département « 99 » n'existe pas.", unknown.Error);

        var future = DateTime.UtcNow.Year + 1;
        var invalid = await CliHarness.RunAsync(_server, "report", "--year", future.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", path);
        Assert.True(invalid.ExitCode == ExitCodes.Rejected, invalid.ToString());
        Assert.Contains($"(requête invalide) — L'année {future} est invalide", invalid.Error);
        Assert.Contains("ANNEE_INVALIDE", invalid.Error);

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task Bilan_of_a_post_writes_its_pdf_with_the_qualitative_part_and_refuses_personal_data()
    {
        using var folder = CliHarness.TempFolder();
        var texte = folder.File("bilan.md");
        File.WriteAllText(texte, "# Faits marquants\n\nPermanences hebdomadaires maintenues.\n");

        var run = await CliHarness.RunAsync(_server, "bilan", "--post", "p-01-001", "--year", "2025", "--texte", texte, "-o", folder.Path + Path.DirectorySeparatorChar);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var path = Path.Combine(folder.Path, "bilan-P-01-001-2025.pdf");
        using (var pdf = PdfDocument.Open(File.ReadAllBytes(path)))
        {
            var text = string.Join("\n", pdf.GetPages().Select(p => p.Text));
            Assert.Contains("Bilan d'activité 2025", text);
            Assert.Contains("Faits marquants", text);
            Assert.Contains("Permanences hebdomadaires maintenues.", text);
        }

        Assert.Contains("Bilan d'activité 2025 du poste P-01-001 : ", run.Output);
        File.WriteAllText(texte, "Joindre l'intervenante au 06 12 34 56 78.");
        var refused = await CliHarness.RunAsync(_server, "bilan", "--post", "P-01-001", "--year", "2025", "--texte", texte, "-o", folder.File("refuse.pdf"));
        Assert.True(refused.ExitCode == ExitCodes.Rejected, refused.ToString());
        Assert.Contains("ANONYMAT_TELEPHONE", refused.Error);
        Assert.False(File.Exists(folder.File("refuse.pdf")));

        var missing = await CliHarness.RunAsync(_server, "bilan", "--post", "P-01-001", "--year", "2025", "--texte", folder.File("absent.md"));
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("--texte", missing.Error);
    }

    [Fact]
    public void The_default_chart_name_comes_from_kind_cell_area_and_period()
    {
        var request = new RenderChartRequest { Kind = ChartKind.TimeSeries, Area = new Area { Level = AreaLevel.National }, Period = "2025" };
        Assert.Equal("serie-national-2025.png", ChartCommand.DefaultFileName(request, null, ImageFormat.Png));

        request = new RenderChartRequest { Kind = ChartKind.Ranking, Area = new Area { Level = AreaLevel.Post, Code = "P-09-001" }, Period = "2025-03" };
        Assert.Equal("classement-personnes_recues-statut-victime-poste-P-09-001-2025-03.svg", ChartCommand.DefaultFileName(request, "personnes_recues[statut=victime]", ImageFormat.Svg));
    }

    [Fact]
    public async Task Export_writes_the_departmental_sdmx_csv_and_the_french_csv_under_the_servers_names()
    {
        using var folder = CliHarness.TempFolder();
        var sdmx = folder.File("departements.csv");

        var run = await CliHarness.RunAsync(_server, "export", "--format", "sdmx-csv", "--level", "departement", "--period", "2025", "-o", sdmx);
        var csv = await CliHarness.RunAsync(_server, "export", "-f", "csv", "-l", "region", "-p", "2025-T1", "-c", "personnes_nouvelles", "-o", folder.Path + Path.DirectorySeparatorChar);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains($"écrit dans {sdmx}", run.Output);
        var lines = File.ReadAllLines(sdmx);
        Assert.StartsWith("STRUCTURE,STRUCTURE_ID,ACTION,TERRITOIRE,INDICATEUR,", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("dataflow,FR_OBS_ISCG:DF_ISCG(2025.1.0),I,D09,", StringComparison.Ordinal));
        Assert.True(csv.ExitCode == ExitCodes.Success, csv.ToString());
        var written = Path.Combine(folder.Path, "chiffres-region-2025-T1.csv");
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, File.ReadAllBytes(written)[..3]);
        Assert.Equal(18, File.ReadAllLines(written).Count(l => l.Contains(";personnes_nouvelles;personnes_nouvelles;", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Export_xlsx_holds_the_csv_exports_values_with_numbers_as_numbers_and_secret_cells_as_their_status()
    {
        using var folder = CliHarness.TempFolder();
        var csvPath = folder.File("departements.csv");

        var csvRun = await CliHarness.RunAsync(_server, "export", "-f", "csv", "-l", "departement", "-p", "2025", "-o", csvPath);
        var run = await CliHarness.RunAsync(_server, "export", "--format", "xlsx", "--level", "departement", "--period", "2025", "-o", folder.Path + Path.DirectorySeparatorChar);

        Assert.True(csvRun.ExitCode == ExitCodes.Success, csvRun.ToString());
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var written = Path.Combine(folder.Path, "chiffres-departement-2025.xlsx");
        Assert.Contains($"écrit dans {written}", run.Output);
        Assert.Empty(Directory.GetFiles(folder.Path, "*" + ReportCommand.PartialExtension));
        var csv = File.ReadAllLines(csvPath, System.Text.Encoding.UTF8).Where(l => l.Length > 0).Select(SplitFrenchCsv).ToList();
        var header = csv[0];
        var value = Array.IndexOf(header, "valeur");
        var confidentiality = Array.IndexOf(header, "confidentialite");
        Assert.True(value >= 0 && confidentiality >= 0, string.Join(';', header));

        using var workbook = new ClosedXML.Excel.XLWorkbook(written);
        var sheet = workbook.Worksheet("Chiffres");
        Assert.Equal(csv.Count, sheet.LastRowUsed().RowNumber());
        Assert.Equal(header.Length, sheet.LastColumnUsed().ColumnNumber());
        Assert.Equal(1, sheet.SheetView.SplitRow);
        Assert.True(sheet.AutoFilter.IsEnabled);
        Assert.Equal(1, sheet.AutoFilter.Range.FirstRow().RowNumber());
        Assert.Equal(csv.Count, sheet.AutoFilter.Range.LastRow().RowNumber());
        int secrets = 0, numbers = 0;
        for (var r = 0; r < csv.Count; r++)
        {
            for (var c = 0; c < header.Length; c++)
            {
                var cell = sheet.Cell(r + 1, c + 1);
                var text = csv[r][c];
                var secret = r > 0 && csv[r][confidentiality] != "libre";
                if (r > 0 && c == value && secret)
                {
                    secrets++;
                    Assert.Equal("", text);
                    Assert.Equal(ClosedXML.Excel.XLDataType.Text, cell.DataType);
                    Assert.Equal(csv[r][confidentiality], cell.GetString());
                }
                else if (r > 0 && c == value && text.Length > 0)
                {
                    numbers++;
                    Assert.Equal(ClosedXML.Excel.XLDataType.Number, cell.DataType);
                    Assert.Equal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), (decimal)cell.GetDouble());
                }
                else
                {
                    Assert.True(text.Length == 0 || cell.DataType == ClosedXML.Excel.XLDataType.Text, $"{cell.Address} {cell.DataType}");
                    Assert.Equal(text, cell.GetString());
                }
            }
        }

        Assert.True(secrets > 0 && numbers > 0, $"{secrets} secret cells, {numbers} numbers");
        var readMe = workbook.Worksheet("Lisez-moi");
        var lines = readMe.RowsUsed().ToDictionary(row => row.Cell(1).GetString(), row => row.Cell(2).GetString());
        Assert.Equal("2025", lines["Période"]);
        Assert.StartsWith("département", lines["Niveau"]);
        Assert.Contains("Observatoire", lines["Source"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$", lines["Date"]);
        Assert.Contains("jamais un nombre", lines["confidentialite : secret primaire"]);
        Assert.Contains("jamais un nombre", lines["confidentialite : secret secondaire"]);
    }

    [Fact]
    public void Export_workbook_refuses_a_csv_that_gives_a_secret_cell_a_number()
    {
        var info = new Observatoire.Cli.Workbooks.ExportWorkbookInfo("test", "national", "2025", [], false, DateTimeOffset.UnixEpoch);
        const string Header = "niveau;code;territoire;periode;indicateur;cellule;libelle;valeur;statut;confidentialite\r\n";
        using var output = new MemoryStream();

        var secret = Assert.Throws<FormatException>(() => Observatoire.Cli.Workbooks.ExportWorkbookWriter.Write(
            Header + "national;FR;France;2025;x;x;X;3;complet;secret primaire\r\n", info, output));
        var text = Assert.Throws<FormatException>(() => Observatoire.Cli.Workbooks.ExportWorkbookWriter.Write(
            Header + "national;FR;France;2025;x;x;X;trois;complet;libre\r\n", info, output));
        var foreign = Assert.Throws<FormatException>(() => Observatoire.Cli.Workbooks.ExportWorkbookWriter.Write("a;b\r\n1;2\r\n", info, output));
        var shortRow = Assert.Throws<FormatException>(() => Observatoire.Cli.Workbooks.ExportWorkbookWriter.Write(Header + "national;FR\r\n", info, output));
        var unclosed = Assert.Throws<FormatException>(() => Observatoire.Cli.Workbooks.ExportWorkbookWriter.Write(
            Header + "national;FR;\"France;2025;x;x;X;3;complet;libre\r\n", info, output));

        Assert.Contains("secret primaire", secret.Message);
        Assert.Contains("trois", text.Message);
        Assert.Contains("valeur", foreign.Message);
        Assert.Contains("mal formé", shortRow.Message);
        Assert.Contains("mal formé", unclosed.Message);
    }

    /// <summary>A line of the French CSV: ";" separated, a field with ";" or a quote between quotes, "" for a quote.</summary>
    private static string[] SplitFrenchCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ';' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    [Fact]
    public async Task Export_refuses_the_post_level_before_calling_the_server()
    {
        await CliHarness.AssertUsageErrorWithoutServerAsync("export", "--format", "csv", "--level", "poste", "--period", "2025");
        await CliHarness.AssertUsageErrorWithoutServerAsync("export", "--format", "xml", "--level", "national", "--period", "2025");
    }

    [Fact]
    public async Task Opendata_writes_the_years_package_with_only_published_figures_that_agree_with_the_api()
    {
        using var folder = CliHarness.TempFolder();
        var target = folder.File("donnees");

        var run = await CliHarness.RunAsync(_server, "opendata", "--year", "2025", "-o", target);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal(
            new[] { "LICENCE.md", "chiffres-departement-2025.csv", "chiffres-national-2025.csv", "chiffres-region-2025.csv", "datapackage.json", "methodologie.md" },
            Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var aggregates = new AggregateService.AggregateServiceClient(_server.CreateChannel());
        var levels = new Dictionary<string, AreaLevel> { ["national"] = AreaLevel.National, ["region"] = AreaLevel.Region, ["departement"] = AreaLevel.Department };
        foreach (var file in Directory.GetFiles(target, "*.csv"))
        {
            var rows = File.ReadAllLines(file, System.Text.Encoding.UTF8).Skip(1).Select(l => l.Split(';')).ToList();
            Assert.NotEmpty(rows);
            foreach (var area in rows.GroupBy(r => (r[0], r[1])))
            {
                Assert.True(levels.ContainsKey(area.Key.Item1), $"level {area.Key.Item1} in {file}");
                var published = await aggregates.ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = levels[area.Key.Item1], Code = area.Key.Item2 }, Period = "2025" });
                var byCell = published.Figures.ToDictionary(f => f.Cell);
                foreach (var row in area)
                {
                    var figure = byCell[row[5]];
                    Assert.Equal(figure.HasValue ? figure.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "", row[7]);
                    Assert.Equal(figure.Confidentiality is Confidentiality.Primary or Confidentiality.Secondary or Confidentiality.Suppressed, row[9] != "libre");
                }
            }
        }
    }
}
