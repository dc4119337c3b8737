using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Observatoire.Core.Periods;
using Observatoire.Data.PostgreSql;
using Observatoire.Protos.V1;
using Observatoire.Server.Aggregates;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests;

/// <summary>
/// Two server instances, each with its own writer, cube and caches, on one PostgreSQL database (as behind a load
/// balancer): the database numbers revisions, and each instance learns the other's grids before it answers.
/// </summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlTwoInstanceTests(PostgreSqlServerFixture first) : IClassFixture<PostgreSqlServerFixture>
{
    [Fact]
    public async Task Concurrent_corrections_through_two_instances_neither_lose_nor_duplicate_a_revision()
    {
        const int clientsPerInstance = 8;
        const int perClient = 4;
        var second = first.OtherInstance();
        var post = TestGrids.MonthlyPost(30).Id;
        var instances = new[] { first.CreateChannel(), ServerFixture.ChannelTo(second) };
        var requests = Enumerable.Range(0, 2 * clientsPerInstance * perClient)
            .Select(i =>
            {
                var grid = TestGrids.Valid(post, "2023-09");
                grid.Values["file_active_fin"] = 200 + i; // every submission a different content
                return TestGrids.Submission(grid, $"deux-instances-{i}");
            })
            .ToList();

        // Half the clients on each instance, all at once; then each submission sent again through the other instance.
        var answers = (await Task.WhenAll(Enumerable.Range(0, 2 * clientsPerInstance).Select(async c =>
        {
            var client = new GridService.GridServiceClient(instances[c % 2]);
            var mine = new List<SubmitGridResponse>();
            for (var k = 0; k < perClient; k++)
            {
                mine.Add(await client.SubmitGridAsync(requests[c * perClient + k]));
            }

            return mine;
        }))).SelectMany(m => m).ToList();
        var replays = await Task.WhenAll(Enumerable.Range(0, 2 * clientsPerInstance).Select(c =>
            new GridService.GridServiceClient(instances[(c + 1) % 2]).SubmitGridAsync(requests[c * perClient]).ResponseAsync));

        var total = requests.Count;
        Assert.Equal(Enumerable.Range(1, total), answers.Select(a => a.Revision).Order());
        Assert.All(answers, a => Assert.False(a.Replayed));
        var byContent = answers.ToDictionary(a => a.ContentHash, a => a.Revision);
        Assert.All(replays, r => Assert.True(r.Replayed));
        Assert.All(replays, r => Assert.Equal(byContent[r.ContentHash], r.Revision));

        foreach (var channel in instances)
        {
            var revisions = await new GridService.GridServiceClient(channel).ListRevisionsAsync(new ListRevisionsRequest { PostId = post, Period = "2023-09" });
            Assert.Equal(Enumerable.Range(1, total), revisions.Revisions.Select(r => r.Revision));
            Assert.Equal(requests.Select(r => r.SubmissionId).Order(StringComparer.Ordinal), revisions.Revisions.Select(r => r.SubmissionId).Order(StringComparer.Ordinal));
            var current = await new GridService.GridServiceClient(channel).GetGridAsync(new GetGridRequest { PostId = post, Period = "2023-09" });
            Assert.Equal(total, current.Revision.Revision);
        }

        // Both cubes hold the last revision: the post's own figures agree on either instance.
        var raw = new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Post, Code = post }, Period = "2023-09", Cells = { "file_active_fin" }, Disclosure = Disclosure.Raw,
        };
        var last = await new GridService.GridServiceClient(instances[0]).GetGridAsync(new GetGridRequest { PostId = post, Period = "2023-09" });
        foreach (var channel in instances)
        {
            var figures = await new AggregateService.AggregateServiceClient(channel).ConsolidateAsync(raw);
            Assert.Equal(last.Grid.Values["file_active_fin"], figures.Figures.Single(f => f.Cell == "file_active_fin").Value);
        }
    }

    [Fact]
    public async Task A_grid_acknowledged_by_one_instance_is_in_the_next_query_on_the_other()
    {
        var second = first.OtherInstance();
        var posts = TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode == "33").Select(p => p.Id).ToList();
        var request = new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Department, Code = "33" }, Period = "2023-04", Cells = { "entretiens" }, Disclosure = Disclosure.Raw,
        };
        var onFirst = new AggregateService.AggregateServiceClient(first.CreateChannel());
        var onSecond = new AggregateService.AggregateServiceClient(ServerFixture.ChannelTo(second));

        // Both instances are up and have answered (their figures are cached) before the grid arrives.
        var before = await onSecond.ConsolidateAsync(request);
        await onFirst.ConsolidateAsync(request);
        await new GridService.GridServiceClient(first.CreateChannel()).SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(posts[0], "2023-04")));
        var after = await onSecond.ConsolidateAsync(request);

        Assert.Equal(0, before.Provenance.ContributingPosts);
        Assert.Equal(1, after.Provenance.ContributingPosts);
        Assert.Equal(70, after.Figures.Single(f => f.Cell == "entretiens").Value);

        // A correction made on the second instance is the next answer of the first.
        var corrected = TestGrids.Valid(posts[0], "2023-04");
        corrected.Values["entretiens"] = 71;
        corrected.Values["entretiens[modalite=telephonique]"] = 21;
        await new GridService.GridServiceClient(ServerFixture.ChannelTo(second)).SubmitGridAsync(TestGrids.Submission(corrected));
        Assert.Equal(71, (await onFirst.ConsolidateAsync(request)).Figures.Single(f => f.Cell == "entretiens").Value);
    }

    [Fact]
    public async Task A_page_download_of_one_instance_shows_the_grid_acknowledged_by_the_other()
    {
        var second = first.OtherInstance();
        var post = TestGrids.OpenPosts(ReportingFrequency.Month).First(p => p.DepartmentCode == "13");
        using var browser = second.CreateClient();
        browser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServerFixture.AdminKey);
        async Task<string> MarseilleAsync()
        {
            var csv = await browser.GetStringAsync("/analyse/carte.csv?periode=2023-06&indicateur=entretiens");
            return csv.Split("\r\n").Single(line => line.StartsWith("13;", StringComparison.Ordinal));
        }

        // The second instance has drawn its map (its figures are cached) before the grid reaches the first.
        var before = await MarseilleAsync();
        await new GridService.GridServiceClient(first.CreateChannel()).SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2023-06")));
        var after = await MarseilleAsync();

        Assert.EndsWith(";sans_donnee", before);
        Assert.DoesNotContain("sans_donnee", after);
    }

    [Fact]
    public async Task Stopping_an_instance_loses_nothing_it_acknowledged()
    {
        var survivor = first.OtherInstance();
        var post = TestGrids.MonthlyPost(31).Id;
        var periods = new[] { "2023-01", "2023-02", "2023-03" };
        var stopped = first.OtherInstance();
        var client = new GridService.GridServiceClient(ServerFixture.ChannelTo(stopped));
        var acknowledged = new List<SubmitGridResponse>();
        foreach (var period in periods)
        {
            acknowledged.Add(await client.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, period))));
        }

        await stopped.DisposeAsync();

        var reader = new GridService.GridServiceClient(ServerFixture.ChannelTo(survivor));
        foreach (var (period, answer) in periods.Zip(acknowledged))
        {
            var stored = await reader.GetGridAsync(new GetGridRequest { PostId = post, Period = period });
            Assert.Equal(answer.ContentHash, stored.Revision.ContentHash);
        }

        var year = await new AggregateService.AggregateServiceClient(ServerFixture.ChannelTo(survivor)).ConsolidateAsync(new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Post, Code = post }, Period = "2023-T1", Cells = { "entretiens" }, Disclosure = Disclosure.Raw,
        });
        Assert.Equal(3 * 70, year.Figures.Single(f => f.Cell == "entretiens").Value);
    }

    [Fact]
    public async Task Another_instances_grid_is_pushed_in_at_its_commit_and_caught_up_after_the_notifications_are_lost()
    {
        var second = first.OtherInstance();
        var listener = second.Services.GetRequiredService<ChangeListener>();
        var cube = second.Services.GetRequiredService<ConsolidationState>().Cube;
        await UntilAsync(() => listener.Listening, "the second instance listens");
        var grids = new GridService.GridServiceClient(first.CreateChannel());
        var post = TestGrids.MonthlyPost(32).Id;

        // No call reaches the second instance: the notification alone brings the grid into its cube.
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2022-02")));
        await UntilAsync(() => cube.Find(post, Period.Parse("2022-02")) is not null, "the grid pushed at its commit");

        // The listening connection dropped (a failover, a restart of the database's proxy): what is committed before
        // it listens again is caught up by change id as it reconnects.
        await using (var admin = new NpgsqlConnection(first.ConnectionString))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()", admin);
            terminate.Parameters.AddWithValue("name", PostgreSqlChangeNotifications.ApplicationName);
            await terminate.ExecuteNonQueryAsync();
        }

        await UntilAsync(() => !listener.Listening, "the lost connection noticed");
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2022-03")));
        await UntilAsync(() => cube.Find(post, Period.Parse("2022-03")) is not null, "the grid committed while not listening");
        Assert.True(listener.Listening);
    }

    [Fact]
    public async Task An_instance_reads_the_others_grids_from_the_feed_and_steps_over_its_own()
    {
        var second = first.OtherInstance();
        var mine = first.Services.GetRequiredService<GridFeedFollower>();
        var theirs = second.Services.GetRequiredService<GridFeedFollower>();
        var post = TestGrids.MonthlyPost(33).Id;
        var year = new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Post, Code = post }, Period = "2021", Cells = { "entretiens" }, Disclosure = Disclosure.Raw,
        };
        var onFirst = new AggregateService.AggregateServiceClient(first.CreateChannel());
        var onSecond = new AggregateService.AggregateServiceClient(ServerFixture.ChannelTo(second));
        await onFirst.ConsolidateAsync(year);
        await onSecond.ConsolidateAsync(year);
        var (skipped, read, readByOther) = (mine.OwnChangesSkipped, mine.RevisionsRead, theirs.RevisionsRead);

        // Six grids, one commit each, through the first instance; then a query on each.
        var grids = new GridService.GridServiceClient(first.CreateChannel());
        for (var month = 1; month <= 6; month++)
        {
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, $"2021-{month:00}")));
        }

        Assert.Equal(6 * 70, (await onFirst.ConsolidateAsync(year)).Figures.Single(f => f.Cell == "entretiens").Value);
        Assert.Equal(6 * 70, (await onSecond.ConsolidateAsync(year)).Figures.Single(f => f.Cell == "entretiens").Value);

        // The other instance read the six; the writer's own were stepped over. One may be read back all the same when
        // its notification outran the writer's word that it committed (it is then found known and left as it is).
        Assert.Equal(6, theirs.RevisionsRead - readByOther);
        Assert.InRange(mine.RevisionsRead - read, 0, 1);
        Assert.InRange(mine.OwnChangesSkipped - skipped, 5, 6);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within 60 s: {what}.");
            await Task.Delay(20);
        }
    }
}
