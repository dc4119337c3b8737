using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Access;

/// <summary>
/// A verified key is trusted from memory for Security:KeyCheckSeconds (no database query per call), yet a key
/// revoked through the server is refused at its very next call.
/// </summary>
public class KeyMemoryTests
{
    private static readonly GetSchemaRequest Newest = new();

    private static ServerFixture Remembering()
    {
        var server = new ServerFixture();
        server.Settings["Security:KeyCheckSeconds"] = "3600";
        return server;
    }

    [Fact]
    public async Task A_remembered_key_is_served_without_reading_its_row_again()
    {
        using var server = Remembering();
        var key = await server.ReportKeyAsync();
        var id = key.Split('_')[1];
        var schemas = new SchemaService.SchemaServiceClient(server.CreateChannel(key));
        await schemas.GetSchemaAsync(Newest);

        // Revoked behind the server's back (as another instance would): this server learns it only after the delay.
        await server.QueryAsync(db => db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAtUtc, DateTime.UtcNow)));

        var schema = await schemas.GetSchemaAsync(Newest);
        Assert.NotEmpty(schema.Version);
    }

    [Fact]
    public async Task A_remembered_key_revoked_through_the_server_is_refused_at_its_next_call()
    {
        using var server = Remembering();
        var key = await server.ReportKeyAsync();
        var schemas = new SchemaService.SchemaServiceClient(server.CreateChannel(key));
        await schemas.GetSchemaAsync(Newest);
        await schemas.GetSchemaAsync(Newest);

        await new AdminService.AdminServiceClient(server.CreateChannel()).RevokeKeyAsync(new RevokeKeyRequest { Id = key.Split('_')[1] });

        var error = await Assert.ThrowsAsync<RpcException>(() => schemas.GetSchemaAsync(Newest).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("révoquée", error.Status.Detail);
    }

    [Fact]
    public async Task A_remembered_key_presented_with_a_wrong_secret_is_refused()
    {
        using var server = Remembering();
        var key = await server.ReportKeyAsync();
        await new SchemaService.SchemaServiceClient(server.CreateChannel(key)).GetSchemaAsync(Newest);

        var forged = key[..^4] + (key.EndsWith("aaaa", StringComparison.Ordinal) ? "bbbb" : "aaaa");
        var error = await Assert.ThrowsAsync<RpcException>(() => new SchemaService.SchemaServiceClient(server.CreateChannel(forged)).GetSchemaAsync(Newest).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }
}
