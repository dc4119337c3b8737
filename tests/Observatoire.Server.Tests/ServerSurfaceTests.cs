using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

/// <summary>What any gRPC tool sees: health, reflection, the schema and the registry.</summary>
public class ServerSurfaceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Health_service_reports_serving_once_the_database_is_ready()
    {
        var health = new Health.HealthClient(server.CreateChannel());

        var answer = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
    }

    [Fact]
    public async Task Database_connections_write_through_and_wait_for_the_writer()
    {
        var (synchronous, timeout, journal, temporary) = await server.QueryAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            async Task<string> Pragma(string name)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"PRAGMA {name}";
                return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
            }

            return (await Pragma("synchronous"), await Pragma("busy_timeout"), await Pragma("journal_mode"), await Pragma("temp_store"));
        });

        Assert.Equal("2", synchronous); // FULL
        Assert.Equal("5000", timeout);
        Assert.Equal("wal", journal);
        Assert.Equal("2", temporary); // MEMORY: a batch's savepoint journal is not written to a temporary file
    }

    [Fact]
    public async Task Reflection_lists_the_observatoire_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(server.CreateChannel());
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("observatoire.v1.GridService", services);
        Assert.Contains("observatoire.v1.SchemaService", services);
        Assert.Contains("observatoire.v1.RegistryService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task Schema_is_published_with_sections_breakdowns_and_rules()
    {
        var schemas = new SchemaService.SchemaServiceClient(server.CreateChannel());

        var latest = await schemas.GetSchemaAsync(new GetSchemaRequest());
        var forPeriod = await schemas.GetSchemaAsync(new GetSchemaRequest { Period = "2025-T3" });

        Assert.Equal("2025.1", latest.Version);
        Assert.Equal(latest, forPeriod);
        Assert.Equal(9, latest.Sections.Count);
        var received = latest.Sections.Single(s => s.Code == "A").Indicators.Single(i => i.Code == "personnes_recues");
        Assert.Equal(Aggregation.None, received.Aggregation);
        Assert.Equal(["statut", "sexe_age"], received.Breakdowns.Select(b => b.Code));
        Assert.Equal("B", received.Breakdowns[0].Section);
        Assert.Contains(latest.Rules, r => r.Code == "B_STATUT_SOMME" && r.Kind == "expression" && r.Severity == Protos.V1.Severity.Error);
        Assert.Contains(latest.Rules, r => r.Code == "ANONYMAT_NIR" && r.Kind == "builtin");
        Assert.Equal(100_000, latest.MaxValue);
    }

    [Fact]
    public async Task Unknown_schema_version_is_not_found_and_a_bad_period_is_invalid()
    {
        var schemas = new SchemaService.SchemaServiceClient(server.CreateChannel());

        var unknown = await Assert.ThrowsAsync<RpcException>(() => schemas.GetSchemaAsync(new GetSchemaRequest { Version = "1999.1" }).ResponseAsync);
        var badPeriod = await Assert.ThrowsAsync<RpcException>(() => schemas.GetSchemaAsync(new GetSchemaRequest { Period = "T1-2025" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badPeriod.StatusCode);
    }

    [Fact]
    public async Task Registry_is_seeded_with_the_101_departments_18_regions_and_the_posts()
    {
        var registry = new RegistryService.RegistryServiceClient(server.CreateChannel());

        var regions = await registry.ListRegionsAsync(new ListRegionsRequest());
        var departments = await registry.ListDepartmentsAsync(new ListDepartmentsRequest());
        var occitanie = await registry.ListDepartmentsAsync(new ListDepartmentsRequest { RegionCode = "76" });
        var posts = await registry.ListPostsAsync(new ListPostsRequest());

        Assert.Equal(18, regions.Regions.Count);
        Assert.Equal(101, departments.Departments.Count);
        Assert.Contains(departments.Departments, d => d.Code == "2A");
        Assert.Contains(departments.Departments, d => d.Code == "976");
        Assert.Equal(13, occitanie.Departments.Count);
        Assert.Equal(departments.Departments.Sum(d => d.Population), regions.Regions.Sum(r => r.Population));
        Assert.InRange(posts.Posts.Count, 400, 650);
        Assert.All(departments.Departments, d => Assert.Contains(posts.Posts, p => p.DepartmentCode == d.Code));
    }

    [Fact]
    public async Task Posts_can_be_filtered_by_area_zone_frequency_and_activity()
    {
        var registry = new RegistryService.RegistryServiceClient(server.CreateChannel());
        var closed = TestGrids.ClosedPost;

        var all = (await registry.ListPostsAsync(new ListPostsRequest())).Posts;
        var quarterlyPolice = await registry.ListPostsAsync(new ListPostsRequest { Zone = Zone.Police, Frequency = ReportingFrequency.Quarter });
        var inRegion = await registry.ListPostsAsync(new ListPostsRequest { RegionCode = "94" });
        var activeNow = await registry.ListPostsAsync(new ListPostsRequest { ActiveOn = "2025-06-01" });
        var post = await registry.GetPostAsync(new GetPostRequest { Id = closed.Id });

        Assert.Equal(all.Count(p => p.Zone == Zone.Police && p.Frequency == ReportingFrequency.Quarter), quarterlyPolice.Posts.Count);
        Assert.All(quarterlyPolice.Posts, p => Assert.Equal(Zone.Police, p.Zone));
        Assert.All(inRegion.Posts, p => Assert.Contains(p.DepartmentCode, new[] { "2A", "2B" }));
        Assert.DoesNotContain(activeNow.Posts, p => p.Id == closed.Id);
        Assert.True(activeNow.Posts.Count < all.Count);
        Assert.Equal(closed.ActiveTo!.Value.ToString("yyyy-MM-dd"), post.ActiveTo);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => registry.GetPostAsync(new GetPostRequest { Id = "P-00-000" }).ResponseAsync)).StatusCode);
    }
}
