using System.Globalization;
using System.Text;
using Google.Protobuf;
using Observatoire.Cli;
using Observatoire.Cli.Commands;
using Observatoire.Cli.Infrastructure;
using Observatoire.Cli.Simulation;
using Observatoire.Simulation;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Cli;

/// <summary>
/// The analyst verbs (query, series, completeness, outliers, compare) and simulate, against a server filled by
/// simulate: JSON is the server's answer, text and CSV show it faithfully, refusals exit 1 with the French message.
/// </summary>
public class CliAnalysisTests(SimulatedServer fixture) : IClassFixture<SimulatedServer>
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);
    private static readonly Area Ain = new() { Level = AreaLevel.Department, Code = "01" };

    private readonly ServerFixture _server = fixture.Server;

    private AggregateService.AggregateServiceClient Aggregates => new(_server.CreateChannel());

    [Fact]
    public async Task Simulate_submits_every_grid_without_rejection_and_a_rerun_replays()
    {
        var expected = await LocalSimulationAsync(2025);
        var sent = expected.Sent.Count();
        var run = fixture.Runs[2025];
        Assert.Contains($"Simulation de l'année 2025 (graine {SimulatedServer.Seed}) : 5 postes, {Labels.Count(expected.Grids.Count, "grille attendue", "grilles attendues")}", run.Output);
        Assert.Contains($"Bilan : {Labels.Count(sent, "envoyée", "envoyées")}, {Labels.Count(sent, "acceptée", "acceptées")} (dont 0 déjà reçue), 0 rejetée", CliHarness.Normalize(run.Output));

        var stored = await _server.QueryAsync(db => Task.FromResult(db.GridRevisions.Count(r => r.ClientId == SimulateCommand.DefaultClientId && (r.PostId.StartsWith("P-01-") || r.PostId.StartsWith("P-09-")))));
        var bothYears = 0;
        foreach (var year in SimulatedServer.Years)
        {
            bothYears += (await LocalSimulationAsync(year)).Sent.Count();
        }

        Assert.Equal(bothYears, stored);

        // Same seed, same grids, same submission ids: replayed, nothing added.
        var again = await CliHarness.RunAsync(_server, SimulatedServer.SimulateArgs(2025));
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        Assert.Contains($"(dont {Labels.Number(sent)} déjà reçues), 0 rejetée", again.Output);
        Assert.Equal(stored, await _server.QueryAsync(db => Task.FromResult(db.GridRevisions.Count(r => r.ClientId == SimulateCommand.DefaultClientId && (r.PostId.StartsWith("P-01-") || r.PostId.StartsWith("P-09-"))))));
    }

    [Fact]
    public async Task Simulate_with_a_progress_bar_sends_in_batches_and_counts_exactly()
    {
        var settings = new CliSettings { RetryDelays = [], ShowProgress = true, ProgressThreshold = 0 };
        var run = await CliHarness.RunAsync(
            _ => _server.CreateChannel(), settings,
            "simulate", "--year", "2025", "--seed", "9", "--post", "P-75-002", "--post", "P-13-003", "--missing", "0", "--late", "0", "--outliers", "0");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.True(run.Output.Contains("2 postes, 18 grilles attendues", StringComparison.Ordinal), run.ToString()); // 12 months, 4 quarters and two yearly bilans
        Assert.True(run.Output.Contains("Bilan : 18 envoyées, 18 acceptées (dont 0 déjà reçue), 0 rejetée, ", StringComparison.Ordinal), run.ToString());
        var revisions = await new GridService.GridServiceClient(_server.CreateChannel())
            .ListRevisionsAsync(new ListRevisionsRequest { PostId = "P-13-003", Period = "2025-12" });
        var revision = Assert.Single(revisions.Revisions);
        Assert.Equal(SimulateCommand.DefaultClientId, revision.ClientId);
        Assert.StartsWith("sim-9-P-13-003-2025-12-", revision.SubmissionId);

        // Received within the deadline, as simulated: not today.
        var received = revision.ReceivedAt.ToDateTime();
        Assert.InRange((DateOnly.FromDateTime(received).DayNumber - new DateOnly(2025, 12, 31).DayNumber), 1, 14);
    }

    [Fact]
    public async Task Simulate_dry_run_writes_grid_files_that_validate_and_sends_nothing()
    {
        using var folder = CliHarness.TempFolder();
        var before = await _server.CountRowsAsync();

        var run = await CliHarness.RunAsync(_server, "simulate", "--year", "2025", "--seed", "5", "--post", "P-75-002", "--post", "P-01-001", "--dry-run", "-o", folder.Path);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("rien n'a été envoyé", run.Output);
        Assert.Equal(before, await _server.CountRowsAsync());
        var files = Directory.GetFiles(Path.Combine(folder.Path, SimulationFiles.GridFolder)).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["P-01-001-2025.json", "P-75-002-2025.json"], files);
        var manifest = File.ReadAllBytes(Path.Combine(folder.Path, SimulationFiles.ManifestName));
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), manifest[..3]);
        var manifestLines = Encoding.UTF8.GetString(manifest[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("post_id;period;status;received_at;submission_id;outlier_indicator", manifestLines[0]);
        Assert.Equal(12 + 1 + 4 + 1, manifestLines.Length - 1); // each post's grids and its yearly bilan

        var validate = await CliHarness.RunAsync(_server, "validate", Path.Combine(folder.Path, SimulationFiles.GridFolder));
        Assert.True(validate.ExitCode == ExitCodes.Success, validate.ToString());
        Assert.Contains(" 0 invalide", validate.Output);
    }

    [Fact]
    public async Task Query_json_is_the_servers_answer_and_the_table_shows_every_figure()
    {
        var request = new ConsolidateRequest { Area = Ain, Period = "2025" };
        var direct = await Aggregates.ConsolidateAsync(request);

        var json = await CliHarness.RunAsync(_server, "query", "--level", "departement", "--code", "01", "--period", "2025", "--format", "json");
        Assert.True(json.ExitCode == ExitCodes.Success, json.ToString());
        Assert.Equal(direct, Parser.Parse<ConsolidateResponse>(json.Output));

        // English aliases and a one-digit department code reach the same area.
        var alias = await CliHarness.RunAsync(_server, "query", "--level", "department", "--code", "1", "--period", "2025", "--format", "json");
        Assert.Equal(direct, Parser.Parse<ConsolidateResponse>(alias.Output));

        var text = await CliHarness.RunAsync(_server, "query", "-l", "departement", "-c", "01", "-p", "2025");
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.Contains("Département Ain (01) — période 2025", text.Output);
        Assert.Contains($"schéma {direct.SchemaVersion} · chiffres publiables (secret statistique en dessous de {direct.SuppressionThreshold})", text.Output);
        var provenance = direct.Provenance;
        Assert.Contains($"Provenance : {Labels.Count(provenance.ContributingPosts, "poste contributeur", "postes contributeurs")} sur {provenance.DuePosts} attendu", text.Output);
        Assert.Contains(CliHarness.Normalize(Labels.Count(provenance.MissingCount, "grille manquante", "grilles manquantes")), text.Output);
        Assert.Contains($"Couverture : {Labels.Count(direct.Coverage.ActivePosts, "poste actif", "postes actifs")}", text.Output);
        Assert.Contains("poste pour 150 000 habitants (objectif : 1", text.Output);

        var rows = FigureRows(direct, text);

        // A month: small counts are suppressed (A, and D to protect them).
        var month = await Aggregates.ConsolidateAsync(new ConsolidateRequest { Area = Ain, Period = "2025-03" });
        var monthText = await CliHarness.RunAsync(_server, "query", "--level", "departement", "--code", "01", "--period", "2025-03");
        var monthRows = FigureRows(month, monthText);

        // A quarter: the distinct persons of monthly posts cannot be added up.
        var quarter = await Aggregates.ConsolidateAsync(new ConsolidateRequest { Area = Ain, Period = "2025-T2" });
        var quarterText = await CliHarness.RunAsync(_server, "query", "--level", "departement", "--code", "01", "--period", "2025-T2");
        var quarterRows = FigureRows(quarter, quarterText);

        // This data shows the statuses the table must spell out.
        Assert.Contains(quarter.Figures, f => f.Status == FigureStatus.NotDerivable);
        Assert.Contains(quarterRows.Values, r => r[1] == "non dérivable");
        Assert.True(direct.Figures.Single(f => f.Cell == "personnes_recues").HasValue); // the year: from the yearly bilans
        Assert.Contains(CliHarness.Normalize($"Bilans annuels : {Labels.Count(provenance.YearlyBilans, "bilan utilisé", "bilans utilisés")}"), text.Output);
        Assert.Contains(month.Figures, f => f.Confidentiality == Confidentiality.Suppressed);
        Assert.Contains(monthRows.Values, r => r[1] is "secret" or "secret*");
        Assert.Contains(rows.Values, r => r[1].EndsWith('*'));
        Assert.Contains(rows.Values, r => r[3].EndsWith(" %", StringComparison.Ordinal) && (r[3][0] == '+' || r[3][0] == '-'));
        Assert.Contains("* chiffre partiel", text.Output);
        foreach (var note in direct.Notes)
        {
            Assert.Contains($"- {CliHarness.Normalize(note)}", text.Output);
        }
    }

    [Fact]
    public async Task Query_passes_raw_exclude_partial_and_cells_to_the_server()
    {
        var request = new ConsolidateRequest
        {
            Area = Ain,
            Period = "2025-T2",
            Disclosure = Disclosure.Raw,
            ExcludePartial = true,
            Cells = { "entretiens", "personnes_recues[statut=victime]" },
        };
        var direct = await Aggregates.ConsolidateAsync(request);

        var run = await CliHarness.RunAsync(
            _server, "query", "--level", "departement", "--code", "01", "--period", "2025-T2", "--raw", "--exclude-partial",
            "--cells", "entretiens", "personnes_recues[statut=victime]", "--format", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var answer = Parser.Parse<ConsolidateResponse>(run.Output);
        Assert.Equal(direct, answer);
        Assert.Equal(Disclosure.Raw, answer.Disclosure);
        Assert.Equal(["entretiens", "entretiens[modalite=physique]", "entretiens[modalite=telephonique]", "entretiens[modalite=visite_domicile_hopital]", "personnes_recues[statut=victime]"],
            answer.Figures.Select(f => f.Cell));

        var text = await CliHarness.RunAsync(
            _server, "query", "--level", "departement", "--code", "01", "--period", "2025-T2", "--raw", "--cells", "entretiens", "--cells", "personnes_recues[statut=victime]");
        Assert.Contains("chiffres bruts", text.Output);
        Assert.Equal(5, CliHarness.Rows(text).Count - 1);
    }

    [Fact]
    public async Task Query_csv_file_opens_in_a_french_spreadsheet()
    {
        using var folder = CliHarness.TempFolder();
        var direct = await Aggregates.ConsolidateAsync(new ConsolidateRequest { Area = Ain, Period = "2025", Disclosure = Disclosure.Raw });
        var path = folder.File("ain-2025.csv");

        var run = await CliHarness.RunAsync(_server, "query", "--level", "departement", "--code", "01", "--period", "2025", "--raw", "--format", "csv", "-o", path);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains($"Résultat écrit dans {path} ({direct.Figures.Count} lignes).", run.Output);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("cell;label;value;status;confidentiality;rate_per_100k;change_percent", lines[0]);
        Assert.Equal(direct.Figures.Count, lines.Length - 1);

        var withRate = direct.Figures.First(f => f.HasValue && f.HasRatePer100K && Math.Abs(f.RatePer100K % 1) > 0.01);
        var row = lines.Single(l => l.StartsWith(withRate.Cell + ";", StringComparison.Ordinal));
        var fields = row.Split(';');
        Assert.Equal(withRate.Label, fields[1]);
        Assert.Equal(withRate.Value.ToString(CultureInfo.InvariantCulture), fields[2]);
        Assert.Equal("F", fields[4]);
        Assert.Equal(withRate.RatePer100K.ToString("0.####", CultureInfo.GetCultureInfo("fr-FR")), fields[5]);
        Assert.Contains(',', fields[5]);
        Assert.DoesNotContain(lines, l => l.Contains('\u202F') || l.Contains('\u00A0'));

        // With a comma separator: decimal point, and the crossed cells (with a comma in their label) quoted.
        var comma = await CliHarness.RunAsync(_server, "query", "--level", "departement", "--code", "01", "--period", "2025", "--raw", "--format", "csv", "--separator", ",");
        Assert.True(comma.ExitCode == ExitCodes.Success, comma.ToString());
        Assert.StartsWith("cell,label,value,status,confidentiality,rate_per_100k,change_percent", comma.Output);
        Assert.Contains($",{withRate.RatePer100K.ToString("0.####", CultureInfo.InvariantCulture)},", comma.Output);
        Assert.Contains("\"personnes_recues[sexe=femme,tranche_age=moins_13]\",\"Personnes reçues — Femme, Moins de 13 ans\",", comma.Output);
    }

    [Fact]
    public async Task Series_shows_the_points_and_the_trend_line()
    {
        const string cell = "personnes_nouvelles[origine=gendarmerie_nationale]";
        var request = new GetSeriesRequest { Area = Ain, Cell = cell, From = "2024-01", To = "2025-12", Granularity = Granularity.Month, Disclosure = Disclosure.Raw };
        var direct = await Aggregates.GetSeriesAsync(request);

        var json = await CliHarness.RunAsync(_server, "series", "--level", "departement", "--code", "01", "--cell", cell, "--from", "2024-01", "--to", "2025-12", "--raw", "--format", "json");
        Assert.True(json.ExitCode == ExitCodes.Success, json.ToString());
        Assert.Equal(direct, Parser.Parse<GetSeriesResponse>(json.Output));
        Assert.Equal(24, direct.Points.Count);
        Assert.NotNull(direct.Trend);

        var text = await CliHarness.RunAsync(_server, "series", "--level", "departement", "--code", "01", "--cell", cell, "--from", "2024-01", "--to", "2025-12", "--raw", "--granularity", "mois");
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.Contains("série par mois de 2024-01 à 2025-12 · chiffres bruts", text.Output);
        var rows = CliHarness.Rows(text).ToDictionary(r => r[0]);
        foreach (var point in direct.Points)
        {
            var row = rows[point.Period];
            Assert.Equal(CliHarness.Normalize(AnalysisLabels.FigureValue(point.HasValue ? point.Value : null, point.Status, point.Confidentiality)), row[1]);
            Assert.Equal($"{point.ContributingPosts} / {point.DuePosts}", row[2]);
        }

        var trend = CliHarness.Normalize(SeriesCommand.TrendText(direct.Trend, Granularity.Month));
        Assert.StartsWith("Tendance : ", trend);
        Assert.Contains("par mois (IC à 95 % : ", trend);
        Assert.Contains(trend, text.Output);

        // The step defaults to that of --from: quarters.
        var quarters = await CliHarness.RunAsync(_server, "series", "-l", "departement", "-c", "01", "--cell", cell, "--from", "2024-T1", "--to", "2025-T4", "--raw", "--format", "csv");
        var quarterLines = quarters.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("period;value;status;confidentiality;contributing_posts;expected_posts;change;change_percent;year_over_year_change;year_over_year_percent", quarterLines[0]);
        Assert.Equal(["2024-T1", "2024-T2", "2024-T3", "2024-T4", "2025-T1", "2025-T2", "2025-T3", "2025-T4"], quarterLines.Skip(1).Select(l => l.Split(';')[0]));
    }

    [Fact]
    public async Task Completeness_reports_the_missing_and_late_grids_the_simulation_made()
    {
        var simulation = await LocalSimulationAsync(2025);
        var direct = await Aggregates.GetCompletenessAsync(new GetCompletenessRequest { Area = Ain, Period = "2025" });

        var json = await CliHarness.RunAsync(_server, "completeness", "--level", "departement", "--code", "01", "--period", "2025", "--format", "json");
        Assert.True(json.ExitCode == ExitCodes.Success, json.ToString());
        Assert.Equal(direct, Parser.Parse<GetCompletenessResponse>(json.Output));

        // The server sees exactly the fates the simulation chose (on time within 15 days, late after).
        // Yearly bilans are not grids of the posts' reporting frequency: completeness does not expect them.
        var ain = simulation.Grids.Where(g => g.Grid.PostId.StartsWith("P-01-", StringComparison.Ordinal) && !g.IsYearlyBilan).ToList();
        Assert.Equal(ain.Count, direct.Counts.Expected);
        Assert.Equal(ain.Count(g => g.Fate == GridFate.Missing), direct.Counts.Missing);
        Assert.Equal(ain.Count(g => g.Fate == GridFate.Late), direct.Counts.Late);
        Assert.True(direct.Counts.Missing > 0 && direct.Counts.Late > 0, "la simulation doit produire des grilles manquantes et en retard");
        foreach (var post in direct.Posts)
        {
            Assert.Equal(ain.Where(g => g.Grid.PostId == post.PostId && g.Fate == GridFate.Missing).Select(g => g.Grid.Period).Order(), post.MissingPeriods.Order());
            Assert.Equal(ain.Where(g => g.Grid.PostId == post.PostId && g.Fate == GridFate.Late).Select(g => g.Grid.Period).Order(), post.LatePeriods.Order());
        }

        var text = await CliHarness.RunAsync(_server, "completeness", "--level", "departement", "--code", "01", "--period", "2025", "--posts");
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        var counts = direct.Counts;
        Assert.Contains($"{counts.Expected} grilles attendues · {counts.Received} reçues ({counts.OnTime} à l'heure, {counts.Late} en retard)", text.Output);
        Assert.Contains($"Complétude : {CliHarness.Normalize(AnalysisLabels.Percent(counts.Completeness))}", text.Output);
        var rows = CliHarness.Rows(text);
        foreach (var post in direct.Posts)
        {
            var childRow = rows.Single(r => r[0].StartsWith(post.PostId + " — ", StringComparison.Ordinal));
            Assert.Equal([$"{post.Counts.Expected}", $"{post.Counts.Received}", $"{post.Counts.OnTime}", $"{post.Counts.Late}", $"{post.Counts.Missing}"], childRow[1..6]);
            var postRow = rows.Single(r => r[0] == post.PostId);
            Assert.Equal(post.MissingPeriods.Count > 0 ? string.Join(' ', post.MissingPeriods) : "—", postRow[6]);
            Assert.Equal(post.LatePeriods.Count > 0 ? string.Join(' ', post.LatePeriods) : "—", postRow[7]);
        }

        var csv = await CliHarness.RunAsync(_server, "completeness", "--level", "departement", "--code", "01", "--period", "2025", "--posts", "--format", "csv");
        var lines = csv.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 1 + direct.Children.Count + direct.Posts.Count, lines.Length);
        Assert.StartsWith($"total;department;01;Ain;;{counts.Expected};{counts.Received};{counts.OnTime};{counts.Late};{counts.Missing};", lines[1]);
    }

    [Fact]
    public async Task Outliers_lists_what_the_server_finds_including_the_planted_outliers()
    {
        var direct = await Aggregates.ListOutliersAsync(new ListOutliersRequest { Area = Ain });

        var json = await CliHarness.RunAsync(_server, "outliers", "--level", "departement", "--code", "01", "--format", "json");
        Assert.True(json.ExitCode == ExitCodes.Success, json.ToString());
        Assert.Equal(direct, Parser.Parse<ListOutliersResponse>(json.Output));

        var planted = (await LocalSimulationAsync(2025)).Grids.Where(g => g.OutlierIndicator is not null).ToList();
        Assert.Equal(SimulatedServer.Outliers, planted.Count);
        foreach (var outlier in planted)
        {
            Assert.Contains(direct.Outliers, o => o.PostId == outlier.Grid.PostId && o.Period == outlier.Grid.Period
                && o.Cell == outlier.OutlierIndicator && o.Reference == "historique" && o.ModifiedZ > 3.5);
        }

        var text = await CliHarness.RunAsync(_server, "outliers", "--level", "departement", "--code", "01");
        Assert.Contains($"{Labels.Count(direct.Outliers.Count, "valeur atypique", "valeurs atypiques")} ;", text.Output);
        var rows = CliHarness.Rows(text).Skip(1).ToList();
        Assert.Equal(direct.Outliers.Count, rows.Count);
        Assert.Equal(direct.Outliers.Select(o => (o.PostId, o.Period, o.Cell)), rows.Select(r => (r[0], r[2], r[3])));

        // A period and a higher threshold reach the server.
        var filtered = await Aggregates.ListOutliersAsync(new ListOutliersRequest { Area = Ain, Period = "2025-T3", Threshold = 10, Cells = { "entretiens" } });
        var filteredRun = await CliHarness.RunAsync(_server, "outliers", "-l", "departement", "-c", "01", "--period", "2025-T3", "--threshold", "10", "--cells", "entretiens", "--format", "json");
        Assert.Equal(filtered, Parser.Parse<ListOutliersResponse>(filteredRun.Output));
        Assert.Equal(10, filtered.Threshold);
    }

    [Fact]
    public async Task Compare_ranks_the_departments_of_a_region()
    {
        const string cell = "personnes_nouvelles[origine=gendarmerie_nationale]";
        var request = new CompareAreasRequest { Area = new Area { Level = AreaLevel.Region, Code = "84" }, Cell = cell, Period = "2025", Disclosure = Disclosure.Raw };
        var direct = await Aggregates.CompareAreasAsync(request);

        var json = await CliHarness.RunAsync(_server, "compare", "--level", "region", "--code", "84", "--cell", cell, "--period", "2025", "--raw", "--format", "json");
        Assert.True(json.ExitCode == ExitCodes.Success, json.ToString());
        Assert.Equal(direct, Parser.Parse<CompareAreasResponse>(json.Output));
        Assert.Equal(1, direct.Children.Single(c => c.Area.Code == "01").Rank);

        var text = await CliHarness.RunAsync(_server, "compare", "--level", "region", "--code", "84", "--cell", cell, "--period", "2025", "--raw");
        var rows = CliHarness.Rows(text).Skip(1).ToList();
        Assert.Equal(direct.Children.Count, rows.Count);
        Assert.Equal(["1", "Ain (01)"], rows[0][..2]);
        var first = direct.Children[0];
        Assert.Equal(CliHarness.Normalize(AnalysisLabels.FigureValue(first.Value, first.Status, first.Confidentiality)), rows[0][2]);
        Assert.StartsWith(CliHarness.Normalize(Labels.Number(first.Value)), rows[0][2]);
        Assert.Equal(direct.Children.Select(c => c.Rank > 0 ? c.Rank.ToString(CultureInfo.InvariantCulture) : "—"), rows.Select(r => r[0]));
        Assert.Equal(direct.Children.Select(c => CliHarness.Normalize(AnalysisLabels.FigureValue(c.HasValue ? c.Value : null, c.Status, c.Confidentiality))), rows.Select(r => r[2]));
    }

    [Fact]
    public async Task Refusals_of_the_server_exit_one_with_the_french_message()
    {
        var notFound = await CliHarness.RunAsync(_server, "query", "--level", "departement", "--code", "999", "--period", "2025");
        Assert.True(notFound.ExitCode == ExitCodes.Rejected, notFound.ToString());
        Assert.Contains("Chiffres non obtenus (département 999, 2025) : requête refusée par le serveur (introuvable) — La zone « 999 » n'existe pas", notFound.Error);

        var denied = await CliHarness.RunAsync(_server, "query", "--level", "poste", "--code", "P-01-001", "--period", "2025-03");
        Assert.True(denied.ExitCode == ExitCodes.Rejected, denied.ToString());
        Assert.Contains("(accès refusé) — Les chiffres par poste ne sont pas publiés", denied.Error);
        Assert.Contains("--raw", denied.Error);
        Assert.Empty(denied.Output);

        var invalid = await CliHarness.RunAsync(_server, "completeness", "--period", "2025-13");
        Assert.True(invalid.ExitCode == ExitCodes.Rejected, invalid.ToString());
        Assert.Contains("(requête invalide) — La période « 2025-13 » est invalide", invalid.Error);
        Assert.Contains("ERREUR PERIODE_INVALIDE period", invalid.Error);

        var unknownCell = await CliHarness.RunAsync(_server, "series", "--cell", "inconnu", "--from", "2025-01", "--to", "2025-03");
        Assert.True(unknownCell.ExitCode == ExitCodes.Rejected, unknownCell.ToString());
        Assert.Contains("CELLULE_INCONNUE", unknownCell.Error);

        // A raw post-level query is allowed.
        var raw = await CliHarness.RunAsync(_server, "query", "--level", "poste", "--code", "p-01-001", "--period", "2025-03", "--raw", "--cells", "entretiens");
        Assert.True(raw.ExitCode == ExitCodes.Success, raw.ToString());
        Assert.Contains("Poste P-01-001 — ISCG groupement de gendarmerie Ain — période 2025-03", raw.Output);
        Assert.DoesNotContain("Taux pour 100 000 hab.", raw.Output);
    }

    /// <summary>Checks that every figure has its row, with the value, rate and change in French; returns the rows by label.</summary>
    private static Dictionary<string, string[]> FigureRows(ConsolidateResponse response, CliRun text)
    {
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        var rows = CliHarness.Rows(text).ToDictionary(r => r[0]);
        Assert.Equal(["Libellé", "Valeur", "Taux pour 100 000 hab.", "Évolution sur un an"], rows["Libellé"]);
        Assert.Equal(response.Figures.Count + 1, rows.Count);
        foreach (var figure in response.Figures)
        {
            var row = rows[figure.Label];
            Assert.Equal(CliHarness.Normalize(AnalysisLabels.FigureValue(figure.HasValue ? figure.Value : null, figure.Status, figure.Confidentiality)), row[1]);
            Assert.Equal(figure.HasRatePer100K ? CliHarness.Normalize(AnalysisLabels.Decimal(figure.RatePer100K)) : "—", row[2]);
            Assert.Equal(CliHarness.Normalize(AnalysisLabels.Change(figure.HasChange ? figure.Change : null, figure.HasChangePercent ? figure.ChangePercent : null)), row[3]);
        }

        return rows;
    }

    /// <summary>The simulation the fixture ran, redone locally from the server's registry (same seed and shares).</summary>
    private async Task<SimulationResult> LocalSimulationAsync(int year)
    {
        var registry = new RegistryService.RegistryServiceClient(_server.CreateChannel());
        var posts = (await registry.ListPostsAsync(new ListPostsRequest())).Posts;
        var departments = (await registry.ListDepartmentsAsync(new ListDepartmentsRequest())).Departments;
        var schema = await new SchemaService.SchemaServiceClient(_server.CreateChannel()).GetSchemaAsync(new GetSchemaRequest { Period = year.ToString() });
        var simulator = new GridSimulator(posts, departments, new SimulationSchema(schema), new SimulationOptions
        {
            Year = year,
            Now = DateTimeOffset.UtcNow,
            Seed = SimulatedServer.Seed,
            Missing = SimulatedServer.Missing,
            Late = SimulatedServer.Late,
            Outliers = SimulatedServer.Outliers,
        });
        return simulator.Run(p => p.DepartmentCode is "01" or "09");
    }
}
