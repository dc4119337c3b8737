using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Observatoire.Server.Tests;

/// <summary>
/// The real server in process on a fresh PostgreSQL database of its own, created on the server that
/// OBSERVATOIRE_TEST_POSTGRES names (a superuser's connection string; `.ci/postgres.sh start` starts one and
/// prints it) and dropped afterwards. Without the variable every test of the PostgreSQL suite fails: it is
/// never skipped.
/// </summary>
public class PostgreSqlServerFixture : ServerFixture
{
    public const string Variable = "OBSERVATOIRE_TEST_POSTGRES";

    private readonly string _admin;

    public PostgreSqlServerFixture()
        : this(null)
    {
    }

    /// <summary>A server on an existing database of that server (a restored one, say), dropped afterwards; or on a fresh one.</summary>
    internal PostgreSqlServerFixture(string? existingDatabase)
    {
        _admin = AdminConnectionString;
        DatabaseName = existingDatabase ?? $"observatoire_test_{Guid.NewGuid():N}";
        if (existingDatabase is null)
        {
            using var connection = new NpgsqlConnection(_admin);
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\" ENCODING 'UTF8' TEMPLATE template0", connection);
            command.ExecuteNonQuery();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = DatabaseName }.ToString();
    }

    /// <summary>The superuser's connection string that OBSERVATOIRE_TEST_POSTGRES gives; fails without it.</summary>
    public static string AdminConnectionString => System.Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } admin
        ? admin
        : throw new InvalidOperationException(
            $"{Variable} is not set: the PostgreSQL suite needs a PostgreSQL server. Run `eval \"$(.ci/postgres.sh start)\"` as root "
            + "(or set it to a superuser's connection string), or leave the suite out with --filter Category!=PostgreSql.");

    /// <summary>The database this fixture created (and drops).</summary>
    public string DatabaseName { get; }

    /// <summary>The connection string of that database, as the server receives it.</summary>
    public string ConnectionString { get; }

    /// <summary>Another server instance, in the same process, on the same database: its own cube, caches and writer.</summary>
    public override WebApplicationFactory<ObservatoireOptions> ColdStart() => OtherInstance();

    public WebApplicationFactory<ObservatoireOptions> OtherInstance(params (string Key, string Value)[] settings) => WithWebHostBuilder(builder =>
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    });

    protected override void ConfigureDatabase(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", "PostgreSql");
        builder.UseSetting("ConnectionStrings:Observatoire", ConnectionString);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }
}
