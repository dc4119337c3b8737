using Grpc.Core;
using Grpc.Health.V1;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

/// <summary>What operations see of a server on PostgreSQL: healthy once migrated, backups left to pg_dump.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlOperationsTests(PostgreSqlServerFixture server) : IClassFixture<PostgreSqlServerFixture>
{
    [Fact]
    public async Task The_server_serves_and_refuses_a_backup_of_its_own_naming_pg_dump()
    {
        var health = await new Health.HealthClient(server.CreateChannel(apiKey: null)).CheckAsync(new HealthCheckRequest());
        using var call = new AdminService.AdminServiceClient(server.CreateChannel()).BackupDatabase(new BackupDatabaseRequest());

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("pg_dump", error.Status.Detail, StringComparison.Ordinal);
    }
}
