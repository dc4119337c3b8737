using Grpc.Core;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Editions;

/// <summary>
/// Figures as of an instant not in memory are loaded from the database, dropping another cube: one key may have a
/// bounded number loaded in a minute, so that a reader asking instant after instant cannot keep the server loading and
/// everyone's figures at those instants withheld.
/// </summary>
public class AsOfLoadTests
{
    [Fact]
    public async Task A_key_loads_a_bounded_number_of_instants_a_minute_the_same_instant_counting_once_and_other_keys_apart()
    {
        using var server = new ServerFixture();
        server.Settings["Consolidation:AsOfLoadsPerKeyPerMinute"] = "2";
        server.Settings["Consolidation:AsOfCubes"] = "1";
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var publisher = new EditionService.EditionServiceClient(server.CreateChannel(await server.ReportKeyAsync()));
        var posts = TestGrids.OpenPosts(ReportingFrequency.Month).Take(3).ToList();
        var editions = new List<Edition>();
        for (var i = 0; i < 3; i++)
        {
            // A grid between editions: three cut-offs naming different revisions, hence three cubes.
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(posts[i].Id, "2021-04")));
            editions.Add(await publisher.PublishEditionAsync(new PublishEditionRequest { Year = 2021, Edition = $"2026-0{i + 1}" }));
        }

        var analyst = new AggregateService.AggregateServiceClient(server.CreateChannel(await server.AnalystKeyAsync("national")));
        ConsolidateRequest At(Edition edition) => new()
        {
            Area = new Area { Level = AreaLevel.National },
            Period = "2021-04",
            Cells = { "entretiens" },
            AsOf = edition.CutOff,
        };

        // A map reads many areas at once at an instant: it counts once.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => analyst.ConsolidateAsync(At(editions[0])).ResponseAsync));
        await analyst.ConsolidateAsync(At(editions[1]));

        // The first instant again (dropped meanwhile, one cube kept) counts no more; a third instant is refused.
        await analyst.ConsolidateAsync(At(editions[0]));
        var refused = await Assert.ThrowsAsync<RpcException>(() => analyst.ConsolidateAsync(At(editions[2])).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Matches("2 instants différents en une minute.*Réessayez dans [0-9]+ s", refused.Status.Detail);

        // Another key is not held back by this one.
        var other = new AggregateService.AggregateServiceClient(server.CreateChannel(await server.AnalystKeyAsync("national")));
        var answer = await other.ConsolidateAsync(At(editions[2]));
        Assert.NotEmpty(answer.Figures);
    }
}
