using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Observatoire.Protos.V1;
using TracerProvider = OpenTelemetry.Trace.TracerProvider;

namespace Observatoire.Server.Tests;

/// <summary>What operations see of a server on PostgreSQL: ready while the database accepts connections, Npgsql's spans, backups left to pg_dump.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlOperationsTests(PostgreSqlServerFixture server) : IClassFixture<PostgreSqlServerFixture>
{
    [Fact]
    public Task On_PostgreSql_the_migrations_match_the_model_and_a_revision_s_department_is_checked_without_an_index() =>
        server.QueryAsync(db => StorageSchema.CheckAsync(db, "SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'GridRevisions'"));

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

    [Fact]
    public async Task Readiness_follows_whether_the_database_accepts_connections()
    {
        using var own = new PostgreSqlServerFixture();
        var health = new Health.HealthClient(own.CreateChannel(apiKey: null));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);

        // The database refuses every new connection and its sessions are cut, as when PostgreSQL is down for it.
        await AdminAsync($"ALTER DATABASE \"{own.DatabaseName}\" ALLOW_CONNECTIONS false");
        await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{own.DatabaseName}'");
        NpgsqlConnection.ClearAllPools();
        var down = (await health.CheckAsync(new HealthCheckRequest())).Status;
        await AdminAsync($"ALTER DATABASE \"{own.DatabaseName}\" ALLOW_CONNECTIONS true");
        var back = (await health.CheckAsync(new HealthCheckRequest())).Status;

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, down);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, back);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_driver_s_own_spans_are_exported()
    {
        await using var collector = await Operations.OtlpCollector.StartAsync();

        using var traced = new PostgreSqlServerFixture();
        traced.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address;
        traced.Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        await new GridService.GridServiceClient(traced.CreateChannel()).SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(50).Id, "2024-05")));

        Assert.True(OpenTelemetry.Trace.TracerProviderExtensions.ForceFlush(traced.Services.GetRequiredService<TracerProvider>(), 30_000));
        var traces = collector.Traces;

        // The instrumentation scope "Npgsql" as OTLP encodes it (field 1, length 6): the driver's ActivitySource, not EF Core's.
        byte[] scope = [0x0A, 0x06, .. "Npgsql"u8];
        Assert.Contains(traces, body => body.AsSpan().IndexOf(scope) >= 0);
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgreSqlServerFixture.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
