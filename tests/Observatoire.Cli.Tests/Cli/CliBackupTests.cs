using Observatoire.Cli;
using Observatoire.Core.Schemas;
using Observatoire.Server.Backups;

namespace Observatoire.Server.Tests.Cli;

/// <summary>observatoire admin backup: the snapshot and its manifest written, checked on receipt, verifiable by the server.</summary>
public sealed class CliBackupTests(ServerFixture server) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("observatoire-cli-backup-").FullName;

    [Fact]
    public async Task Admin_backup_writes_a_snapshot_and_manifest_that_verify()
    {
        var submitted = await CliHarness.RunAsync(server, "submit", CliHarness.Example("P-01-001-2025-03.json"));
        Assert.True(submitted.ExitCode == ExitCodes.Success, submitted.ToString());
        var file = Path.Combine(_folder, "sous-dossier", "observatoire.db");

        var run = await CliHarness.RunAsync(server, "admin", "backup", "-o", file);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("Sauvegarde écrite", run.Output);
        Assert.True(File.Exists(file + ".manifest.json"));
        Assert.False(File.Exists(file + ".partiel"));
        var manifest = BackupManifest.FromJson(await File.ReadAllTextAsync(file + ".manifest.json"))!;
        Assert.Empty(await BackupVerifier.VerifyAsync(file, manifest, SchemaCatalog.LoadEmbedded(), CancellationToken.None));
        Assert.Contains(manifest.NationalFigures, f => f.Period == "2025-03" && f.Grids >= 1);
    }

    [Fact]
    public async Task A_post_key_cannot_take_a_backup_and_nothing_is_written()
    {
        var key = await server.PostKeyAsync("P-01-001");
        var file = Path.Combine(_folder, "refusee.db");

        var run = await CliHarness.RunWithKeyAsync(server, key, "admin", "backup", "-o", file);

        Assert.Equal(ExitCodes.Rejected, run.ExitCode);
        Assert.Contains("accès refusé", run.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    public void Dispose()
    {
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
