using System.Net;
using Grpc.Core;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// Requests waiting for suppression plans each block a thread until the plans are made: a key holds a bounded number of
/// them, a request that hangs up gives its place (and its thread) back, and figures already protected are never refused.
/// </summary>
public sealed class PlanWaitTests
{
    private static RenderChartRequest Chart() => new()
    {
        Kind = ChartKind.Ranking,
        Area = new Area { Level = AreaLevel.National },
        Cell = "personnes_nouvelles",
        Period = "2021",
        Format = ImageFormat.Svg,
    };

    [Fact]
    public async Task A_key_has_a_bounded_number_of_requests_waiting_for_plans_and_one_that_hangs_up_gives_its_place_back()
    {
        using var server = new ServerFixture();
        using var hold = PlanHold.On(server);
        server.Settings["Security:MaxOpenStreamsPerKey"] = "3";
        server.Settings["Security:RateLimitPermits"] = "0";
        var post = TestGrids.MonthlyPost(12);
        await new GridService.GridServiceClient(server.CreateChannel()).SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2021-05")));
        var reportKey = await server.ReportKeyAsync();
        var reports = new ReportService.ReportServiceClient(server.CreateChannel(reportKey));
        var other = new ReportService.ReportServiceClient(server.CreateChannel(await server.AnalystKeyAsync("national")));

        await hold.HoldAsync();
        List<Task<RenderChartResponse>> waiting;
        Task<RenderChartResponse> otherKey;
        try
        {
            // Forty charts of a year whose plans are being made: three wait, the others are refused at once.
            using var hangUp = new CancellationTokenSource();
            var first = Enumerable.Range(0, 40).Select(_ => reports.RenderChartAsync(Chart(), cancellationToken: hangUp.Token).ResponseAsync).ToList();
            for (var waited = 0; waited < 200 && first.Count(c => c.IsCompleted) < 37; waited++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var ended = first.Where(c => c.IsCompleted).ToList();
            Assert.Equal(37, ended.Count);
            foreach (var call in ended)
            {
                var e = await Assert.ThrowsAsync<RpcException>(() => call);
                Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
                Assert.Contains("Déjà 3 demandes de cette clé ou de ce compte attendent que le secret statistique", e.Status.Detail, StringComparison.Ordinal);
            }

            // The bound is the key's: another key's chart waits.
            otherKey = other.RenderChartAsync(Chart()).ResponseAsync;

            // Over REST too, refused with 429.
            var rest = await server.CreateRestClient(reportKey).GetAsync("/v1/figures?area.level=AREA_LEVEL_DEPARTMENT&area.code=" + post.DepartmentCode + "&period=2021");
            Assert.Equal(HttpStatusCode.TooManyRequests, rest.StatusCode);

            // The three waiting hang up: their places are given back at once, not when the plans are made.
            hangUp.Cancel();
            foreach (var call in first.Where(c => !ended.Contains(c)))
            {
                var e = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(TimeSpan.FromSeconds(20)));
                Assert.Equal(StatusCode.Cancelled, e.StatusCode);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300));
            waiting = Enumerable.Range(0, 3).Select(_ => reports.RenderChartAsync(Chart()).ResponseAsync).ToList();
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.All(waiting, call => Assert.False(call.IsCompleted));
            Assert.False(otherKey.IsCompleted);
        }
        finally
        {
            hold.Release();
        }

        // Once the plans are made the waiting charts are drawn, and charts of protected figures are never refused.
        foreach (var call in waiting.Append(otherKey))
        {
            Assert.StartsWith("image/svg", (await call.WaitAsync(TimeSpan.FromMinutes(2))).ContentType, StringComparison.Ordinal);
        }

        var again = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => reports.RenderChartAsync(Chart()).ResponseAsync));
        Assert.All(again, chart => Assert.NotEmpty(chart.Image));
    }
}
