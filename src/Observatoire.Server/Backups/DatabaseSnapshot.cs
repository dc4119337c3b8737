using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Observatoire.Core.Schemas;

namespace Observatoire.Server.Backups;

/// <summary>
/// Consistent online snapshots of the SQLite database and what they contain. A snapshot is SQLite's VACUUM INTO
/// run on a connection of its own: one read transaction, so it holds exactly the writes committed (and so
/// acknowledged) before it started, whatever is written meanwhile, and never a torn copy of a file under a live WAL.
/// </summary>
public static class DatabaseSnapshot
{
    /// <summary>Writes a snapshot of the database at <paramref name="livePath"/> to <paramref name="target"/> (which must not exist).</summary>
    public static async Task CreateAsync(string livePath, string target, CancellationToken ct)
    {
        // Read-write so that the connection joins the live WAL like any other; VACUUM INTO only reads the source.
        await using var connection = Open(livePath, SqliteOpenMode.ReadWrite);
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $target;";
        command.Parameters.AddWithValue("$target", target);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Reads what a snapshot file holds, into a manifest (the caller sets the creation time and server version).</summary>
    public static async Task<BackupManifest> DescribeAsync(string path, SchemaCatalog catalog, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        string schemaVersion;
        var figures = new SortedDictionary<(string Period, string Schema), NationalFigures>();
        await using (var connection = Open(path, SqliteOpenMode.ReadOnly))
        {
            foreach (var table in await ScalarsAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;", ct))
            {
                // The name comes from the file's own catalogue, quoted as an identifier.
                var count = await ScalarsAsync(connection, $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\";", ct);
                counts[table] = long.Parse(count[0], CultureInfo.InvariantCulture);
            }

            schemaVersion = (await ScalarsAsync(connection, "SELECT MigrationId FROM \"__EFMigrationsHistory\" ORDER BY MigrationId DESC LIMIT 1;", ct)).FirstOrDefault() ?? "";

            await using var command = connection.CreateCommand();
            // The current revisions are the highest of each grid (in a snapshot of any schema version: older ones also flagged them).
            command.CommandText =
                """
                SELECT g.Period, g.SchemaVersion, g.Cells FROM GridRevisions AS g
                WHERE NOT EXISTS (SELECT 1 FROM GridRevisions AS l WHERE l.PostId = g.PostId AND l.Period = g.Period AND l.Revision > g.Revision);
                """;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var period = reader.GetString(0);
                var version = reader.GetString(1);
                var schema = catalog.Find(version)
                    ?? throw new InvalidDataException($"La grille {period} suit une version de grille inconnue ({version}).");
                var values = schema.Layout.Decode((byte[])reader.GetValue(2));
                if (!figures.TryGetValue((period, version), out var entry))
                {
                    entry = new NationalFigures { Period = period, GridSchemaVersion = version };
                    figures.Add((period, version), entry);
                }

                figures[(period, version)] = entry with { Grids = entry.Grids + 1 };
                var totals = figures[(period, version)].Totals;
                foreach (var cell in schema.Layout.Cells.Where(c => c.IsTotal))
                {
                    totals[cell.Key] = totals.GetValueOrDefault(cell.Key) + values[cell.Index];
                }
            }
        }

        var (sha, size) = await ChecksumAsync(path, ct);
        return new BackupManifest
        {
            SchemaVersion = schemaVersion,
            Sha256 = sha,
            SizeBytes = size,
            Counts = counts,
            NationalFigures = [.. figures.Values],
        };
    }

    /// <summary>PRAGMA integrity_check of a file: "ok", or the first problems found.</summary>
    public static async Task<string> IntegrityAsync(string path, CancellationToken ct)
    {
        await using var connection = Open(path, SqliteOpenMode.ReadOnly);
        var result = await ScalarsAsync(connection, "PRAGMA integrity_check;", ct);
        return string.Join(" ; ", result.Take(5));
    }

    /// <summary>Lower-case hex SHA-256 and size of a file.</summary>
    public static async Task<(string Sha256, long Size)> ChecksumAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var hash = await SHA256.HashDataAsync(stream, ct);
        return (Convert.ToHexStringLower(hash), stream.Length);
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static async Task<List<string>> ScalarsAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "");
        }

        return values;
    }
}
