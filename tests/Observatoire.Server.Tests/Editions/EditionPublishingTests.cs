using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Editions;

/// <summary>
/// Editions cost a national report and every export of a year each: they are made one at a time, a short queue waits
/// its turn and more are refused, and their list is bounded, newest first, or asked by name.
/// </summary>
public class EditionPublishingTests
{
    [Fact]
    public async Task Editions_are_published_one_at_a_time_two_more_wait_their_turn_and_a_fourth_is_refused()
    {
        using var server = new ServerFixture();
        using var hold = PlanHold.On(server);
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        foreach (var post in TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode == "33"))
        {
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2021")));
        }

        var publisher = new EditionService.EditionServiceClient(server.CreateChannel(await server.ReportKeyAsync()));
        var admin = new EditionService.EditionServiceClient(server.CreateChannel());
        await hold.HoldAsync();
        List<Task<Edition>> published;
        try
        {
            // The first is made (held in its plans, as a large year's would take), the next two wait their turn.
            published = [.. Enumerable.Range(1, 3).Select(i => publisher.PublishEditionAsync(new PublishEditionRequest { Year = 2021, Edition = $"file-{i}" }).ResponseAsync)];
            await Task.Delay(1000);

            // Whoever asks, a fourth is refused at once, naming why; nothing of it is stored.
            var refused = await Assert.ThrowsAsync<RpcException>(() => admin.PublishEditionAsync(new PublishEditionRequest
            {
                Year = 2021,
                Edition = "file-4",
                AsOf = Timestamp.FromDateTime(DateTime.UtcNow.AddMinutes(-1)),
            }).ResponseAsync);
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
            Assert.Contains("une à la fois", refused.Status.Detail, StringComparison.Ordinal);
            Assert.All(published, p => Assert.False(p.IsCompleted));
        }
        finally
        {
            hold.Release();
        }

        var editions = await Task.WhenAll(published).WaitAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(["file-1", "file-2", "file-3"], editions.Select(e => e.Name).Order(StringComparer.Ordinal));
        var listed = await admin.ListEditionsAsync(new ListEditionsRequest());
        Assert.Equal(["file-1", "file-2", "file-3"], listed.Editions.Select(e => e.Name).Order(StringComparer.Ordinal));

        // The queue is free again: the fourth is published now.
        Assert.Equal("file-4", (await publisher.PublishEditionAsync(new PublishEditionRequest { Year = 2021, Edition = "file-4" })).Name);
    }

    [Fact]
    public async Task An_edition_is_not_published_while_a_plan_of_its_year_fails_since_its_files_would_not_regenerate()
    {
        var failure = Path.Combine(Path.GetTempPath(), $"obs-fail-{Guid.NewGuid():N}");
        using var server = new ServerFixture();
        server.Settings[Observatoire.Server.Aggregates.SecrecyPlanningEvents.FailPlansKey] = failure;
        server.Settings["Consolidation:PlanRetrySeconds"] = "0";
        server.Settings["Consolidation:WarmYears"] = "0";
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        foreach (var post in TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode == "35"))
        {
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2021")));
        }

        var publisher = new EditionService.EditionServiceClient(server.CreateChannel(await server.ReportKeyAsync()));
        await File.WriteAllTextAsync(failure, "");
        try
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => publisher.PublishEditionAsync(new PublishEditionRequest { Year = 2021, Edition = "2026-04" }).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            Assert.Contains("Rien n'est publié", refused.Status.Detail, StringComparison.Ordinal);
            Assert.Empty((await publisher.ListEditionsAsync(new ListEditionsRequest())).Editions);
        }
        finally
        {
            File.Delete(failure);
        }

        // The cause gone, the same edition is published, and regenerates with its checksums.
        var edition = await publisher.PublishEditionAsync(new PublishEditionRequest { Year = 2021, Edition = "2026-04" });
        var reports = new ReportService.ReportServiceClient(server.CreateChannel());
        var export = await ReportChunks.ReadAsync(reports.ExportFigures(new ExportFiguresRequest { Format = ExportFormat.Csv, Level = AreaLevel.Department, Period = "2021", AsOf = edition.CutOff }));
        Assert.Equal(edition.Files.Single(f => f.FileName == export.Summary.FileName).Sha256, export.Summary.Sha256);
    }

    [Fact]
    public async Task The_list_of_editions_is_bounded_newest_first_says_when_there_are_more_and_finds_one_by_name()
    {
        using var server = new ServerFixture();
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var post = TestGrids.OpenPosts(ReportingFrequency.Month).First(p => p.DepartmentCode == "35");
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2021-04")));
        var editions = new EditionService.EditionServiceClient(server.CreateChannel(await server.ReportKeyAsync()));
        foreach (var name in new[] { "2026-01", "2026-02", "2026-03" })
        {
            await editions.PublishEditionAsync(new PublishEditionRequest { Year = 2021, Edition = name });
        }

        var two = await editions.ListEditionsAsync(new ListEditionsRequest { Limit = 2 });
        Assert.Equal(["2026-03", "2026-02"], two.Editions.Select(e => e.Name));
        Assert.True(two.Truncated);
        var all = await editions.ListEditionsAsync(new ListEditionsRequest());
        Assert.Equal(["2026-03", "2026-02", "2026-01"], all.Editions.Select(e => e.Name));
        Assert.False(all.Truncated);
        Assert.NotEmpty(all.Editions[2].Files);

        var named = await editions.ListEditionsAsync(new ListEditionsRequest { Edition = " 2026-01 " });
        Assert.Equal(all.Editions[2], Assert.Single(named.Editions));
        Assert.Empty((await editions.ListEditionsAsync(new ListEditionsRequest { Edition = new string('a', 5000) })).Editions);
        Assert.Empty((await editions.ListEditionsAsync(new ListEditionsRequest { Edition = "2026-01", Year = 2020 })).Editions);

        foreach (var limit in new[] { -1, 1001 })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => editions.ListEditionsAsync(new ListEditionsRequest { Limit = limit }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        }
    }
}
