using Npgsql;

namespace Observatoire.Data.PostgreSql;

/// <summary>
/// The notifications PostgreSQL sends at the commit of every transaction that writes grid revisions or bumps the
/// registry's version (triggers of the <c>ChangeNotifications</c> migration), on the channel <see cref="Channel"/>.
/// </summary>
public static class PostgreSqlChangeNotifications
{
    /// <summary>The channel the triggers notify.</summary>
    public const string Channel = "observatoire_changes";

    /// <summary>What a listener's connection is called in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "observatoire-changes";

    /// <summary>
    /// Listens on a connection of its own (not pooled: it keeps its LISTEN), calls <paramref name="listening"/> once
    /// it listens, then <paramref name="onChange"/> at once (what was committed before it listened) and after each
    /// notification. Returns only by throwing: when <paramref name="ct"/> is cancelled or the connection is lost.
    /// </summary>
    public static async Task ListenAsync(string connectionString, Action listening, Func<CancellationToken, Task> onChange, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(listening);
        ArgumentNullException.ThrowIfNull(onChange);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = ApplicationName,

            // A connection that a network or a failover silently dropped is noticed within a minute.
            KeepAlive = 30,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        listening();
        await onChange(ct);
        while (true)
        {
            // Returns after one notification; those that arrived meanwhile are read by the next waits, and the
            // change handler finds most of them already applied.
            await connection.WaitAsync(ct);
            await onChange(ct);
        }
    }
}
