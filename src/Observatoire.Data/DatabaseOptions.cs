namespace Observatoire.Data;

/// <summary>The database engine that holds the Observatoire database.</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file beside the server (the default): one server instance.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: one or several server instances.</summary>
    PostgreSql,
}

/// <summary>Settings of section "Database"; the connection string itself is ConnectionStrings:Observatoire.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Which engine ConnectionStrings:Observatoire points to (default <see cref="DatabaseProvider.Sqlite"/>).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}
