using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Data;
using Observatoire.Data.Entities;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>Grids written together in one transaction: a failing one is undone alone, the others commit once each.</summary>
public class GroupCommitTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_batch_with_a_failing_grid_neither_loses_nor_duplicates_the_others()
    {
        var committer = server.Services.GetRequiredService<GridCommitter>();
        var (a, b, c) = (TestGrids.MonthlyPost(20), TestGrids.MonthlyPost(21), TestGrids.MonthlyPost(22));

        // The failing grid corrects a stored one: undone alone, it leaves revision 1 current, and the next correction is 2.
        var first = await committer.WriteBatchAsync([Write(c, "2023-03", 1, "gc-c1")], CancellationToken.None);
        Assert.Equal(StoreOutcome.Created, (await first[0]).Outcome);

        var outcomes = await committer.WriteBatchAsync(
            [
                Write(a, "2023-01", 1, "gc-a1"),
                Write(b, "2023-01", 1, "gc-b1"),
                Write(c, "2023-03", 2, "gc-c2", failingAudit: true),
                Write(a, "2023-01", 2, "gc-a2"),
                Write(a, "2023-01", 1, "gc-a1"),
                Write(c, "2023-03", 3, "gc-c3"),
            ],
            CancellationToken.None);

        Assert.Equal((StoreOutcome.Created, 1), await Outcome(outcomes[0]));
        Assert.Equal((StoreOutcome.Created, 1), await Outcome(outcomes[1]));
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => outcomes[2]);
        Assert.Equal("audit refusé", failure.Message);
        Assert.Equal((StoreOutcome.Created, 2), await Outcome(outcomes[3]));
        Assert.Equal((StoreOutcome.Replayed, 1), await Outcome(outcomes[4]));
        Assert.Equal((StoreOutcome.Created, 2), await Outcome(outcomes[5]));

        var rows = await server.QueryAsync(async db => await db.GridRevisions.AsNoTracking()
            .Where(g => g.PostId == a.Id || g.PostId == b.Id || g.PostId == c.Id)
            .OrderBy(g => g.PostId).ThenBy(g => g.Period).ThenBy(g => g.Revision)
            .Select(g => new { g.PostId, g.Revision, g.SubmissionId })
            .ToListAsync());
        Assert.Equal(
            [(a.Id, 1, "gc-a1"), (a.Id, 2, "gc-a2"), (b.Id, 1, "gc-b1"), (c.Id, 1, "gc-c1"), (c.Id, 2, "gc-c3")],
            rows.Select(r => (r.PostId, r.Revision, r.SubmissionId)).OrderBy(r => r.PostId, StringComparer.Ordinal).ThenBy(r => r.Revision));
        Assert.Equal(("gc-a2", true), await Stored(a, "2023-01", 0));
        Assert.Equal(("gc-a1", false), await Stored(a, "2023-01", 1));
        Assert.Equal(("gc-c3", true), await Stored(c, "2023-03", 0));

        var submissions = await server.QueryAsync(async db => await db.Submissions.AsNoTracking()
            .Where(s => s.SubmissionId.StartsWith("gc-")).Select(s => s.SubmissionId).ToListAsync());
        Assert.Equal(["gc-a1", "gc-a2", "gc-b1", "gc-c1", "gc-c3"], submissions.Order(StringComparer.Ordinal));

        // One audit line per written grid, in the same transaction: none for the failed grid or the replay.
        var audited = await server.QueryAsync(async db => await db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == "test-group-commit" && e.Detail!.StartsWith("gc-")).Select(e => e.Detail!).ToListAsync());
        Assert.Equal(["gc-a1", "gc-a2", "gc-b1", "gc-c1", "gc-c3"], audited.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_written_together_gives_each_grid_the_outcome_it_would_have_had_alone()
    {
        var committer = server.Services.GetRequiredService<GridCommitter>();
        var (a, b) = (TestGrids.MonthlyPost(24), TestGrids.MonthlyPost(25));
        var before = committer.BatchesWrittenTogether;
        var called = System.Diagnostics.Stopwatch.GetTimestamp();

        var outcomes = await committer.WriteBatchAsync(
            [
                Write(a, "2023-02", 1, "gct-a1"),
                Write(b, "2023-02", 1, "gct-b1"),
                Write(a, "2023-02", 2, "gct-a2"), // same grid: a correction, after its original
                Write(a, "2023-02", 1, "gct-a1"), // a replay
                Write(b, "2023-02", 1, "gct-b1-again"), // the current content under a new id
                Write(b, "2023-02", 3, "gct-a1"), // an id already used for another grid
                Write(a, "2023-02", 3, "gct-a3"),
            ],
            CancellationToken.None);

        Assert.Equal(before + 1, committer.BatchesWrittenTogether);
        Assert.Equal((StoreOutcome.Created, 1), await Outcome(outcomes[0]));
        Assert.Equal((StoreOutcome.Created, 1), await Outcome(outcomes[1]));
        Assert.Equal((StoreOutcome.Created, 2), await Outcome(outcomes[2]));
        Assert.Equal((StoreOutcome.Replayed, 1), await Outcome(outcomes[3]));
        Assert.Equal((StoreOutcome.SameAsCurrent, 1), await Outcome(outcomes[4]));
        Assert.Equal((StoreOutcome.SubmissionIdConflict, 1), await Outcome(outcomes[5]));
        Assert.Equal(a.Id, (await outcomes[5]).Revision.PostId);
        Assert.Equal((StoreOutcome.Created, 3), await Outcome(outcomes[6]));

        // One commit, one instant for all its outcomes (what the storage check before the acknowledgements relies on).
        var committed = Assert.Single((await Task.WhenAll(outcomes)).Select(o => o.CommittedAt).Distinct());
        Assert.True(committed > called);

        var rows = await server.QueryAsync(async db => await db.GridRevisions.AsNoTracking()
            .Where(g => (g.PostId == a.Id || g.PostId == b.Id) && g.Period == "2023-02")
            .Select(g => new { g.PostId, g.Revision, g.SubmissionId, g.ChangeId })
            .ToListAsync());
        Assert.Equal(
            [(a.Id, 1, "gct-a1"), (a.Id, 2, "gct-a2"), (a.Id, 3, "gct-a3"), (b.Id, 1, "gct-b1")],
            rows.Select(r => (r.PostId, r.Revision, r.SubmissionId)).OrderBy(r => r.PostId, StringComparer.Ordinal).ThenBy(r => r.Revision));
        Assert.Equal(("gct-a3", true), await Stored(a, "2023-02", 0));
        Assert.Equal(("gct-a2", false), await Stored(a, "2023-02", 2));
        Assert.Equal(("gct-b1", true), await Stored(b, "2023-02", 1));
        Assert.Single(rows.Select(r => r.ChangeId).Distinct());
        Assert.True(rows[0].ChangeId > 0);

        var submissions = await server.QueryAsync(async db => await db.Submissions.AsNoTracking()
            .Where(s => s.SubmissionId.StartsWith("gct-")).Select(s => new { s.SubmissionId, s.GridRevision.Revision }).ToListAsync());
        Assert.Equal(
            [("gct-a1", 1), ("gct-a2", 2), ("gct-a3", 3), ("gct-b1", 1), ("gct-b1-again", 1)],
            submissions.Select(s => (s.SubmissionId, s.Revision)).OrderBy(s => s.SubmissionId, StringComparer.Ordinal));
        var audited = await server.QueryAsync(async db => await db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == "test-group-commit" && e.Detail!.StartsWith("gct-")).Select(e => e.Detail!).ToListAsync());
        Assert.Equal(["gct-a1", "gct-a2", "gct-a3", "gct-b1", "gct-b1-again"], audited.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_writes_through_the_queue_are_each_stored_once_with_consecutive_revisions()
    {
        var committer = server.Services.GetRequiredService<GridCommitter>();
        var post = TestGrids.MonthlyPost(23);
        var writes = Enumerable.Range(1, 40).Select(i => Write(post, "2022-05", i, $"gcq-{i}")).ToList();

        var outcomes = await Task.WhenAll(writes.Concat(writes.Take(10)).Select(w => committer.WriteAsync(w with { Draft = Copy(w.Draft) }, CancellationToken.None)));

        var created = outcomes.Where(o => o.Outcome == StoreOutcome.Created).Select(o => o.Revision.Revision).Order();
        Assert.Equal(Enumerable.Range(1, 40), created);
        Assert.Equal(10, outcomes.Count(o => o.Outcome == StoreOutcome.Replayed));
        var stored = await server.QueryAsync(async db => await db.GridRevisions.AsNoTracking()
            .Where(g => g.PostId == post.Id && g.Period == "2022-05").Select(g => g.Revision).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 40), stored.Order());
        Assert.Equal(("gcq-40", true), await Stored(post, "2022-05", 0));
        Assert.Equal(("gcq-39", false), await Stored(post, "2022-05", 39));
    }

    /// <summary>What the store reads for a revision (0: the current one): the submission that created it, and whether it is current.</summary>
    private async Task<(string SubmissionId, bool IsCurrent)> Stored(PostRecord post, string period, int revision)
    {
        var committer = server.Services.GetRequiredService<GridCommitter>();
        var stored = await server.QueryAsync(db => new GridStore(db, committer).GetAsync(post.Id, period, revision, CancellationToken.None));
        Assert.NotNull(stored);
        return (stored.Revision.SubmissionId, stored.IsCurrent);
    }

    private static async Task<(StoreOutcome, int)> Outcome(Task<StoreResult> result)
    {
        var stored = await result;
        return (stored.Outcome, stored.Revision.Revision);
    }

    /// <summary>A grid whose content differs by <paramref name="variant"/>; its audit line can be made to fail.</summary>
    private GridWrite Write(PostRecord post, string period, int variant, string submissionId, bool failingAudit = false)
    {
        var schema = server.Services.GetRequiredService<SchemaCatalog>().Latest;
        var cells = new int[schema.Layout.Count];
        cells[0] = variant;
        var parsed = Period.Parse(period);
        var draft = new GridRevision
        {
            PostId = post.Id,
            Period = period,
            PeriodKind = parsed.Kind,
            PeriodStart = parsed.Start,
            PeriodEnd = parsed.End,
            Revision = 0,
            DepartmentCode = post.DepartmentCode,
            SchemaVersion = schema.Version,
            ClientId = "tests",
            SubmissionId = submissionId,
            ContentHash = $"hash-{variant}",
            ReceivedAtUtc = new DateTime(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc),
            Cells = schema.Layout.Encode(cells),
        };
        return new GridWrite(draft, submissionId, (_, _) => failingAudit
            ? throw new InvalidOperationException("audit refusé")
            : new AuditEntry { KeyId = "tests", RemoteAddress = "local", Action = "test-group-commit", Target = period, PostId = post.Id, Detail = submissionId });
    }

    private static GridRevision Copy(GridRevision draft) => new()
    {
        PostId = draft.PostId,
        Period = draft.Period,
        PeriodKind = draft.PeriodKind,
        PeriodStart = draft.PeriodStart,
        PeriodEnd = draft.PeriodEnd,
        Revision = 0,
        DepartmentCode = draft.DepartmentCode,
        SchemaVersion = draft.SchemaVersion,
        ClientId = draft.ClientId,
        SubmissionId = draft.SubmissionId,
        ContentHash = draft.ContentHash,
        ReceivedAtUtc = draft.ReceivedAtUtc,
        Cells = draft.Cells,
    };
}

