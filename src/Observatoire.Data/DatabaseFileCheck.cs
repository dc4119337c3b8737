using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Observatoire.Data;

/// <summary>
/// What the server checks on its database file before it migrates and serves: that an existing file is a
/// sound SQLite database (PRAGMA quick_check), that it is an Observatoire database, and that its schema
/// is not newer than this build. A missing file is a first start; an empty file is data lost, not a
/// first start.
/// </summary>
public static class DatabaseFileCheck
{
    /// <summary>Why the server must not start on this file (in French), or null when it may.</summary>
    public static async Task<string?> ProblemAsync(ObservatoireDbContext db, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return null;
        }

        if (file.Length == 0)
        {
            return $"Le fichier {path} est vide : des données ont été perdues. Restaurez une sauvegarde, ou supprimez le fichier pour créer une base neuve.";
        }

        try
        {
            var check = await ScalarsAsync(db, "PRAGMA quick_check;", ct);
            if (check is not ["ok"])
            {
                return $"La base {path} est endommagée (PRAGMA quick_check : {string.Join(" ; ", check.Take(3))}). Restaurez une sauvegarde.";
            }

            var tables = await ScalarsAsync(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';", ct);
            if (tables.Count == 0)
            {
                return null;
            }

            if (!tables.Contains("__EFMigrationsHistory"))
            {
                return $"Le fichier {path} est une base SQLite qui n'est pas celle de l'Observatoire (aucun historique de migrations).";
            }

            var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
            var unknown = (await db.Database.GetAppliedMigrationsAsync(ct)).Where(m => !known.Contains(m)).ToList();
            return unknown.Count > 0
                ? $"La base {path} a été migrée par une version plus récente du serveur (migration {unknown[^1]} inconnue) : mettez le serveur à jour."
                : null;
        }
        catch (SqliteException e)
        {
            return $"Le fichier {path} n'est pas une base SQLite lisible (SQLite {e.SqliteErrorCode} : {e.Message}).";
        }
    }

    /// <summary>
    /// The identity of the database file (SQLite's user_version header field): drawn once when the file is first
    /// stamped and kept for its life, so that every server on the same file agrees on it, while another file put in
    /// its place (an empty one, another database) is told apart.
    /// </summary>
    public static async Task<int> StampAsync(ObservatoireDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var existing = (await ScalarsAsync(db, "PRAGMA user_version;", ct)).FirstOrDefault();
        if (int.TryParse(existing, System.Globalization.CultureInfo.InvariantCulture, out var current) && current != 0)
        {
            return current;
        }

        var stamp = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue);
        // A PRAGMA takes no parameter; the value is a number drawn here, not client text.
        var sql = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA user_version = {stamp};");
        await db.Database.ExecuteSqlRawAsync(sql, ct);
        return stamp;
    }

    private static async Task<List<string>> ScalarsAsync(ObservatoireDbContext db, string sql, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(ct);
            var values = new List<string>();
            while (await reader.ReadAsync(ct))
            {
                values.Add(reader.GetString(0));
            }

            return values;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
