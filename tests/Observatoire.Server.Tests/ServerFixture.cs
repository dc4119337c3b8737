using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observatoire.Data;

namespace Observatoire.Server.Tests;

/// <summary>
/// The real server in process (TestServer) on its own SQLite file, reached through a real gRPC channel.
/// </summary>
public sealed class ServerFixture : WebApplicationFactory<ObservatoireOptions>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("observatoire-tests-").FullName;

    public ServerFixture()
        : this(null)
    {
    }

    /// <summary>A server on an existing database file (to test a restart), or on a fresh one.</summary>
    internal ServerFixture(string? databasePath)
    {
        DatabasePath = databasePath ?? Path.Combine(_directory, "observatoire.db");
    }

    public string DatabasePath { get; }

    /// <summary>Every line the server logged, to check what a request leaves in the log.</summary>
    public CapturedLogs Logs { get; } = new();

    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = Server.CreateHandler(),
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            MaxSendMessageSize = 16 * 1024 * 1024,
        });

    /// <summary>Reads the database directly, bypassing the API, to check what was (not) written.</summary>
    public async Task<T> QueryAsync<T>(Func<ObservatoireDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        return await query(db);
    }

    public Task<(int Revisions, int Submissions)> CountRowsAsync() =>
        QueryAsync(async db => (await db.GridRevisions.CountAsync(), await db.Submissions.CountAsync()));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Observatoire", $"Data Source={DatabasePath}");
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
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
}
