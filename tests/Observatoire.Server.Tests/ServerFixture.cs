using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observatoire.Data;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

/// <summary>
/// The real server in process (TestServer) on its own SQLite file, reached through a real gRPC channel.
/// <see cref="CreateChannel()"/> carries the admin key the fixture bootstraps (Security:BootstrapAdminKey);
/// <see cref="CreateChannel(string?)"/> carries another key, or none. <see cref="PostgreSqlServerFixture"/> runs
/// the same server on a fresh PostgreSQL database instead.
/// </summary>
public class ServerFixture : WebApplicationFactory<ObservatoireOptions>
{
    /// <summary>The admin key registered at first start through Security:BootstrapAdminKey.</summary>
    public const string AdminKey = "obs_testadmin000_fixture-bootstrap-admin-key-0123456789";

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

    /// <summary>A server starting on the same database, with figures of its own read from it (another instance on PostgreSQL).</summary>
    public virtual WebApplicationFactory<ObservatoireOptions> ColdStart() => new ServerFixture(DatabasePath);

    /// <summary>Every line the server logged, to check what a request leaves in the log.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Extra settings (set before the first call).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>The host environment (default "Testing").</summary>
    public string Environment { get; set; } = "Testing";

    /// <summary>A channel authenticated with the bootstrapped admin key.</summary>
    public GrpcChannel CreateChannel() => CreateChannel(AdminKey);

    /// <summary>A channel sending "authorization: Bearer <paramref name="apiKey"/>" (nothing when null), unless a call sets its own.</summary>
    public GrpcChannel CreateChannel(string? apiKey) => ChannelTo(this, apiKey);

    /// <summary>A channel to any host of the server (e.g. one made by WithWebHostBuilder), with a key (the admin key by default).</summary>
    public static GrpcChannel ChannelTo(WebApplicationFactory<ObservatoireOptions> host, string? apiKey = AdminKey) =>
        GrpcChannel.ForAddress(host.Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = new BearerHandler(apiKey) { InnerHandler = host.Server.CreateHandler() },
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            MaxSendMessageSize = 16 * 1024 * 1024,
        });

    /// <summary>Issues a key through the admin API and returns it.</summary>
    public async Task<string> CreateKeyAsync(CreateKeyRequest request)
    {
        var admin = new AdminService.AdminServiceClient(CreateChannel());
        return (await admin.CreateKeyAsync(request)).Key;
    }

    /// <summary>A "poste" key for these posts.</summary>
    public Task<string> PostKeyAsync(params string[] posts) => CreateKeyAsync(new CreateKeyRequest { Role = Role.Poste, PostIds = { posts } });

    /// <summary>An "analyste" key with a scope ("national", "region:76", "departement:48").</summary>
    public Task<string> AnalystKeyAsync(string scope) => CreateKeyAsync(new CreateKeyRequest { Role = Role.Analyste, Scope = scope });

    /// <summary>A "rapport" key.</summary>
    public Task<string> ReportKeyAsync() => CreateKeyAsync(new CreateKeyRequest { Role = Role.Rapport });

    /// <summary>Another "admin" key.</summary>
    public Task<string> AdminKeyAsync() => CreateKeyAsync(new CreateKeyRequest { Role = Role.Admin });

    /// <summary>Reads the database directly, bypassing the API, to check what was (not) written.</summary>
    public async Task<T> QueryAsync<T>(Func<ObservatoireDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        return await query(db);
    }

    /// <summary>An HTTP/2 client of the REST endpoints (JSON transcoding) with a bearer key, or none.</summary>
    public HttpClient CreateRestClient(string? key = AdminKey)
    {
        var client = CreateClient();
        client.DefaultRequestVersion = System.Net.HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public Task<(int Revisions, int Submissions)> CountRowsAsync() =>
        QueryAsync(async db => (await db.GridRevisions.CountAsync(), await db.Submissions.CountAsync()));

    /// <summary>Points the server at its database (here its own SQLite file).</summary>
    protected virtual void ConfigureDatabase(IWebHostBuilder builder) =>
        builder.UseSetting("ConnectionStrings:Observatoire", $"Data Source={DatabasePath}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ConfigureDatabase(builder);
        builder.UseSetting("Security:BootstrapAdminKey", AdminKey);

        // Keys are hashed once per key and process; a cheaper hash keeps key-heavy tests quick.
        builder.UseSetting("Security:KeyHashIterations", "1000");

        // Tests file grids of any past period with post keys: periods do not close by themselves unless a test says so.
        builder.UseSetting("Campaigns:CloseAfterDays", "0");

        // TestServer is in memory: no clear-text port to refuse (TransportTests check the refusal and real TLS).
        builder.UseSetting("Security:BehindTlsProxy", "true");

        // Suites make thousands of calls with the admin key; TransportTests checks the limit with its own setting.
        builder.UseSetting("Security:RateLimitPermits", "0");

        // Suites sign in to the pages many times from one address; SignInTests checks the limit with its own setting.
        builder.UseSetting("Security:SignInsPerMinute", "0");

        // Tests change keys behind the server's back (as another instance would) and expect the next call to see it;
        // KeyMemoryTests checks the keys remembered between calls with its own setting.
        builder.UseSetting("Security:KeyCheckSeconds", "0");

        // A query waits for the year's first suppression plan rather than being told it is pending (a loaded machine
        // may take more than the default half second): tests compare published figures. PendingPlanTests says otherwise.
        builder.UseSetting("Consolidation:PublicationWaitMilliseconds", "600000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment(Environment);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    /// <summary>Adds the key to every request that has no authorization of its own.</summary>
    private sealed class BearerHandler(string? apiKey) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (apiKey is not null && !request.Headers.Contains("authorization"))
            {
                request.Headers.TryAddWithoutValidation("authorization", $"Bearer {apiKey}");
            }

            return base.SendAsync(request, cancellationToken);
        }
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
