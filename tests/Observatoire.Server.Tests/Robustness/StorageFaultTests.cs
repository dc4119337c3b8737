using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Data.Sqlite;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// The database file missing, empty, replaced, damaged or unwritable, under a starting or a running
/// server: the server refuses to serve rather than serve empty figures, and never acknowledges a write
/// the file does not hold.
/// </summary>
public sealed class StorageFaultTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("observatoire-storage-").FullName;

    private string DatabasePath => Path.Combine(_directory, "observatoire.db");

    [Fact]
    public void An_empty_database_file_stops_the_start_up()
    {
        File.WriteAllBytes(DatabasePath, []);

        AssertRefusesToStart("est vide");
        Assert.Equal(0, new FileInfo(DatabasePath).Length);
    }

    [Fact]
    public void A_file_that_is_not_a_database_stops_the_start_up()
    {
        File.WriteAllText(DatabasePath, "Ceci n'est pas une base de données, mais un fichier texte posé là par erreur.\n" + new string('x', 8_000));

        AssertRefusesToStart("n'est pas une base SQLite");
    }

    [Fact]
    public async Task A_damaged_database_stops_the_start_up()
    {
        await CreateDatabaseWithOneGridAsync();

        // Scribble over the pages after the header: the tables' b-trees no longer hold together.
        var bytes = File.ReadAllBytes(DatabasePath);
        var random = new Random(8);
        for (var offset = 4096; offset < bytes.Length; offset += 97)
        {
            bytes[offset] = (byte)random.Next(256);
        }

        File.WriteAllBytes(DatabasePath, bytes);

        AssertRefusesToStart("");
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_server_stops_the_start_up()
    {
        await CreateDatabaseWithOneGridAsync();
        Execute("INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('29991231000000_Future', '99.0.0');");

        AssertRefusesToStart("version plus récente");
    }

    [Fact]
    public void Another_application_s_database_stops_the_start_up()
    {
        Execute("CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT); INSERT INTO clients (nom) VALUES ('x');");

        AssertRefusesToStart("n'est pas celle de l'Observatoire");
    }

    [Fact]
    public async Task A_database_deleted_under_the_running_server_stops_reads_and_writes_and_health()
    {
        using var server = new ServerFixture(DatabasePath);
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var health = new Health.HealthClient(server.CreateChannel());
        var post = TestGrids.MonthlyPost(0).Id;
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2024-01")));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);

        DeleteDatabaseFiles();
        var write = await Assert.ThrowsAsync<RpcException>(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2024-02"))).ResponseAsync);
        var read = await Assert.ThrowsAsync<RpcException>(() => aggregates.ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = AreaLevel.National }, Period = "2024" }).ResponseAsync);
        var status = (await health.CheckAsync(new HealthCheckRequest())).Status;

        Assert.Equal(StatusCode.Unavailable, write.StatusCode);
        Assert.Equal(StatusCode.Unavailable, read.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, status);
        Assert.False(File.Exists(DatabasePath) && new FileInfo(DatabasePath).Length > 0, "a request recreated the database file");
    }

    [Fact]
    public async Task A_database_replaced_under_the_running_server_gets_no_acknowledged_write()
    {
        var other = Path.Combine(_directory, "autre.db");
        using (var spare = new ServerFixture(other))
        {
            _ = spare.Server;
        }

        SqliteConnection.ClearAllPools();
        using var server = new ServerFixture(DatabasePath);
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var post = TestGrids.MonthlyPost(1).Id;
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2024-01")));

        // Another valid Observatoire database (an old backup, say) takes the file's place.
        DeleteDatabaseFiles();
        File.Copy(other, DatabasePath);
        var write = await Assert.ThrowsAsync<RpcException>(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2024-02"))).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, write.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await new Health.HealthClient(server.CreateChannel()).CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task An_unwritable_database_is_not_serving_until_writes_work_again()
    {
        using var server = new ServerFixture(DatabasePath);
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var health = new Health.HealthClient(server.CreateChannel());
        var post = TestGrids.MonthlyPost(2).Id;
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2024-01")));
        var before = await server.CountRowsAsync();

        SetWritable(false);
        StatusCode refused;
        HealthCheckResponse.Types.ServingStatus whileReadOnly;
        try
        {
            refused = (await Assert.ThrowsAsync<RpcException>(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2024-02"))).ResponseAsync)).StatusCode;
            whileReadOnly = (await health.CheckAsync(new HealthCheckRequest())).Status;
        }
        finally
        {
            SetWritable(true);
        }

        var again = (await health.CheckAsync(new HealthCheckRequest())).Status;
        var accepted = await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2024-03")));

        Assert.Equal(StatusCode.Unavailable, refused);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, whileReadOnly);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, again);
        Assert.Equal(1, accepted.Revision);
        Assert.Equal((before.Revisions + 1, before.Submissions + 1), await server.CountRowsAsync());
    }

    public void Dispose()
    {
        SetWritable(true);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private void AssertRefusesToStart(string reason)
    {
        using var server = new ServerFixture(DatabasePath);

        var error = Assert.ThrowsAny<Exception>(() => server.Server);

        Assert.Contains(reason, error.ToString());
        Assert.Contains(server.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical && e.Message.Contains("refuses to start", StringComparison.Ordinal));
    }

    private async Task CreateDatabaseWithOneGridAsync()
    {
        using (var server = new ServerFixture(DatabasePath))
        {
            await new GridService.GridServiceClient(server.CreateChannel()).SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(0).Id, "2024-01")));
        }

        SqliteConnection.ClearAllPools();
        Execute("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void DeleteDatabaseFiles()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(DatabasePath + suffix);
        }
    }

    /// <summary>Makes the database files unwritable, as a full or read-only disk would: chattr for root (whom permissions do not stop), chmod otherwise.</summary>
    private void SetWritable(bool writable)
    {
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal" }.Where(File.Exists))
        {
            if (Environment.UserName == "root")
            {
                using var process = Process.Start(new ProcessStartInfo("chattr", [writable ? "-i" : "+i", file]) { RedirectStandardError = true })!;
                process.WaitForExit();
            }
            else if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, writable ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead);
            }
        }
    }
}
