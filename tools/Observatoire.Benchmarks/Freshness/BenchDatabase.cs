using Npgsql;

namespace Observatoire.Benchmarks.Freshness;

/// <summary>
/// A fresh PostgreSQL database of the benchmark's own, created in the cluster a superuser's connection string names
/// (so that runs never share rows) and dropped at the end.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _name;

    private BenchDatabase(string admin, string name)
    {
        _admin = admin;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    /// <summary>The database's connection string, as the servers receive it.</summary>
    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string admin)
    {
        var name = $"observatoire_bench_{Guid.NewGuid():N}";
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0");
        return new BenchDatabase(admin, name);
    }

    /// <summary>
    /// Stops the push: the trigger that notifies the instances at each commit of revisions (PostgreSQL migration
    /// ChangeNotifications) is disabled in this database, so that what keeps an instance fresh is the check it makes
    /// before each call alone.
    /// </summary>
    public Task SilenceGridNotificationsAsync() =>
        ExecuteAsync(ConnectionString, "ALTER TABLE \"GridRevisions\" DISABLE TRIGGER \"GridRevisions_Notify\"");

    /// <summary>Drops the database; the servers on it must be stopped (FORCE ends any connection left).</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
