using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// The check that stands between a commit and its acknowledgement: one check, begun after the commit, covers every
/// grid the commit holds (a batch of hundreds of grids is not hundreds of checks), and a check begun before the
/// commit covers none.
/// </summary>
public sealed class StorageHealthTests : IDisposable
{
    private const int Stamp = 424242;
    private readonly string _directory = Directory.CreateTempSubdirectory("observatoire-health-").FullName;

    private string DatabasePath => Path.Combine(_directory, "observatoire.db");

    [Fact]
    public async Task Every_grid_of_one_commit_shares_one_check_however_late_each_asks()
    {
        var health = Ready();
        var committedAt = Stopwatch.GetTimestamp();

        // Two hundred acknowledgements of one batch, arriving over some 20 ms (as a busy thread pool runs them).
        var faults = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            await Task.Delay(i % 20);
            return await health.CheckCommittedAsync(committedAt, CancellationToken.None);
        }));

        Assert.All(faults, Assert.Null);
        Assert.Equal(1, health.Probes);

        // The next commit needs a check of its own.
        Assert.Null(await health.CheckCommittedAsync(Stopwatch.GetTimestamp(), CancellationToken.None));
        Assert.Equal(2, health.Probes);
    }

    [Fact]
    public async Task A_check_begun_before_the_commit_does_not_cover_it()
    {
        var health = Ready();
        Assert.Null(await health.CheckAsync(fresh: true, CancellationToken.None));

        // The file is replaced between that check and the commit: the commit went into the old, unlinked file.
        var committedAt = Stopwatch.GetTimestamp();
        SqliteConnection.ClearAllPools();
        File.Delete(DatabasePath);
        Create(stamp: 7);

        Assert.Contains("remplacé", await health.CheckCommittedAsync(committedAt, CancellationToken.None));
        Assert.Equal(2, health.Probes);
    }

    [Fact]
    public async Task A_write_without_a_commit_instant_gets_a_check_of_its_own()
    {
        var health = Ready();
        Assert.Null(await health.CheckAsync(fresh: true, CancellationToken.None));

        File.WriteAllBytes(DatabasePath, []);

        Assert.Contains("vidé", await health.CheckCommittedAsync(0, CancellationToken.None));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private StorageHealth Ready()
    {
        Create(Stamp);
        var health = new StorageHealth(TimeProvider.System, NullLogger<StorageHealth>.Instance);
        health.MarkReady(DatabasePath, Stamp);
        return health;
    }

    private void Create(int stamp)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t (x); PRAGMA user_version = {stamp};";
        command.ExecuteNonQuery();
    }
}
