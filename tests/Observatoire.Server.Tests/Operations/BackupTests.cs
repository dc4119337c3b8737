using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Core.Schemas;
using Observatoire.Data;
using Observatoire.Protos.V1;
using Observatoire.Server.Backups;

namespace Observatoire.Server.Tests.Operations;

/// <summary>Backups that are proved: taken under load, verified against their manifest, restored by a server start.</summary>
public sealed class BackupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("observatoire-backup-tests-").FullName;

    private static readonly SchemaCatalog Catalog = SchemaCatalog.LoadEmbedded();

    [Fact]
    public async Task A_backup_under_sustained_ingest_holds_every_grid_acknowledged_before_it_and_restores_verified()
    {
        using var server = new ServerFixture();
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var acknowledged = new ConcurrentQueue<(string Post, string Period)>();
        var enough = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var periods = Enumerable.Range(0, 24).Select(m => $"{2024 + (m / 12)}-{(m % 12) + 1:00}").ToList();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            foreach (var post in Enumerable.Range(0, 5).Select(k => TestGrids.MonthlyPost((w * 5) + k).Id))
            {
                foreach (var period in periods)
                {
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, period)));
                    acknowledged.Enqueue((post, period));
                    if (acknowledged.Count >= 15)
                    {
                        enough.TrySetResult();
                    }
                }
            }
        })).ToList();

        await enough.Task;
        var before = acknowledged.ToArray();
        var file = Path.Combine(_folder, "sauvegarde.db");
        var manifest = await ReceiveBackupAsync(server, file);
        var duringOrAfter = acknowledged.Count;
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.Empty(await BackupVerifier.VerifyAsync(file, manifest, Catalog, CancellationToken.None));
        Assert.Equal(ServerVersionOf(server), manifest.ServerVersion);
        Assert.StartsWith("2026", manifest.SchemaVersion, StringComparison.Ordinal);
        Assert.True(manifest.Counts["GridRevisions"] >= before.Length, $"{manifest.Counts["GridRevisions"]} < {before.Length}");
        Assert.True(duringOrAfter >= before.Length);

        // Restore: a server started on a copy of the snapshot has every grid acknowledged before the backup was asked for.
        var restoredPath = Path.Combine(_folder, "restauree", "observatoire.db");
        Directory.CreateDirectory(Path.GetDirectoryName(restoredPath)!);
        File.Copy(file, restoredPath);
        using var restored = new ServerFixture(restoredPath);
        var stored = (await restored.QueryAsync(db => db.GridRevisions.AsNoTracking().Latest().Select(g => new { g.PostId, g.Period }).ToListAsync()))
            .Select(g => (g.PostId, g.Period))
            .ToHashSet();
        Assert.All(before, grid => Assert.Contains(grid, stored));
        var national = await new AggregateService.AggregateServiceClient(restored.CreateChannel()).ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = AreaLevel.National }, Period = "2024-01", Cells = { "personnes_recues" } });
        Assert.NotEmpty(national.Figures);

        // The snapshot as restored still matches what the server declared when it made it.
        SqliteConnection.ClearAllPools();
        Assert.Empty(await BackupVerifier.VerifyAsync(file, manifest, Catalog, CancellationToken.None));
    }

    [Fact]
    public async Task A_snapshot_altered_after_the_backup_fails_verification_and_the_server_command_says_why()
    {
        using var server = new ServerFixture();
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost().Id, "2025-01")));
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(1).Id, "2025-01")));
        var file = Path.Combine(_folder, "a-verifier.db");
        var manifest = await ReceiveBackupAsync(server, file);
        Assert.Equal(2, manifest.NationalFigures.Single(f => f.Period == "2025-01").Grids);
        Assert.Equal(80, manifest.NationalFigures.Single(f => f.Period == "2025-01").Totals["personnes_recues"]);

        using var clean = new StringWriter();
        Assert.Equal(0, await BackupCommandLine.RunAsync([BackupCommandLine.Verb, file], clean));
        Assert.Contains("conforme", clean.ToString(), StringComparison.Ordinal);

        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM Submissions WHERE rowid = (SELECT MIN(rowid) FROM Submissions); UPDATE GridRevisions SET Period = '2025-02' WHERE rowid = (SELECT MIN(rowid) FROM GridRevisions);";
            await command.ExecuteNonQueryAsync();
        }

        var problems = await BackupVerifier.VerifyAsync(file, manifest, Catalog, CancellationToken.None);
        Assert.Contains(problems, p => p.StartsWith("Somme de contrôle", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Table Submissions", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Période 2025-01 (grille 2025.1) : 1 grilles courantes, manifeste : 2", StringComparison.Ordinal));
        using var altered = new StringWriter();
        Assert.Equal(1, await BackupCommandLine.RunAsync([BackupCommandLine.Verb, file], altered));
        Assert.Contains("NON CONFORME", altered.ToString(), StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, "pas une base");
        Assert.NotEmpty(await BackupVerifier.VerifyAsync(file, manifest, Catalog, CancellationToken.None));
    }

    [Fact]
    public async Task A_backup_needs_an_admin_key_and_is_audited()
    {
        using var server = new ServerFixture();
        var postKey = await server.PostKeyAsync(TestGrids.MonthlyPost().Id);
        using var refused = new AdminService.AdminServiceClient(server.CreateChannel(postKey)).BackupDatabase(new BackupDatabaseRequest());
        var error = await Assert.ThrowsAsync<RpcException>(() => refused.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);

        await ReceiveBackupAsync(server, Path.Combine(_folder, "auditee.db"));
        var audit = await new AdminService.AdminServiceClient(server.CreateChannel()).ListAuditAsync(new ListAuditRequest { Action = "base.sauvegarde" });
        Assert.Single(audit.Entries);
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(server.DatabasePath)!, ".sauvegarde-*"));
    }

    [Fact]
    public async Task The_schedule_writes_todays_verified_snapshot_and_keeps_n_daily_and_m_monthly()
    {
        var folder = Path.Combine(_folder, "planifiees");
        Directory.CreateDirectory(folder);
        foreach (var day in new[] { "2020-01-01", "2020-01-15", "2020-02-03", "2020-02-20", "2020-03-10" })
        {
            await File.WriteAllTextAsync(Path.Combine(folder, $"observatoire-{day}.db"), "ancienne");
            await File.WriteAllTextAsync(Path.Combine(folder, $"observatoire-{day}.db.manifest.json"), "{}");
        }

        using var server = new ServerFixture();
        server.Settings["Backups:Folder"] = folder;
        server.Settings["Backups:Daily"] = "2";
        server.Settings["Backups:Monthly"] = "3";
        _ = server.Server;

        var today = await server.Services.GetRequiredService<ScheduledBackups>().RunOnceAsync(CancellationToken.None);

        Assert.NotNull(today);
        var manifest = BackupManifest.FromJson(await File.ReadAllTextAsync(today + ".manifest.json"))!;
        Assert.Empty(await BackupVerifier.VerifyAsync(today, manifest, Catalog, CancellationToken.None));
        var kept = Directory.EnumerateFiles(folder, "*.db").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["observatoire-2020-02-03.db", "observatoire-2020-03-10.db", Path.GetFileName(today)], kept);
        Assert.False(File.Exists(Path.Combine(folder, "observatoire-2020-01-01.db.manifest.json")));
    }

    [Fact]
    public void Retention_keeps_the_newest_days_and_the_first_snapshot_of_the_newest_months()
    {
        var days = Enumerable.Range(0, 90).Select(i => new DateOnly(2026, 1, 1).AddDays(i)).ToList();

        var keep = BackupRetention.Keep(days, daily: 7, monthly: 3);

        var expected = days.TakeLast(7).Concat([new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1)]).ToHashSet();
        Assert.Equal(expected.Order(), keep.Order());
        Assert.Empty(BackupRetention.Keep(days, 0, 0));
    }

    private static string ServerVersionOf(ServerFixture server) =>
        new ServerInfoService.ServerInfoServiceClient(server.CreateChannel()).GetServerInfo(new GetServerInfoRequest()).Version;

    /// <summary>Calls BackupDatabase, writes the bytes to <paramref name="file"/> and the manifest beside it, returns the manifest.</summary>
    [Fact]
    public async Task A_backup_holding_grids_of_the_grid_folder_is_verified_with_that_folder_and_refused_without_it()
    {
        var grilles = Directory.CreateDirectory(Path.Combine(_folder, "grilles")).FullName;
        SchemaFolderTests.WriteNextGrid(grilles);
        using var server = new ServerFixture();
        server.Settings["Schemas:Directory"] = grilles;
        await new GridService.GridServiceClient(server.CreateChannel()).SubmitGridAsync(TestGrids.Submission(SchemaFolderTests.FiledOnNextGrid(TestGrids.MonthlyPost().Id, "2026-03")));
        var file = Path.Combine(_folder, "avec-grilles.db");
        await ReceiveBackupAsync(server, file);

        using var with = new StringWriter();
        Assert.Equal(0, await BackupCommandLine.RunAsync([BackupCommandLine.Verb, file], with, configuration: Settings(grilles)));
        Assert.Contains("conforme", with.ToString(), StringComparison.Ordinal);

        using var without = new StringWriter();
        Assert.Equal(1, await BackupCommandLine.RunAsync([BackupCommandLine.Verb, file], without, configuration: Settings(null)));
        Assert.Contains("version de grille inconnue (2026.1)", without.ToString(), StringComparison.Ordinal);
        Assert.Contains("Schemas:Directory", without.ToString(), StringComparison.Ordinal);

        static IConfiguration Settings(string? folder) =>
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Schemas:Directory"] = folder }).Build();
    }

    private static async Task<BackupManifest> ReceiveBackupAsync(ServerFixture server, string file)
    {
        using var call = new AdminService.AdminServiceClient(server.CreateChannel()).BackupDatabase(new BackupDatabaseRequest());
        BackupManifest? manifest = null;
        await using (var output = File.Create(file))
        {
            await foreach (var chunk in call.ResponseStream.ReadAllAsync())
            {
                if (chunk.ContentCase == BackupChunk.ContentOneofCase.ManifestJson)
                {
                    manifest = BackupManifest.FromJson(chunk.ManifestJson);
                }
                else
                {
                    await output.WriteAsync(chunk.Data.Memory);
                }
            }
        }

        if (manifest is null)
        {
            throw new InvalidOperationException("no manifest");
        }

        await File.WriteAllTextAsync(file + ".manifest.json", manifest.ToJson());
        return manifest;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
