using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Data;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// A client that stops waiting once its grid is queued (a deadline, a dropped connection) does not undo the write:
/// the grid commits with its batch, and the live figures must show it as the database holds it, then and after the
/// client tries again with the same submission id.
/// </summary>
public class AbandonedSubmissionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_grid_whose_client_gave_up_while_it_waited_for_the_writer_is_in_the_figures()
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var writeLock = server.Services.GetRequiredService<GridStoreLock>();
        var post = TestGrids.MonthlyPost(6);
        var request = TestGrids.Submission(TestGrids.Valid(post.Id, "2022-09"));
        var read = new ConsolidateRequest { Area = new Area { Level = AreaLevel.Post, Code = post.Id }, Period = "2022-09", Disclosure = Disclosure.Raw };
        Assert.Equal(0, (await aggregates.ConsolidateAsync(read)).Provenance.GridsUsed);

        // The writer is busy with a batch while the client's deadline runs out: the grid is queued, its client gone.
        AsyncUnaryCall<SubmitGridResponse> call;
        await writeLock.Semaphore.WaitAsync();
        try
        {
            call = grids.SubmitGridAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(1500));
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            writeLock.Semaphore.Release();
        }

        // Over a network the client hears DEADLINE_EXCEEDED from its own timer, or CANCELLED when the server's deadline
        // passed first and reset the stream. In process its call may also stay open until the handler ends, and then hear
        // the late answer: never another status.
        var late = await Record.ExceptionAsync(() => call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(late is null || late is RpcException e && InProcessStatus.Of(e) is StatusCode.DeadlineExceeded or StatusCode.Cancelled, $"{late}");

        // The batch commits once the writer is free; the database then holds the grid...
        var stored = await WaitForRevisionAsync(post.Id, "2022-09");
        Assert.Equal(request.SubmissionId, stored);

        // ...and so do the figures, once the handler that stored it has gone on (nobody waits for it: its client has
        // gone, and the commit is visible to a reader a moment before the figures are), and after the client's retry
        // (a replay of the stored answer).
        Assert.Equal(1, await GridsUsedOnceSettledAsync(aggregates, read));
        var replay = await grids.SubmitGridAsync(request);
        Assert.True(replay.Replayed);
        Assert.Equal(1, replay.Revision);
        var figures = await aggregates.ConsolidateAsync(read);
        Assert.Equal(1, figures.Provenance.GridsUsed);
        Assert.Equal(replay.ReceivedAt, figures.Provenance.DataAsOf);
    }

    [Fact]
    public async Task Grids_given_up_at_random_instants_leave_the_live_figures_those_of_a_cold_start()
    {
        var department = TestGrids.MonthlyPost(9).DepartmentCode;
        var posts = TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode == department).ToList();
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var random = new Random(29);

        // All at once, each with a deadline of 1 to 40 ms: some run out before the grid is read, some while it waits for
        // the writer, some not at all.
        var requests = posts.SelectMany(p => Enumerable.Range(1, 11).Select(m => TestGrids.Submission(TestGrids.Valid(p.Id, $"2025-{m:00}")))).ToList();
        var outcomes = await Task.WhenAll(requests.Select(async request =>
        {
            try
            {
                await grids.SubmitGridAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(random.Next(1, 40)));
                return (Code: StatusCode.OK, Detail: "");
            }
            catch (RpcException e)
            {
                return (Code: InProcessStatus.Of(e), e.Status.Detail);
            }
        }));
        // The in-process client may fail on its own side when it aborts a call being started ("Error starting gRPC
        // call"); the server's own answers are checked: never INTERNAL, UNKNOWN or another failure.
        Assert.All(outcomes, o => Assert.True(
            o.Code is StatusCode.OK or StatusCode.DeadlineExceeded or StatusCode.Cancelled
                || (o.Code == StatusCode.Internal && o.Detail.StartsWith("Error starting gRPC call", StringComparison.Ordinal)),
            $"{o.Code} {o.Detail}"));
        Assert.Contains(outcomes, o => o.Code == StatusCode.DeadlineExceeded);

        // The clients send again what they did not hear back about, with the same ids (as the outbox does).
        for (var i = 0; i < requests.Count; i++)
        {
            if (outcomes[i].Code != StatusCode.OK)
            {
                Assert.Equal(1, (await grids.SubmitGridAsync(requests[i])).Revision);
            }
        }

        await ColdStartFigures.AssertSameAsLiveAsync(server, department);
    }

    /// <summary>The grids used by the figures, asked until they count one or 30 s have passed.</summary>
    private static async Task<int> GridsUsedOnceSettledAsync(AggregateService.AggregateServiceClient aggregates, ConsolidateRequest read)
    {
        var used = 0;
        for (var attempt = 0; attempt < 300 && used == 0; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(100);
            }

            used = (await aggregates.ConsolidateAsync(read)).Provenance.GridsUsed;
        }

        return used;
    }

    private async Task<string> WaitForRevisionAsync(string postId, string period)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var ids = await server.QueryAsync(db => db.GridRevisions.AsNoTracking()
                .Where(g => g.PostId == postId && g.Period == period).Select(g => g.SubmissionId).ToListAsync());
            if (ids.Count > 0)
            {
                return Assert.Single(ids);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No revision of {postId} {period} after 30 s.");
    }
}
