using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Logging;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

/// <summary>
/// Two instances on one database that were not given the same grid folder: the one that does not know a version
/// another stored says so (UNAVAILABLE, REST 503, with what to do) rather than serve figures without that grid.
/// </summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlGridFolderTests(PostgreSqlServerFixture first) : IClassFixture<PostgreSqlServerFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("observatoire-grilles-pg-").FullName;

    [Fact]
    public async Task An_instance_without_the_grid_folder_is_unavailable_once_another_stored_a_grid_of_it()
    {
        SchemaFolderTests.WriteNextGrid(_folder);
        var figures = new AggregateService.AggregateServiceClient(first.CreateChannel());
        var national = new ConsolidateRequest { Area = new Area { Level = AreaLevel.National }, Period = "2026-03", Disclosure = Disclosure.Raw };
        Assert.Equal(0, (await figures.ConsolidateAsync(national)).Provenance.GridsUsed);

        using var second = first.OtherInstance(("Schemas:Directory", _folder));
        var grid = SchemaFolderTests.FiledOnNextGrid(TestGrids.MonthlyPost(2).Id, "2026-03");
        Assert.Equal(1, (await new GridService.GridServiceClient(ServerFixture.ChannelTo(second)).SubmitGridAsync(TestGrids.Submission(grid))).Revision);
        Assert.Equal(1, (await new AggregateService.AggregateServiceClient(ServerFixture.ChannelTo(second)).ConsolidateAsync(national)).Provenance.GridsUsed);

        var refused = await Assert.ThrowsAsync<RpcException>(() => figures.ConsolidateAsync(national).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("2026.1", refused.Status.Detail);
        Assert.Contains("Schemas:Directory", refused.Status.Detail);

        using var rest = first.CreateRestClient();
        var answer = await rest.GetAsync(new Uri("/v1/figures?area.level=AREA_LEVEL_NATIONAL&period=2026-03", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Contains("2026.1", await answer.Content.ReadAsStringAsync());

        // A load balancer stops sending it calls: the health service says NOT_SERVING, as long as it runs.
        var health = new Health.HealthClient(first.CreateChannel());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(ServerFixture.ChannelTo(second)).CheckAsync(new HealthCheckRequest())).Status);

        // Its change listener, pushed the other's commit, stops with one error that says what to do, not as a lost
        // connection retried for ever.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!first.Logs.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("2026.1", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var stopped = Assert.Single(first.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("2026.1", StringComparison.Ordinal) && e.Category.EndsWith("ChangeListener", StringComparison.Ordinal));
        Assert.Contains("Schemas:Directory", stopped.Message);
        Assert.DoesNotContain(first.Logs.Entries, e => e.Message.StartsWith("Change notifications lost", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
