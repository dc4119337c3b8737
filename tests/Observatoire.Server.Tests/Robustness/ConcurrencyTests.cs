using Grpc.Core;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>Many clients on the same post and period at once: every revision numbered once, none lost, replays answered alike.</summary>
public class ConcurrencyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Concurrent_submissions_for_one_post_and_period_get_consistent_revisions()
    {
        const int clients = 12;
        const int perClient = 3;
        var post = TestGrids.MonthlyPost(9).Id;
        var requests = Enumerable.Range(0, clients * perClient)
            .Select(i =>
            {
                var grid = TestGrids.Valid(post, "2023-06");
                grid.Values["file_active_fin"] = 100 + i; // every submission a different content
                return TestGrids.Submission(grid, $"concurrent-{i}", $"client-{i % clients}");
            })
            .ToList();

        // Each client sends its own grids at the same time as the others, then replays one of another client's.
        var channels = Enumerable.Range(0, clients).Select(_ => new GridService.GridServiceClient(server.CreateChannel())).ToList();
        var created = (await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var mine = new List<SubmitGridResponse>();
            for (var k = 0; k < perClient; k++)
            {
                mine.Add(await channels[c].SubmitGridAsync(requests[c * perClient + k]));
            }

            return mine;
        }))).SelectMany(m => m).ToList();
        var replays = await Task.WhenAll(Enumerable.Range(0, clients).Select(c =>
            channels[c].SubmitGridAsync(requests[((c + 1) % clients) * perClient]).ResponseAsync));

        var revisions = await new GridService.GridServiceClient(server.CreateChannel())
            .ListRevisionsAsync(new ListRevisionsRequest { PostId = post, Period = "2023-06" });

        Assert.Equal(Enumerable.Range(1, clients * perClient), created.Select(r => r.Revision).Order());
        Assert.All(created, r => Assert.False(r.Replayed));
        Assert.Equal(Enumerable.Range(1, clients * perClient), revisions.Revisions.Select(r => r.Revision));
        Assert.Equal(
            requests.Select(r => r.SubmissionId).Order(StringComparer.Ordinal),
            revisions.Revisions.Select(r => r.SubmissionId).Order(StringComparer.Ordinal));

        // A replay answers with the revision its first submission created.
        var byContent = created.ToDictionary(r => r.ContentHash, r => r.Revision);
        Assert.All(replays, r => Assert.True(r.Replayed));
        Assert.All(replays, r => Assert.Equal(byContent[r.ContentHash], r.Revision));

        var current = await new GridService.GridServiceClient(server.CreateChannel()).GetGridAsync(new GetGridRequest { PostId = post, Period = "2023-06" });
        Assert.Equal(clients * perClient, current.Revision.Revision);
        Assert.True(current.Current);
    }

    [Fact]
    public async Task The_same_submission_id_sent_by_many_clients_at_once_is_stored_once()
    {
        var post = TestGrids.MonthlyPost(10).Id;
        var request = TestGrids.Submission(TestGrids.Valid(post, "2023-07"), "une-seule-fois");
        var before = await server.CountRowsAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            new GridService.GridServiceClient(server.CreateChannel()).SubmitGridAsync(request).ResponseAsync));

        Assert.All(answers, a => Assert.Equal(1, a.Revision));
        Assert.Single(answers, a => !a.Replayed);
        Assert.Equal((before.Revisions + 1, before.Submissions + 1), await server.CountRowsAsync());
    }
}
