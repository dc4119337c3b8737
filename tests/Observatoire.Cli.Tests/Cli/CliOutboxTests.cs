using System.Diagnostics;
using Grpc.Net.Client;
using Observatoire.Cli;
using Observatoire.Cli.Outbox;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Cli;

/// <summary>submit without a server keeps grids in the outbox; sync and later submits send them, exactly once.</summary>
public class CliOutboxTests(CliServer fixture) : IClassFixture<CliServer>
{
    private readonly ServerFixture server = fixture.Server;

    [Fact]
    public async Task Server_down_then_submit_then_server_up_then_sync_stores_the_grid_exactly_once()
    {
        using var folder = CliHarness.TempFolder();
        var grid = TestGrids.Valid(TestGrids.MonthlyPost(10).Id, "2025-02");
        var file = WriteGrid(folder, grid);
        var before = await server.CountRowsAsync();

        var offline = await RunDownAsync(folder, "submit", file);

        Assert.True(offline.ExitCode == ExitCodes.Unreachable, offline.ToString());
        Assert.Contains($"{grid.PostId} · 2025-02 : gardée dans la boîte d'envoi", offline.Output);
        Assert.Contains("1 gardée dans la boîte d'envoi", offline.Output);
        Assert.Contains($"1 grille gardée dans la boîte d'envoi ({Path.Combine(folder.Path, "data", "outbox")})", offline.Error.Replace("\n", "", StringComparison.Ordinal));
        Assert.Equal(before, await server.CountRowsAsync());
        var queued = Assert.Single(Pending(folder));
        var listed = await RunUpAsync(folder, "outbox");
        Assert.Contains(grid.PostId, listed.Output);
        Assert.Contains("En attente d'envoi (1)", listed.Output);

        var sync = await RunUpAsync(folder, "sync");

        Assert.True(sync.ExitCode == ExitCodes.Success, sync.ToString());
        Assert.Contains($"{grid.PostId} · 2025-02 : acceptée (depuis la boîte d'envoi), révision 1", sync.Output);
        Assert.Empty(Pending(folder));
        Assert.Equal((before.Revisions + 1, before.Submissions + 1), await server.CountRowsAsync());
        var revision = Assert.Single((await Grids.ListRevisionsAsync(new ListRevisionsRequest { PostId = grid.PostId, Period = "2025-02" })).Revisions);
        Assert.Equal(queued.SubmissionId, revision.SubmissionId);

        var again = await RunUpAsync(folder, "sync");
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        Assert.Contains("Boîte d'envoi vide : rien à envoyer.", again.Output);
        Assert.Equal((before.Revisions + 1, before.Submissions + 1), await server.CountRowsAsync());
    }

    [Fact]
    public async Task A_later_submit_sends_the_outbox_first()
    {
        using var folder = CliHarness.TempFolder();
        var waiting = TestGrids.Valid(TestGrids.MonthlyPost(11).Id, "2025-02");
        var fresh = TestGrids.Valid(TestGrids.MonthlyPost(11).Id, "2025-03");
        Assert.Equal(ExitCodes.Unreachable, (await RunDownAsync(folder, "submit", WriteGrid(folder, waiting))).ExitCode);

        var run = await RunUpAsync(folder, "submit", WriteGrid(folder, fresh));

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var first = run.Output.IndexOf($"{waiting.PostId} · 2025-02 : acceptée (depuis la boîte d'envoi), révision 1", StringComparison.Ordinal);
        var second = run.Output.IndexOf($"{fresh.PostId} · 2025-03 : acceptée, révision 1", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, run.ToString());
        Assert.Contains("Bilan : 2 acceptées", run.Output);
        Assert.Empty(Pending(folder));
    }

    [Fact]
    public async Task A_grid_refused_for_a_reason_retrying_cannot_fix_is_moved_aside_with_the_reason()
    {
        using var folder = CliHarness.TempFolder();
        var grid = TestGrids.Valid(TestGrids.MonthlyPost(12).Id, "2025-02");
        grid.Values["personnes_recues[statut=victime]"] -= 2;
        Assert.Equal(ExitCodes.Unreachable, (await RunDownAsync(folder, "submit", WriteGrid(folder, grid))).ExitCode);
        var before = await server.CountRowsAsync();

        var sync = await RunUpAsync(folder, "sync");

        Assert.True(sync.ExitCode == ExitCodes.Rejected, sync.ToString());
        Assert.Contains("ERREUR B_STATUT_SOMME personnes_recues[statut=*]", sync.Output);
        Assert.Contains("Mise de côté (un nouvel envoi n'y changerait rien)", sync.Output);
        Assert.Empty(Pending(folder));
        var aside = Assert.Single(new GridOutbox(Path.Combine(folder.Path, "data", "outbox")).Refused().Entries);
        Assert.Equal(grid, aside.Grid);
        Assert.Contains("B_STATUT_SOMME", aside.RefusedReason);
        Assert.Equal(before, await server.CountRowsAsync());

        var listed = await RunUpAsync(folder, "outbox");
        Assert.Contains("Aucune grille en attente.", listed.Output);
        Assert.Contains("Mises de côté (1)", listed.Output);
        Assert.Contains("B_STATUT_SOMME", listed.Output);

        // Nothing left to send: a later sync does not touch what was moved aside.
        Assert.Contains("Boîte d'envoi vide", (await RunUpAsync(folder, "sync")).Output);
        Assert.Single(new GridOutbox(Path.Combine(folder.Path, "data", "outbox")).Refused().Entries);
    }

