using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Observatoire.Cli;
using Observatoire.Cli.Commands;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Cli;

/// <summary>validate, submit, history and schema driven in process against the real server, with the example files.</summary>
public class CliGridCommandTests(CliServer fixture) : IClassFixture<CliServer>
{
    private readonly ServerFixture server = fixture.Server;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    [Fact]
    public async Task Validate_accepts_the_valid_json_and_csv_examples()
    {
        var before = await server.CountRowsAsync();
        var run = await CliHarness.RunAsync(
            server, "validate", CliHarness.Example("P-01-001-2025-03.json"), CliHarness.Example("trimestre-2025-T1.csv"));

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("P-01-001 · 2025-03 : valide", run.Output);
        Assert.Contains("P-75-002 · 2025-T1 : valide", run.Output);
        Assert.Contains("Bilan : 2 valides, 0 invalide, 0 avertissement.", run.Output);
        Assert.DoesNotContain("ERREUR", run.Output);

        // validate stores nothing.
        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Fact]
    public async Task Validate_rejects_the_invalid_example_with_french_messages_and_rule_codes()
    {
        var run = await CliHarness.RunAsync(server, "validate", CliHarness.Example("invalide.json"));

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        Assert.Contains("P-01-001 · 2025-04 : invalide", run.Output);
        Assert.Contains("ERREUR B_STATUT_SOMME", run.Output);
        Assert.Contains("La somme des personnes reçues par statut (18) doit être égale au nombre de personnes reçues (20).", run.Output);
        Assert.Contains("ERREUR OPTION_INCONNUE problematiques[problematique=violences_routieres]", run.Output);
        Assert.Contains("ERREUR ANONYMAT_EMAIL comment", run.Output);
        Assert.Contains("dans le commentaire : caractères 56 à 78", run.Output);
        Assert.DoesNotContain("marie.dupont@example.fr", run.Output);
        Assert.Contains("Bilan : 0 valide, 1 invalide", run.Output);
    }

    [Fact]
    public async Task Submit_of_the_invalid_example_is_refused_and_locates_the_personal_data_without_repeating_it()
    {
        var run = await CliHarness.RunAsync(server, "submit", CliHarness.Example("invalide.json"));

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        Assert.Contains("ERREUR ANONYMAT_EMAIL comment", run.Output);
        Assert.Contains("dans le commentaire : caractères 56 à 78", run.Output);
        Assert.DoesNotContain("marie.dupont@example.fr", run.Output);
    }

    [Fact]
    public async Task Submit_then_history_shows_revision_one_and_a_corrected_file_makes_revision_two()
    {
        using var folder = CliHarness.TempFolder();
        var first = await CliHarness.RunAsync(server, "submit", "--client-id", "saisie-ain", CliHarness.Example("P-01-001-2025-03.json"));
        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        Assert.Contains("P-01-001 · 2025-03 : acceptée, révision 1", first.Output);

        var history = await CliHarness.RunAsync(server, "history", "--post", "P-01-001", "--period", "2025-03");
        Assert.True(history.ExitCode == ExitCodes.Success, history.ToString());
        Assert.Contains("Révisions de la grille P-01-001 · 2025-03 (1 révision)", history.Output);
        var row = Assert.Single(CliHarness.Rows(history), r => r[0] == "1");
        Assert.Contains("saisie-ain", row);
        Assert.Contains("actuelle", row);

        // The same file again is the same grid: no new revision.
        var again = await CliHarness.RunAsync(server, "submit", CliHarness.Example("P-01-001-2025-03.json"));
        Assert.Contains("révision 1 (déjà reçue)", again.Output);

        // A corrected grid: one more accompaniment.
        var corrected = File.ReadAllText(CliHarness.Example("P-01-001-2025-03.json"))
            .Replace("\"accompagnements_physiques\": 5", "\"accompagnements_physiques\": 6", StringComparison.Ordinal);
        Assert.Contains("\"accompagnements_physiques\": 6", corrected);
        var correctedPath = folder.File("P-01-001-2025-03-corrigee.json");
        File.WriteAllText(correctedPath, corrected);
        var second = await CliHarness.RunAsync(server, "submit", correctedPath);
        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        Assert.Contains("P-01-001 · 2025-03 : acceptée, révision 2", second.Output);

        var json = await CliHarness.RunAsync(server, "history", "--post", "P-01-001", "--period", "2025-03", "--format", "json");
        var revisions = Parser.Parse<ListRevisionsResponse>(json.Output).Revisions;
        Assert.Equal([1, 2], revisions.Select(r => r.Revision));
        Assert.Equal(["saisie-ain", SubmitCommand.DefaultClientId], revisions.Select(r => r.ClientId));
        Assert.NotEqual(revisions[0].ContentHash, revisions[1].ContentHash);

        var text = await CliHarness.RunAsync(server, "history", "--post", "P-01-001", "--period", "2025-03");
        Assert.Contains("(2 révisions)", text.Output);
        Assert.Contains("actuelle", Assert.Single(CliHarness.Rows(text), r => r[0] == "2"));
        Assert.DoesNotContain("actuelle", Assert.Single(CliHarness.Rows(text), r => r[0] == "1"));
    }

