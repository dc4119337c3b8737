using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// Streams are bounded: a stream of grids left idle is closed once every grid sent is answered, a document left unread
/// is dropped, and a key holds a bounded number of each open at once (the rate limit counts calls as they begin, not
/// how long they stay).
/// </summary>
public sealed class OpenStreamTests
{
    [Fact]
    public async Task An_idle_stream_is_closed_after_answering_every_grid_sent()
    {
        using var server = new ServerFixture();
        server.Settings["Security:StreamIdleSeconds"] = "1";
        var post = TestGrids.MonthlyPost(9);
        var key = await server.PostKeyAsync(post.Id);
        using var call = new GridService.GridServiceClient(server.CreateChannel(key)).SubmitGrids();

        // Grids half a second apart keep it open past the idle limit: only waiting for the next one counts.
        for (var month = 1; month <= 4; month++)
        {
            await call.RequestStream.WriteAsync(TestGrids.Submission(TestGrids.Valid(post.Id, $"2020-{month:00}")));
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal("OK", call.ResponseStream.Current.Status);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        var started = DateTime.UtcNow;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(patience.Token));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("sans grille reçue", error.Status.Detail, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(4, await server.QueryAsync(db => db.GridRevisions.CountAsync(g => g.PostId == post.Id)));
    }

    [Fact]
    public async Task A_key_holds_a_bounded_number_of_streams_and_gets_its_place_back_when_one_ends()
    {
        using var server = new ServerFixture();
        server.Settings["Security:MaxOpenStreamsPerKey"] = "2";
        var post = TestGrids.MonthlyPost(10);
        var key = await server.PostKeyAsync(post.Id);
        var grids = new GridService.GridServiceClient(server.CreateChannel(key));
        var other = new GridService.GridServiceClient(server.CreateChannel(await server.PostKeyAsync(TestGrids.MonthlyPost(11).Id)));

        using var first = await OpenAsync(grids, post.Id, "2020-01");
        using var second = await OpenAsync(grids, post.Id, "2020-02");
        using var third = grids.SubmitGrids();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            // Refused before it reads: the client may learn it as it writes, or as it reads.
            await third.RequestStream.WriteAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2020-03")));
            await third.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("2 flux", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await server.QueryAsync(db => db.GridRevisions.CountAsync(g => g.PostId == post.Id && g.Period == "2020-03")));

        // Another key is not held back by this one; and an ended stream gives its place back.
        using var elsewhere = await OpenAsync(other, TestGrids.MonthlyPost(11).Id, "2020-01");
        await first.RequestStream.CompleteAsync();
        Assert.False(await first.ResponseStream.MoveNext(CancellationToken.None));
        using var fourth = await OpenAsync(grids, post.Id, "2020-04");
    }

    [Fact]
    public async Task A_document_left_unread_is_dropped_and_a_key_holds_a_bounded_number_of_them()
    {
        using var server = new ServerFixture();
        server.Settings["Security:StalledReaderSeconds"] = "2";
        server.Settings["Security:MaxOpenStreamsPerKey"] = "1";
        var reports = new ReportService.ReportServiceClient(server.CreateChannel(await server.ReportKeyAsync()));
        var request = new GenerateAnnualReportRequest { Year = 2020 };

        // Asked and never read: the server waits for room in the stream, holding the document.
        using var unread = reports.GenerateAnnualReport(request);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var second = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = reports.GenerateAnnualReport(request);
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.Equal(StatusCode.ResourceExhausted, second.StatusCode);
        Assert.Contains("documents en cours d'envoi", second.Status.Detail, StringComparison.Ordinal);

        // Past the stall the call is dropped: what the reader finds is a broken call, not the rest of the document.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!server.Logs.Entries.Any(e => e.Message.Contains("read nothing for 2 s", StringComparison.Ordinal)) && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        await Assert.ThrowsAsync<RpcException>(() => ReportChunks.ReadAsync(unread));

        // Its place is given back: the same key's next document comes whole.
        var (pdf, summary) = await ReportChunks.ReadAsync(reports.GenerateAnnualReport(request));
        Assert.Equal(summary.Bytes, pdf.Length);
    }

    [Fact]
    public async Task A_key_has_a_bounded_number_of_reports_drawn_at_once_and_other_keys_are_not_held_back()
    {
        using var server = new ServerFixture();
        using var hold = PlanHold.On(server);
        server.Settings["Security:MaxReportsPerKey"] = "1";
        var post = TestGrids.MonthlyPost(12);
        await new GridService.GridServiceClient(server.CreateChannel()).SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2021-05")));
        var reports = new ReportService.ReportServiceClient(server.CreateChannel(await server.ReportKeyAsync()));
        var admin = new ReportService.ReportServiceClient(server.CreateChannel());
        var request = new GenerateAnnualReportRequest { Year = 2021 };

        await hold.HoldAsync();
        Task<(byte[] Bytes, ReportSummary Summary)> first, other;
        try
        {
            // A national report is being drawn (its plans held, as a large year's take time)...
            first = ReportChunks.ReadAsync(reports.GenerateAnnualReport(request));
            await Task.Delay(TimeSpan.FromMilliseconds(500));

            // ...a second from the same key is refused at once, a bilan too; another key's is drawn.
            var second = await Assert.ThrowsAsync<RpcException>(() => ReportChunks.ReadAsync(reports.GenerateAnnualReport(request)));
            Assert.Equal(StatusCode.ResourceExhausted, second.StatusCode);
            Assert.Contains("1 rapports ou bilans en préparation", second.Status.Detail, StringComparison.Ordinal);
            var bilan = await Assert.ThrowsAsync<RpcException>(() => ReportChunks.ReadAsync(reports.GeneratePostBilan(new GeneratePostBilanRequest { PostId = post.Id, Year = 2021 })));
            Assert.Equal(StatusCode.ResourceExhausted, bilan.StatusCode);
            other = ReportChunks.ReadAsync(admin.GenerateAnnualReport(request));
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.False(other.IsCompleted);
            Assert.False(first.IsCompleted);
        }
        finally
        {
            hold.Release();
        }

        var (pdf, summary) = await first.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(summary.Bytes, pdf.Length);
        var drawn = await other.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(drawn.Summary.Bytes, drawn.Bytes.Length);

        // Its place is given back when the report is sent.
        Assert.Equal(summary.Bytes, (await ReportChunks.ReadAsync(reports.GenerateAnnualReport(request))).Bytes.Length);
    }

    [Fact]
    public async Task Streams_of_the_services_that_need_no_key_are_bounded_per_address()
    {
        using var server = new ServerFixture();
        server.Settings["Security:MaxOpenStreamsPerKey"] = "3";
        var anonymous = new global::Grpc.Health.V1.Health.HealthClient(server.CreateChannel(apiKey: null));
        var watches = new List<AsyncServerStreamingCall<global::Grpc.Health.V1.HealthCheckResponse>>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var watch = anonymous.Watch(new global::Grpc.Health.V1.HealthCheckRequest());
                Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
                watches.Add(watch);
            }

            // Without a key no rate limit applies: a fourth from the same address is refused, reflection's too.
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var fourth = anonymous.Watch(new global::Grpc.Health.V1.HealthCheckRequest());
                await fourth.ResponseStream.MoveNext(CancellationToken.None);
            });
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
            Assert.Contains("flux de santé ou de réflexion", refused.Status.Detail, StringComparison.Ordinal);
            var reflection = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(server.CreateChannel(apiKey: null));
            var listing = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var call = reflection.ServerReflectionInfo();
                await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
                await call.ResponseStream.MoveNext(CancellationToken.None);
            });
            Assert.Equal(StatusCode.ResourceExhausted, listing.StatusCode);

            // A key is counted apart from the address; unary checks are not streams; a closed watch gives its place back.
            using var keyed = new global::Grpc.Health.V1.Health.HealthClient(server.CreateChannel()).Watch(new global::Grpc.Health.V1.HealthCheckRequest());
            Assert.True(await keyed.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, (await anonymous.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest())).Status);
            watches[0].Dispose();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    using var again = anonymous.Watch(new global::Grpc.Health.V1.HealthCheckRequest());
                    Assert.True(await again.ResponseStream.MoveNext(CancellationToken.None));
                    break;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
        }
        finally
        {
            watches.ForEach(w => w.Dispose());
        }
    }

    private static async Task<AsyncDuplexStreamingCall<SubmitGridRequest, SubmitGridResult>> OpenAsync(GridService.GridServiceClient client, string postId, string period)
    {
        var call = client.SubmitGrids();
        await call.RequestStream.WriteAsync(TestGrids.Submission(TestGrids.Valid(postId, period)));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("OK", call.ResponseStream.Current.Status);
        return call;
    }
}