    [Fact]
    public async Task Leftover_temporary_files_are_ignored_and_an_unreadable_entry_is_moved_aside_not_deleted()
    {
        using var folder = CliHarness.TempFolder();
        var outbox = Path.Combine(folder.Path, "data", "outbox");
        Directory.CreateDirectory(outbox);
        File.WriteAllText(Path.Combine(outbox, ".0190-abc.json.1234.tmp"), "{ \"submission_id\": ");
        File.WriteAllText(Path.Combine(outbox, "abimee.json"), "{ pas du json");

        var sync = await RunUpAsync(folder, "sync");

        Assert.True(sync.ExitCode == ExitCodes.Rejected, sync.ToString());
        Assert.Contains("fichier illisible, mis de côté tel quel", sync.Output);
        Assert.Equal("{ pas du json", File.ReadAllText(Path.Combine(outbox, GridOutbox.RefusedFolderName, "abimee.illisible.json")));
        Assert.True(File.Exists(Path.Combine(outbox, ".0190-abc.json.1234.tmp")));
    }

    [Fact]
    public void The_outbox_lives_in_the_user_data_folder_never_the_current_folder()
    {
        string? Environment(string name, Dictionary<string, string> values) => values.GetValueOrDefault(name);

        if (OperatingSystem.IsWindows())
        {
            Assert.Equal(@"C:\Users\a\AppData\Local\Observatoire", GridOutbox.DataFolder(n => Environment(n, new() { ["LOCALAPPDATA"] = @"C:\Users\a\AppData\Local" })));
            return;
        }

        Assert.Equal("/srv/donnees", GridOutbox.DataFolder(n => Environment(n, new() { ["OBSERVATOIRE_DATA_DIR"] = "/srv/donnees", ["XDG_DATA_HOME"] = "/x" })));
        Assert.Equal("/x/observatoire", GridOutbox.DataFolder(n => Environment(n, new() { ["XDG_DATA_HOME"] = "/x", ["HOME"] = "/home/a" })));
        Assert.Equal("/home/a/.local/share/observatoire", GridOutbox.DataFolder(n => Environment(n, new() { ["HOME"] = "/home/a" })));

        // Relative paths would mean the current folder: ignored.
        Assert.Equal("/home/a/.local/share/observatoire", GridOutbox.DataFolder(n => Environment(n, new() { ["OBSERVATOIRE_DATA_DIR"] = "donnees", ["XDG_DATA_HOME"] = ".", ["HOME"] = "/home/a" })));
        Assert.Null(GridOutbox.DataFolder(n => Environment(n, new() { ["HOME"] = "relatif" })));
    }

    private GridService.GridServiceClient Grids => new(server.CreateChannel());

    private static IReadOnlyList<OutboxEntry> Pending(TempFolder folder) =>
        new GridOutbox(Path.Combine(folder.Path, "data", "outbox")).Pending().Entries;

    /// <summary>Writes a grid as a JSON grid file of the CLI; returns its path.</summary>
    internal static string WriteGrid(TempFolder folder, Grid grid)
    {
        var path = folder.File($"{grid.PostId}-{grid.Period}.json");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new
        {
            post_id = grid.PostId,
            period = grid.Period,
            schema_version = grid.SchemaVersion,
            values = grid.Values.ToDictionary(v => v.Key, v => v.Value),
        }));
        return path;
    }

    private static CliSettings Settings(TempFolder folder) => new()
    {
        RetryDelays = [],
        GetEnvironmentVariable = name => name == GridOutbox.DataFolderEnvironmentVariable
            ? Path.Combine(folder.Path, "data")
            : Environment.GetEnvironmentVariable(name),
    };

    private static Task<CliRun> RunDownAsync(TempFolder folder, params string[] args) =>
        CliHarness.RunAsync(_ => GrpcChannel.ForAddress("http://127.0.0.1:9"), Settings(folder), args);

    private Task<CliRun> RunUpAsync(TempFolder folder, params string[] args) =>
        CliHarness.RunAsync(_ => server.CreateChannel(), Settings(folder), args);
}