    [Fact]
    public async Task Submit_reads_a_csv_grid_with_its_quoted_comment()
    {
        var run = await CliHarness.RunAsync(server, "submit", CliHarness.Example("trimestre-2025-T1.csv"));

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("P-75-002 · 2025-T1 : acceptée, révision 1", run.Output);
        var stored = await new GridService.GridServiceClient(server.CreateChannel())
            .GetGridAsync(new GetGridRequest { PostId = "P-75-002", Period = "2025-T1" });
        Assert.Equal(186, stored.Grid.Values["personnes_recues"]);
        Assert.Equal(6, stored.Grid.Values["personnes_recues[sexe=femme,tranche_age=moins_13]"]);
        Assert.Equal("Trimestre stable ; renfort d'une permanence le samedi, \"accueil sans rendez-vous\" testé en mars.", stored.Grid.Comment);
    }

    [Fact]
    public async Task A_malformed_value_exits_one_naming_the_file_the_line_and_the_cell_and_sends_nothing()
    {
        using var folder = CliHarness.TempFolder();
        var csv = folder.File("grilles.csv");
        File.WriteAllText(csv, string.Join('\n',
            "post_id;period;schema_version;cell;value",
            "P-01-002;2025-05;2025.1;personnes_recues;4",
            "P-01-002;2025-05;2025.1;personnes_recues[statut=victime];4,5",
            ""));
        var json = folder.File("grille.json");
        File.WriteAllText(json, """
            {
              "post_id": "P-01-002",
              "period": "2025-06",
              "schema_version": "2025.1",
              "values": {
                "personnes_recues": "12"
              }
            }
            """);
        var before = await server.CountRowsAsync();

        var run = await CliHarness.RunAsync(server, "submit", csv, json);

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        Assert.Contains(
            $"Fichier {csv}, ligne 3, champ « personnes_recues[statut=victime] » : grille P-01-002 · 2025-05 : la valeur doit être un nombre entier (trouvé : « 4,5 »).",
            run.Output);
        Assert.Contains($"Fichier {json}, ligne 6, champ « personnes_recues »", run.Output);
        Assert.Contains("2 rejets pour erreur de lecture", run.Output);
        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Fact]
    public async Task Schema_shows_the_grid_as_text_and_as_protobuf_json()
    {
        var text = await CliHarness.RunAsync(server, "schema");
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.Contains("Schéma 2025.1", text.Output);
        Assert.Contains("Section B — Public reçu", text.Output);
        Assert.Contains("personnes_recues[sexe=…,tranche_age=…]", text.Output);
        Assert.Contains("B_STATUT_SOMME", text.Output);

        var json = await CliHarness.RunAsync(server, "schema", "--version", "2025.1", "--format", "json");
        Assert.True(json.ExitCode == ExitCodes.Success, json.ToString());
        using (var document = JsonDocument.Parse(json.Output))
        {
            // Proto field names, as in the contract.
            Assert.Equal("2025.1", document.RootElement.GetProperty("version").GetString());
            Assert.True(document.RootElement.TryGetProperty("max_comment_length", out _));
        }

        var schema = Parser.Parse<Schema>(json.Output);
        Assert.Equal(["A", "B", "C", "D", "E", "F", "G", "H", "I"], schema.Sections.Select(s => s.Code));
        Assert.Contains(schema.Rules, r => r.Code == "E_MODALITES_SOMME" && r.Severity == Severity.Error);

        var unknown = await CliHarness.RunAsync(server, "schema", "--version", "1999.1");
        Assert.Equal(ExitCodes.Rejected, unknown.ExitCode);
        Assert.Contains("Schéma non obtenu (version 1999.1) : introuvable", unknown.Error);

        // The versions the server knows, with their dates.
        var list = await CliHarness.RunAsync(server, "schema", "--list");
        Assert.True(list.ExitCode == ExitCodes.Success, list.ToString());
        Assert.Matches(@"2025\.1\s*│\s*01/01/2018\s*│\s*\(sans date de fin\)", list.Output);
        var listed = Parser.Parse<ListSchemasResponse>((await CliHarness.RunAsync(server, "schema", "--list", "--format", "json")).Output);
        Assert.Equal(["2025.1"], listed.Schemas.Select(s => s.Version));
    }

