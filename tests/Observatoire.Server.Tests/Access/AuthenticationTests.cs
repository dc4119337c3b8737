using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Access;

/// <summary>Who gets in: every RPC needs a valid key, except health and reflection.</summary>
public class AuthenticationTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly GetSchemaRequest Newest = new();

    private static async Task<RpcException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    [Fact]
    public async Task A_key_revoked_while_its_stream_is_open_stores_nothing_more_through_it()
    {
        var post = TestGrids.MonthlyPost(8);
        var key = await server.PostKeyAsync(post.Id);
        using var call = new GridService.GridServiceClient(server.CreateChannel(key)).SubmitGrids();
        await call.RequestStream.WriteAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2020-01")));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("OK", call.ResponseStream.Current.Status);

        // Revoked, then the stream sits past the interval a check holds for, as a stream left open would.
        await new AdminService.AdminServiceClient(server.CreateChannel()).RevokeKeyAsync(new RevokeKeyRequest { Id = key.Split('_')[1] });
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await call.RequestStream.WriteAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2020-02")));

        var error = await RefusedAsync(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("révoquée", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await server.QueryAsync(db => db.GridRevisions.CountAsync(g => g.PostId == post.Id && g.Period == "2020-02")));
        Assert.Equal(1, await server.QueryAsync(db => db.GridRevisions.CountAsync(g => g.PostId == post.Id && g.Period == "2020-01")));
    }

    [Fact]
    public async Task A_call_without_a_key_is_unauthenticated_and_says_how_to_send_one()
    {
        var schemas = new SchemaService.SchemaServiceClient(server.CreateChannel(apiKey: null));
        var error = await RefusedAsync(() => schemas.GetSchemaAsync(Newest).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("authorization: Bearer", error.Status.Detail);
    }

    [Theory]
    [InlineData("obs_unknownkey00_0123456789abcdef0123456789abcdef0123")]
    [InlineData("pas-une-clé")]
    [InlineData("")]
    public async Task An_unknown_or_malformed_key_is_unauthenticated(string key)
    {
        var registry = new RegistryService.RegistryServiceClient(server.CreateChannel(apiKey: null));
        var headers = new Metadata { { "authorization", $"Bearer {key}" } };
        var error = await RefusedAsync(() => registry.ListRegionsAsync(new ListRegionsRequest(), headers).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task The_right_id_with_a_wrong_secret_is_refused_like_an_unknown_key()
    {
        var wrong = ServerFixture.AdminKey[..^4] + "zzzz";
        var schemas = new SchemaService.SchemaServiceClient(server.CreateChannel(wrong));
        var error = await RefusedAsync(() => schemas.GetSchemaAsync(Newest).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("Clé d'API inconnue ou invalide.", error.Status.Detail);
    }

    [Fact]
    public async Task Health_and_reflection_answer_without_a_key()
    {
        var channel = server.CreateChannel(apiKey: null);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains(reflection.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "observatoire.v1.AdminService");
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var key = await server.ReportKeyAsync();
        var schemas = new SchemaService.SchemaServiceClient(server.CreateChannel(key));
        await schemas.GetSchemaAsync(Newest);

        var admin = new AdminService.AdminServiceClient(server.CreateChannel());
        await admin.RevokeKeyAsync(new RevokeKeyRequest { Id = key.Split('_')[1] });

        var error = await RefusedAsync(() => schemas.GetSchemaAsync(Newest).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("révoquée", error.Status.Detail);
    }

    [Fact]
    public async Task An_expired_key_is_refused()
    {
        var key = await server.CreateKeyAsync(new CreateKeyRequest { Role = Role.Rapport, ExpiresOn = DateTime.UtcNow.ToString("yyyy-MM-dd") });
        var id = key.Split('_')[1];
        await new SchemaService.SchemaServiceClient(server.CreateChannel(key)).GetSchemaAsync(Newest);

        // The key's last day has passed: move its expiry into the past behind the server's back.
        await server.QueryAsync(db => db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAtUtc, DateTime.UtcNow.AddMinutes(-1))));

        var error = await RefusedAsync(() => new SchemaService.SchemaServiceClient(server.CreateChannel(key)).GetSchemaAsync(Newest).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("expirée", error.Status.Detail);
    }

    [Fact]
    public async Task A_key_is_shown_once_stored_only_as_a_hash_and_its_last_use_recorded()
    {
        var key = await server.AnalystKeyAsync("national");
        var id = key.Split('_')[1];
        await new SchemaService.SchemaServiceClient(server.CreateChannel(key)).GetSchemaAsync(Newest);

        var listed = await new AdminService.AdminServiceClient(server.CreateChannel()).ListKeysAsync(new ListKeysRequest());
        var info = Assert.Single(listed.Keys, k => k.Id == id);
        Assert.Equal(Role.Analyste, info.Role);
        Assert.Equal("national", info.Scope);
        Assert.NotNull(info.LastUsedAt);
        Assert.DoesNotContain(key, listed.ToString());

        var secret = key[(key.LastIndexOf('_') + 1)..];
        var stored = await server.QueryAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id));
        Assert.Equal(32, stored.Hash.Length);
        Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(stored.Hash));
        var audit = await server.QueryAsync(db => db.AuditEntries.AsNoTracking().ToListAsync());
        Assert.DoesNotContain(audit, a => $"{a.Target} {a.Detail}".Contains(secret, StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "cle.creation" && a.Target == id && a.KeyId == "testadmin000");
    }

    [Fact]
    public async Task The_bootstrap_key_is_ignored_once_an_admin_key_exists()
    {
        const string Other = "obs_otheradmin00_another-bootstrap-key-0123456789abcdef";
        var path = server.DatabasePath;
        await server.AdminKeyAsync();
        using var restarted = new ServerFixture(path);
        restarted.Settings["Security:BootstrapAdminKey"] = Other;

        var error = await RefusedAsync(() => new SchemaService.SchemaServiceClient(restarted.CreateChannel(Other)).GetSchemaAsync(Newest).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }
}

/// <summary>Every method of every Observatoire service, called without a key, answers UNAUTHENTICATED.</summary>
public class EveryMethodNeedsAKeyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        var files = new[]
        {
            AdminReflection.Descriptor, AggregateReflection.Descriptor, GridReflection.Descriptor,
            RegistryReflection.Descriptor, ReportReflection.Descriptor, SchemaReflection.Descriptor,
        };
        foreach (var method in files.SelectMany(f => f.Services).SelectMany(s => s.Methods))
        {
            data.Add($"/{method.Service.FullName}/{method.Name}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task A_call_without_a_key_is_refused(string path)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = new Version(2, 0),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");

        using var response = await client.SendAsync(request);

        Assert.Equal(((int)StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("grpc-status").Single());
    }
}
