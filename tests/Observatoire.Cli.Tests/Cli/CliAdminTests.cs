using System.Text.Json;
using Observatoire.Cli;

namespace Observatoire.Server.Tests.Cli;

/// <summary>The administration verbs end to end: keys, posts, audit, and the key a command line carries.</summary>
public class CliAdminTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string KeyId(string key) => key.Split('_')[1];

    [Fact]
    public async Task A_post_key_created_as_json_submits_its_grid_then_stops_working_once_revoked()
    {
        var created = await CliHarness.RunAsync(server, "keys", "create", "--role", "poste", "--post", "P-01-001", "--expires", "2099-12-31", "--format", "json");
        Assert.True(created.ExitCode == ExitCodes.Success, created.ToString());
        string key;
        using (var json = JsonDocument.Parse(created.Output))
        {
            key = json.RootElement.GetProperty("key").GetString()!;
            Assert.Equal("ROLE_POSTE", json.RootElement.GetProperty("info").GetProperty("role").GetString());
        }

        var grid = CliHarness.Example("P-01-001-2025-03.json");
        var submitted = await CliHarness.RunAsync(_ => server.CreateChannel(apiKey: null), null, "submit", grid, "--api-key", key);
        Assert.True(submitted.ExitCode == ExitCodes.Success, submitted.ToString());

        var listed = await CliHarness.RunAsync(server, "keys", "list");
        Assert.Contains(KeyId(key), listed.Output);
        Assert.Contains("P-01-001", listed.Output);
        Assert.DoesNotContain(key, listed.Output);

        var revoked = await CliHarness.RunAsync(server, "keys", "revoke", KeyId(key));
        Assert.True(revoked.ExitCode == ExitCodes.Success, revoked.ToString());
        Assert.Contains($"Clé {KeyId(key)} révoquée", revoked.Output);

        var refused = await CliHarness.RunWithKeyAsync(server, key, "validate", grid);
        Assert.Equal(ExitCodes.Rejected, refused.ExitCode);
        Assert.Contains("authentification requise", refused.All);

        var audit = await CliHarness.RunAsync(server, "audit", "--post", "P-01-001", "--action", "grille.depot");
        Assert.True(audit.ExitCode == ExitCodes.Success, audit.ToString());
        Assert.Contains(KeyId(key), audit.Output);
        Assert.Contains("P-01-001 2025-03", audit.Output);
    }

    [Fact]
    public async Task An_analyst_key_is_printed_once_in_text_and_taken_from_the_environment()
    {
        var created = await CliHarness.RunAsync(server, "keys", "create", "--role", "analyste", "--scope", "departement:48", "--name", "Comité de Lozère");
        Assert.True(created.ExitCode == ExitCodes.Success, created.ToString());
        Assert.Contains("périmètre departement:48", created.Output);
        var key = created.Lines.Single(l => l.StartsWith("obs_", StringComparison.Ordinal));

        var lozere = await CliHarness.RunWithKeyAsync(server, key, "query", "--level", "departement", "--code", "48", "--period", "2025");
        Assert.True(lozere.ExitCode == ExitCodes.Success, lozere.ToString());
        var paris = await CliHarness.RunWithKeyAsync(server, key, "query", "--level", "departement", "--code", "75", "--period", "2025");
        Assert.Equal(ExitCodes.Rejected, paris.ExitCode);
        Assert.Contains("accès refusé", paris.All);
        var admin = await CliHarness.RunWithKeyAsync(server, key, "keys", "list");
        Assert.Equal(ExitCodes.Rejected, admin.ExitCode);
        Assert.Contains("Droit manquant : administration", admin.All);
    }

    [Fact]
    public async Task Without_a_key_a_command_is_refused_and_says_where_the_key_goes()
    {
        var run = await CliHarness.RunWithKeyAsync(server, null, "schema");
        Assert.Equal(ExitCodes.Rejected, run.ExitCode);
        Assert.Contains("OBSERVATOIRE_API_KEY", run.All);
    }

    [Fact]
    public async Task Posts_are_added_listed_moved_and_closed_from_the_command_line()
    {
        var added = await CliHarness.RunAsync(server, "posts", "add", "--id", "P-09-900", "--name", "Brigade d'essai", "--department", "09", "--frequency", "trimestre", "--zone", "gendarmerie", "--from", "2024-01-01");
        Assert.True(added.ExitCode == ExitCodes.Success, added.ToString());
        Assert.Contains("Poste P-09-900", added.Output);

        var listed = await CliHarness.RunAsync(server, "posts", "list", "--department", "09");
        Assert.Contains(CliHarness.Rows(listed), r => r[0] == "P-09-900" && r[5] == "trimestre");

        var updated = await CliHarness.RunAsync(server, "posts", "update", "P-09-900", "--name", "Brigade de Foix", "--fte", "0.5");
        Assert.True(updated.ExitCode == ExitCodes.Success, updated.ToString());
        Assert.Contains(CliHarness.Rows(await CliHarness.RunAsync(server, "posts", "list", "--department", "09")), r => r[0] == "P-09-900" && r[1] == "Brigade de Foix" && r[3] == "gendarmerie" && r[4] == "0,5");

        var moved = await CliHarness.RunAsync(server, "posts", "move", "P-09-900", "--department", "31", "--from", "2025-01-01", "--reason", "regroupement");
        Assert.True(moved.ExitCode == ExitCodes.Success, moved.ToString());
        Assert.Contains("département 31", moved.Output);

        var closed = await CliHarness.RunAsync(server, "posts", "deactivate", "P-09-900", "--to", "2025-12-31");
        Assert.True(closed.ExitCode == ExitCodes.Success, closed.ToString());
        Assert.Contains("au 2025-12-31", closed.Output);

        var again = await CliHarness.RunAsync(server, "posts", "add", "--id", "P-09-900", "--name", "Doublon", "--department", "09", "--frequency", "mois", "--from", "2024-01-01");
        Assert.Equal(ExitCodes.Rejected, again.ExitCode);
        Assert.Contains("existe déjà", again.Error);

        var audit = await CliHarness.RunAsync(server, "audit", "--post", "P-09-900", "--format", "json");
        using var json = JsonDocument.Parse(audit.Output);
        Assert.Equal(
            ["registre.desactivation", "registre.deplacement", "registre.modification", "registre.ajout"],
            json.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task A_period_is_closed_reopened_and_shown_from_the_command_line()
    {
        var closed = await CliHarness.RunAsync(server, "campagne", "close", "--period", "2024-T4", "--reason", "bilan annuel");
        Assert.True(closed.ExitCode == ExitCodes.Success, closed.ToString());
        Assert.Contains("Période 2024-T4 close pour tous les postes", closed.Output);

        var reopened = await CliHarness.RunAsync(server, "campagne", "reopen", "--period", "2024-T4", "--department", "48", "--reason", "retard signalé");
        Assert.True(reopened.ExitCode == ExitCodes.Success, reopened.ToString());

        var status = await CliHarness.RunAsync(server, "campagne", "status", "--period", "2024-T4");
        Assert.Contains("échéance le 2025-01-15", status.Output);
        Assert.Contains(CliHarness.Rows(status), r => r[1] == "réouverture" && r[2] == "département 48" && r[3] == "retard signalé");

        var noReason = await CliHarness.RunAsync(server, "campagne", "close", "--period", "2024-T4");
        Assert.Equal(ExitCodes.Usage, noReason.ExitCode);
    }
}