    [Fact]
    public async Task Simulate_reports_every_rejection_of_a_server_that_refuses_reception_dates()
    {
        using var strict = server.WithWebHostBuilder(b => b.UseSetting("Observatoire:AllowHistoricalImport", "false"));
        var run = await CliHarness.RunAsync(
            _ => ServerFixture.ChannelTo(strict),
            null,
            "simulate", "--year", "2025", "--post", "P-13-003", "--missing", "0");

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        Assert.Contains("P-13-003 · 2025-01 : rejetée (requête invalide — Ce serveur n'accepte pas de date de réception fournie par le client.)", run.Output);
        Assert.Contains("Bilan : 13 envoyées, 0 acceptée (dont 0 déjà reçue), 13 rejetées", run.Output); // twelve months and the yearly bilan
        Assert.Equal(0, await server.QueryAsync(db => Task.FromResult(db.GridRevisions.Count(r => r.PostId == "P-13-003"))));
    }

    [Theory]
    [InlineData("inconnue")]
    [InlineData("validate")]
    [InlineData("submit", "--server", "pas-une-adresse", "fichier.json")]
    [InlineData("history", "--post", "P-01-001")]
    [InlineData("schema", "--version", "2025.1", "--period", "2025")]
    [InlineData("schema", "--list", "--period", "2025")]
    [InlineData("query", "--period", "2025", "--level", "pays")]
    [InlineData("query", "--period", "2025", "--separator", ",")]
    [InlineData("query", "--period", "2025", "--code", "09")]
    [InlineData("query", "--period", "2025", "--level", "departement")]
    [InlineData("query", "--period", "2025", "--format", "xml")]
    [InlineData("series", "--cell", "entretiens", "--from", "2025-01", "--to", "2025-06", "--granularity", "semaine")]
    [InlineData("outliers", "--threshold", "-1")]
    [InlineData("compare", "--cell", "entretiens", "--period", "2025", "--level", "poste", "--code", "P-01-001")]
    [InlineData("simulate", "--year", "2025", "-o", "dossier")]
    [InlineData("simulate", "--year", "2025", "--missing", "1.5")]
    [InlineData("simulate", "--year", "1990")]
    public Task Usage_errors_exit_two_without_calling_the_server(params string[] args) =>
        CliHarness.AssertUsageErrorWithoutServerAsync(args);

    [Fact]
    public async Task An_unreachable_server_exits_three()
    {
        var run = await CliHarness.RunAsync(
            _ => GrpcChannel.ForAddress("http://127.0.0.1:9"), null, "query", "--period", "2025", "--server", "http://127.0.0.1:9");

        Assert.True(run.ExitCode == ExitCodes.Unreachable, run.ToString());
        Assert.Contains("Serveur injoignable à l'adresse http://127.0.0.1:9", run.Error);
    }
}
