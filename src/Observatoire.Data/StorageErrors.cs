using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Observatoire.Data;

/// <summary>What a failure from the database says about the database, and so what a caller should be told.</summary>
public enum StorageErrorKind
{
    /// <summary>Not a database failure (a bug, a cancellation...): for the caller's own handling.</summary>
    None,

    /// <summary>
    /// The store itself failed (a file gone or unreadable, a disk full, a connection lost, a lock not obtained): nothing
    /// was written, the same call may succeed later, and the store is checked again before the server serves.
    /// </summary>
    Unavailable,

    /// <summary>A concurrent write took the same key, or the database broke a deadlock: the call may be made again now.</summary>
    Conflict,

    /// <summary>
    /// The database refused a value of this call (a character it cannot store, a value too large for it, a constraint
    /// the value breaks): the same call will fail again, and the store is healthy.
    /// </summary>
    Refused,
}

/// <summary>
/// Tells a failure of the store from a value it refuses, on SQLite (by its result code) and PostgreSQL (by its SQLSTATE
/// class), through EF Core's wrapping. One decision for every caller: a value the database refuses never marks the
/// storage as failed, whatever a client sends.
/// </summary>
public static class StorageErrors
{
    // SQLite primary result codes (https://www.sqlite.org/rescode.html).
    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;

    // Its extended codes for a key taken (unique, primary key) or a referenced row gone (foreign key).
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    public static StorageErrorKind Classify(Exception error)
    {
        var db = error as DbException ?? (error is DbUpdateException ? error.InnerException as DbException : null);
        if (db is null)
        {
            return StorageErrorKind.None;
        }

        if (db is SqliteException sqlite)
        {
            return sqlite.SqliteErrorCode switch
            {
                SqliteConstraint => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey or SqliteConstraintForeignKey
                    ? StorageErrorKind.Conflict
                    : StorageErrorKind.Refused,
                SqliteTooBig or SqliteMismatch => StorageErrorKind.Refused,
                _ => StorageErrorKind.Unavailable,
            };
        }

        // PostgreSQL (Npgsql's PostgresException gives the SQLSTATE): 23505 and 23503 a key taken or a referenced row
        // gone, 40001 and 40P01 a serialization failure and a deadlock; class 22 a data exception (a NUL character, a
        // value out of range or too long), the rest of class 23 a constraint the value breaks, class 54 a program limit
        // (a value too large for an index entry). The rest (connection, resources, a server shutting down, and errors
        // without a state) is the store's.
        return db.SqlState switch
        {
            "23505" or "23503" or "40001" or "40P01" => StorageErrorKind.Conflict,
            { Length: 5 } state when state.AsSpan(0, 2) is "22" or "23" or "54" => StorageErrorKind.Refused,
            _ => StorageErrorKind.Unavailable,
        };
    }
}
