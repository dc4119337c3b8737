using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Observatoire.Server.Infrastructure;

/// <summary>
/// Whether the database the server started on is still there, the same, and writable. At start-up the
/// server stamps the file (SQLite's user_version header field, with a number drawn when the file is first stamped and kept for its life); a check
/// opens the path afresh and reads the stamp back. A file deleted, emptied or replaced under the running
/// server fails the check even while pooled connections still write into the old, unlinked file: the
/// server then refuses to serve and to acknowledge writes rather than answer from a database that is gone.
/// </summary>
internal sealed partial class StorageHealth(TimeProvider clock, ILogger<StorageHealth> logger)
{
    // Calls may rely on a check this recent; a health probe makes a fresh one, a write one begun after its commit.
    private static readonly TimeSpan CheckReuse = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _checking = new(1, 1);
    private string? _path;
    private int _stamp;
    private volatile string? _fault = "Base de données en cours d'initialisation.";
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private long _probeStartedAt = long.MinValue;
    private long _probes;

    /// <summary>The database file being watched, once ready (null before, or for an in-memory database).</summary>
    public string? DatabasePath => _path;

    /// <summary>Why the server does not serve, or null when it does.</summary>
    public string? Fault => _fault;

    /// <summary>Called once the database is migrated, checked and stamped (no path: an in-memory database, nothing to watch).</summary>
    public void MarkReady(string? path, int stamp)
    {
        _path = path;
        _stamp = stamp;
        _checkedAt = clock.GetUtcNow();
        _fault = null;
    }

    /// <summary>A failed write: the server stops serving until a check finds the database healthy again.</summary>
    public void ReportFailure(Exception error)
    {
        if (_path is null)
        {
            // No file to watch (PostgreSQL, or in memory): the server keeps serving, the failure is only logged.
            LogWriteFailed(logger, error);
            return;
        }

        Degrade($"Écriture impossible dans la base de données ({error.GetType().Name}).");
    }

    /// <summary>The fault, or null when the database is serving; a recent check is reused unless <paramref name="fresh"/>.</summary>
    /// <remarks>Faulted or not, calls reuse a recent check: a burst of calls on a broken disk is not a burst of probes.</remarks>
    public Task<string?> CheckAsync(bool fresh, CancellationToken ct) =>
        _path is null || (!fresh && clock.GetUtcNow() - _checkedAt < CheckReuse)
            ? Task.FromResult(_fault)
            : ProbeBegunAfterAsync(Stopwatch.GetTimestamp(), ct);

    /// <summary>
    /// Before a write is acknowledged: the fault, or null once a check begun after the write's transaction committed
    /// (<paramref name="committedAt"/>, a <see cref="Stopwatch"/> timestamp) found the file serving. Every grid of
    /// one commit shares one check, however late each caller comes to ask.
    /// </summary>
    public Task<string?> CheckCommittedAsync(long committedAt, CancellationToken ct) =>
        _path is null ? Task.FromResult(_fault) : ProbeBegunAfterAsync(committedAt > 0 ? committedAt : Stopwatch.GetTimestamp(), ct);

    /// <summary>Checks made since the start (each opens the file afresh).</summary>
    public long Probes => Interlocked.Read(ref _probes);

    private async Task<string?> ProbeBegunAfterAsync(long since, CancellationToken ct)
    {
        await _checking.WaitAsync(ct);
        try
        {
            // A probe begun after that instant saw everything the caller needs seen: a burst of callers shares one
            // probe instead of queueing one each.
            if (Volatile.Read(ref _probeStartedAt) >= since)
            {
                return _fault;
            }

            Volatile.Write(ref _probeStartedAt, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _probes);

            // A faulted server also proves that it can write again before it serves.
            var fault = Probe(_path!, _stamp, write: _fault is not null);
            _checkedAt = clock.GetUtcNow();
            if (fault is null)
            {
                if (_fault is not null)
                {
                    LogRecovered(logger, _path!);
                }

                _fault = null;
            }
            else
            {
                Degrade(fault);
            }

            return fault;
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <summary>Opens the file without creating it and compares its stamp; optionally rewrites the stamp to prove writes work.</summary>
    private static string? Probe(string path, int stamp, bool write)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return "Le fichier de la base de données a disparu.";
        }

        if (info.Length == 0)
        {
            return "Le fichier de la base de données a été vidé.";
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version;";
            var found = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (found != stamp)
            {
                return "Le fichier de la base de données a été remplacé.";
            }

            if (write)
            {
                command.CommandText = $"PRAGMA user_version = {stamp};";
                command.ExecuteNonQuery();
            }

            return null;
        }
        catch (SqliteException e)
        {
            return $"La base de données est illisible ou verrouillée en écriture (SQLite {e.SqliteErrorCode}).";
        }
    }

    private void Degrade(string fault)
    {
        if (_fault != fault)
        {
            LogFault(logger, _path ?? "", fault);
        }

        _fault = fault;

        // Pooled connections may hold an unlinked file: the next ones must open the path again.
        SqliteConnection.ClearAllPools();
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "Storage {Path} unavailable, the server stops serving: {Fault}")]
    private static partial void LogFault(ILogger logger, string path, string fault);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "A write to the database failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Storage {Path} available again")]
    private static partial void LogRecovered(ILogger logger, string path);
}
