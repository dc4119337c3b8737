using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Schemas;
using Observatoire.Data;
using Observatoire.Server.Versioning;

namespace Observatoire.Server.Backups;

/// <summary>A snapshot file and its manifest, made by <see cref="BackupMaker"/>.</summary>
public sealed record Backup(string Path, BackupManifest Manifest);

/// <summary>
/// Makes snapshots of the server's own database, one at a time (a second request waits its turn): VACUUM INTO a new
/// file beside the database, then the manifest read back from that file.
/// </summary>
internal sealed class BackupMaker(IServiceScopeFactory scopes, SchemaCatalog catalog, ServerVersion version, TimeProvider clock, Infrastructure.ObservatoireDatabase database)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Snapshots the database into <paramref name="target"/> (null: a new temporary file beside the database, the caller deletes it).</summary>
    public async Task<Backup> CreateAsync(string? target, CancellationToken ct)
    {
        var live = LivePath() ?? throw new InvalidOperationException("La base de données est en mémoire : rien à sauvegarder.");
        target ??= Path.Combine(Path.GetDirectoryName(live)!, $".sauvegarde-{Guid.NewGuid():N}.db");
        await _one.WaitAsync(ct);
        try
        {
            var createdAt = clock.GetUtcNow().UtcDateTime;
            await DatabaseSnapshot.CreateAsync(live, target, ct);
            var manifest = await DatabaseSnapshot.DescribeAsync(target, catalog, ct);
            return new Backup(target, manifest with { CreatedAtUtc = createdAt, ServerVersion = version.Current });
        }
        catch
        {
            TryDelete(target);
            throw;
        }
        finally
        {
            _one.Release();
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temporary file is harmless; the next start does not read it.
        }
    }

    /// <summary>Why this server makes no snapshot of its own (PostgreSQL: pg_dump does), or null when it does.</summary>
    public string? Unsupported => database.IsSqlite
        ? null
        : "Sur PostgreSQL, le serveur ne fait pas de sauvegarde lui-même : utilisez pg_dump (voir le README, « Plusieurs instances sur PostgreSQL »).";

    private string? LivePath()
    {
        if (Unsupported is { } reason)
        {
            throw new NotSupportedException(reason);
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:" ? null : Path.GetFullPath(builder.DataSource);
    }
}