/// <summary>A stream's grids overlap, but corrections of one grid are taken in the order they were sent.</summary>
public class StreamOrderTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Corrections_sent_in_one_stream_become_revisions_in_the_order_sent()
    {
        var post = TestGrids.MonthlyPost(24).Id;
        var others = Enumerable.Range(1, 9).Select(m => TestGrids.Submission(TestGrids.Valid(post, $"2022-{m:00}"), $"order-other-{m}"));
        var versions = Enumerable.Range(1, 8).Select(v => TestGrids.Submission(TestGrids.Valid(post, "2022-10", $"version {v}"), $"order-v{v}"));
        var requests = others.Zip(versions, (o, v) => new[] { v, o }).SelectMany(p => p).ToList();

        var answers = await TestGrids.SubmitInOneStreamAsync(new Protos.V1.GridService.GridServiceClient(server.CreateChannel()), requests);

        Assert.Equal(requests.Select(r => r.SubmissionId), answers.Select(a => a.SubmissionId));
        Assert.All(answers, a => Assert.Equal("OK", a.Status));
        var revisions = await new Protos.V1.GridService.GridServiceClient(server.CreateChannel())
            .ListRevisionsAsync(new Protos.V1.ListRevisionsRequest { PostId = post, Period = "2022-10" });
        Assert.Equal(Enumerable.Range(1, 8).Select(v => $"order-v{v}"), revisions.Revisions.Select(r => r.SubmissionId));
        var current = await new Protos.V1.GridService.GridServiceClient(server.CreateChannel())
            .GetGridAsync(new Protos.V1.GetGridRequest { PostId = post, Period = "2022-10" });
        Assert.Equal("version 8", current.Grid.Comment);
    }
}
