using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Observatoire.Data;
using Observatoire.Server.Grpc;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// A value the database refuses, or a race with another writer, is not a failure of the store: the caller is told
/// INVALID_ARGUMENT or ABORTED and the server stays in service; only the store's own failures take it out until a
/// check finds it healthy. The SQLite errors are real ones, provoked on a real database.
/// </summary>
public sealed class StorageErrorsTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly string _directory = Directory.CreateTempSubdirectory("observatoire-errors-").FullName;

    public StorageErrorsTests()
    {
        _connection.Open();
        Execute("PRAGMA foreign_keys = ON");
        Execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
        Execute("CREATE TABLE child (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, size INTEGER CHECK (size >= 0), parent INTEGER REFERENCES parent(id))");
        Execute("INSERT INTO parent VALUES (1)");
        Execute("INSERT INTO child VALUES (1, 'a', 0, 1)");
    }

    public static TheoryData<string, StorageErrorKind> SqliteFailures => new()
    {
        { "INSERT INTO child VALUES (2, 'a', 0, 1)", StorageErrorKind.Conflict },   // a unique key taken
        { "INSERT INTO child VALUES (1, 'b', 0, 1)", StorageErrorKind.Conflict },   // a primary key taken
        { "INSERT INTO child VALUES (3, 'c', 0, 9)", StorageErrorKind.Conflict },   // a referenced row gone
        { "INSERT INTO child VALUES (4, NULL, 0, 1)", StorageErrorKind.Refused },   // NOT NULL
        { "INSERT INTO child VALUES (5, 'e', -1, 1)", StorageErrorKind.Refused },   // CHECK
        { "SELECT * FROM missing_table", StorageErrorKind.Unavailable },            // the schema is not what the server knows
    };

    [Theory]
    [MemberData(nameof(SqliteFailures))]
    public void A_real_SQLite_failure_is_classified_by_its_result_code(string sql, StorageErrorKind expected)
    {
        var error = Assert.ThrowsAny<SqliteException>(() => Execute(sql));
        Assert.Equal(expected, StorageErrors.Classify(error));
        Assert.Equal(expected, StorageErrors.Classify(new DbUpdateException("wrapped", error)));
    }

    [Fact]
    public void A_value_larger_than_SQLite_takes_is_refused()
    {
        // SQLITE_TOOBIG: a blob over SQLite's length limit (a billion bytes), refused before anything is allocated.
        Execute("CREATE TABLE blob_table (b BLOB)");
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO blob_table VALUES (zeroblob(2000000000))";
        var error = Assert.ThrowsAny<SqliteException>(() => command.ExecuteNonQuery());
        Assert.Equal(18, error.SqliteErrorCode);
        Assert.Equal(StorageErrorKind.Refused, StorageErrors.Classify(error));
    }

    [Fact]
    public void A_file_that_cannot_be_opened_is_the_store_failing()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory, "absent", "observatoire.db"),
            Mode = SqliteOpenMode.ReadWrite,
        }.ToString());
        var error = Assert.ThrowsAny<SqliteException>(connection.Open);
        Assert.Equal(StorageErrorKind.Unavailable, StorageErrors.Classify(error));
    }

    [Theory]
    [InlineData("22021", StorageErrorKind.Refused)]     // a NUL character in text
    [InlineData("22001", StorageErrorKind.Refused)]     // a value too long for its column
    [InlineData("22003", StorageErrorKind.Refused)]     // a number out of range
    [InlineData("23502", StorageErrorKind.Refused)]     // NOT NULL
    [InlineData("23514", StorageErrorKind.Refused)]     // CHECK
    [InlineData("54000", StorageErrorKind.Refused)]     // a value too large for an index entry
    [InlineData("23505", StorageErrorKind.Conflict)]    // a unique key taken by another writer
    [InlineData("23503", StorageErrorKind.Conflict)]    // a referenced row deleted by another writer
    [InlineData("40001", StorageErrorKind.Conflict)]    // a serialization failure
    [InlineData("40P01", StorageErrorKind.Conflict)]    // a deadlock broken
    [InlineData("53100", StorageErrorKind.Unavailable)] // a disk full
    [InlineData("57P01", StorageErrorKind.Unavailable)] // the server shutting down
    [InlineData("08006", StorageErrorKind.Unavailable)] // a connection lost
    [InlineData("42P01", StorageErrorKind.Unavailable)] // a table missing
    public void A_PostgreSQL_failure_is_classified_by_its_state(string state, StorageErrorKind expected)
    {
        var error = new PostgresException("message", "ERROR", "ERROR", state);
        Assert.Equal(expected, StorageErrors.Classify(error));
        Assert.Equal(expected, StorageErrors.Classify(new DbUpdateException("wrapped", error)));
    }

    [Fact]
    public void What_is_not_a_database_failure_is_left_to_its_caller()
    {
        Assert.Equal(StorageErrorKind.None, StorageErrors.Classify(new InvalidOperationException()));
        Assert.Equal(StorageErrorKind.None, StorageErrors.Classify(new DbUpdateException("no inner error")));
        Assert.Equal(StorageErrorKind.Unavailable, StorageErrors.Classify(new NpgsqlException("connection refused")));
    }

    [Fact]
    public void Only_the_store_failing_takes_the_server_out_of_service()
    {
        var path = Path.Combine(_directory, "observatoire.db");
        File.WriteAllBytes(path, [1]);
        var health = new StorageHealth(TimeProvider.System, NullLogger<StorageHealth>.Instance);
        health.MarkReady(path, 1);

        var conflict = StorageGuardInterceptor.Translate(Assert.ThrowsAny<SqliteException>(() => Execute("INSERT INTO child VALUES (2, 'a', 0, 1)")), health, NullLogger.Instance);
        Assert.Equal(StatusCode.Aborted, conflict.StatusCode);
        Assert.Null(health.Fault);

        var refused = StorageGuardInterceptor.Translate(new PostgresException("invalid byte sequence", "ERROR", "ERROR", "22021"), health, NullLogger.Instance);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Null(health.Fault);

        var failed = StorageGuardInterceptor.Translate(new SqliteException("disk I/O error", 10), health, NullLogger.Instance);
        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.NotNull(health.Fault);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
