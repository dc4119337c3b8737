using Google.Rpc;
using Grpc.Core;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

public class GridSubmissionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly GridService.GridServiceClient _grids = new(server.CreateChannel());

    [Fact]
    public async Task Accepted_grid_is_stored_as_revision_one_and_read_back()
    {
        var post = TestGrids.MonthlyPost(0).Id;
        var grid = TestGrids.Valid(post, "2025-01", comment: "Mois calme.");

        var answer = await _grids.SubmitGridAsync(TestGrids.Submission(grid, client: "logiciel-poste"));
        var stored = await _grids.GetGridAsync(new GetGridRequest { PostId = post, Period = "2025-01" });

        Assert.Equal(1, answer.Revision);
        Assert.False(answer.Replayed);
        Assert.Equal(64, answer.ContentHash.Length);
        Assert.True(stored.Current);
        Assert.Equal(grid.Values, stored.Grid.Values);
        Assert.Equal("Mois calme.", stored.Grid.Comment);
        Assert.Equal("logiciel-poste", stored.Revision.ClientId);
        Assert.Equal(answer.ContentHash, stored.Revision.ContentHash);
    }

    [Fact]
    public async Task Same_submission_id_with_same_content_returns_the_original_answer()
    {
        var request = TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(1).Id, "2025-01"));

        var first = await _grids.SubmitGridAsync(request);
        var before = await server.CountRowsAsync();
        var again = await _grids.SubmitGridAsync(request);

        Assert.True(again.Replayed);
        Assert.Equal(first.Revision, again.Revision);
        Assert.Equal(first.ContentHash, again.ContentHash);
        Assert.Equal(first.ReceivedAt, again.ReceivedAt);
        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Fact]
    public async Task Same_submission_id_with_other_content_is_refused_as_already_existing()
    {
        var post = TestGrids.MonthlyPost(2).Id;
        var request = TestGrids.Submission(TestGrids.Valid(post, "2025-01"));
        await _grids.SubmitGridAsync(request);
        var changed = request.Clone();
        changed.Grid.Values["signalements_procureur"] = 2;
        var before = await server.CountRowsAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _grids.SubmitGridAsync(changed).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal(before, await server.CountRowsAsync());
        Assert.Equal(1, (await _grids.GetGridAsync(new GetGridRequest { PostId = post, Period = "2025-01" })).Grid.Values["signalements_procureur"]);
        Assert.Contains($"poste {post}, période 2025-01, révision 1", error.Status.Detail, StringComparison.Ordinal);

        // Another post's key reusing the id learns that it is taken, not which post's grid it names.
        var other = TestGrids.MonthlyPost(9).Id;
        var foreign = TestGrids.Submission(TestGrids.Valid(other, "2025-01"), request.SubmissionId);
        var otherGrids = new GridService.GridServiceClient(server.CreateChannel(await server.PostKeyAsync(other)));
        var refused = await Assert.ThrowsAsync<RpcException>(() => otherGrids.SubmitGridAsync(foreign).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);
        Assert.DoesNotContain(post, refused.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("révision", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resubmitting_identical_grid_returns_same_revision()
    {
        var grid = TestGrids.Valid(TestGrids.MonthlyPost(3).Id, "2025-01");
        var first = await _grids.SubmitGridAsync(TestGrids.Submission(grid));

        // Same content, other key spelling and an explicit zero: still the same grid.
        var respelled = grid.Clone();
        respelled.Values.Remove("personnes_recues[sexe=femme,tranche_age=26_40]");
        respelled.Values["personnes_recues[tranche_age=26_40,sexe=femme]"] = 20;
        respelled.Values["orientations[orientation=logement]"] = 0;
        var second = await _grids.SubmitGridAsync(TestGrids.Submission(respelled));

        Assert.Equal(1, second.Revision);
        Assert.True(second.Replayed);
        Assert.Equal(first.ContentHash, second.ContentHash);
    }

    [Fact]
    public async Task Corrected_grid_becomes_a_new_revision_and_the_old_one_is_kept()
    {
        var post = TestGrids.MonthlyPost(4).Id;
        var original = TestGrids.Valid(post, "2025-02");
        var corrected = original.Clone();
        corrected.Values["file_active_fin"] = 60;

        await _grids.SubmitGridAsync(TestGrids.Submission(original, client: "saisie-initiale"));
        var answer = await _grids.SubmitGridAsync(TestGrids.Submission(corrected, client: "correction"));
        var current = await _grids.GetGridAsync(new GetGridRequest { PostId = post, Period = "2025-02" });
        var first = await _grids.GetGridAsync(new GetGridRequest { PostId = post, Period = "2025-02", Revision = 1 });
        var history = await _grids.ListRevisionsAsync(new ListRevisionsRequest { PostId = post, Period = "2025-02" });

        Assert.Equal(2, answer.Revision);
        Assert.Equal(60, current.Grid.Values["file_active_fin"]);
        Assert.True(current.Current);
        Assert.Equal(55, first.Grid.Values["file_active_fin"]);
        Assert.False(first.Current);
        Assert.Equal([1, 2], history.Revisions.Select(r => r.Revision));
        Assert.Equal(["saisie-initiale", "correction"], history.Revisions.Select(r => r.ClientId));
        Assert.NotEqual(history.Revisions[0].ContentHash, history.Revisions[1].ContentHash);
        Assert.True(history.Revisions[0].ReceivedAt.ToDateTime() <= history.Revisions[1].ReceivedAt.ToDateTime());
    }

    [Fact]
    public async Task Concurrent_corrections_get_distinct_revision_numbers()
    {
        var post = TestGrids.MonthlyPost(5).Id;
        var grids = Enumerable.Range(0, 8).Select(i =>
        {
            var grid = TestGrids.Valid(post, "2025-03");
            grid.Values["file_active_fin"] = 100 + i;
            return grid;
        });

        var answers = await Task.WhenAll(grids.Select(g => _grids.SubmitGridAsync(TestGrids.Submission(g)).ResponseAsync));
        var history = await _grids.ListRevisionsAsync(new ListRevisionsRequest { PostId = post, Period = "2025-03" });

        Assert.Equal(Enumerable.Range(1, 8), answers.Select(a => a.Revision).Order());
        Assert.Equal(8, history.Revisions.Count);
    }

    [Fact]
    public async Task Warnings_are_returned_and_stored_with_the_revision()
    {
        var post = TestGrids.MonthlyPost(6).Id;
        var grid = TestGrids.Valid(post, "2025-01");
        grid.Values.Remove("problematiques[problematique=mineur_en_danger]");

        var answer = await _grids.SubmitGridAsync(TestGrids.Submission(grid));
        var stored = await _grids.GetGridAsync(new GetGridRequest { PostId = post, Period = "2025-01" });

        var warning = Assert.Single(answer.Warnings);
        Assert.Equal("G_IP_SANS_MINEUR_EN_DANGER", warning.RuleCode);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("G_IP_SANS_MINEUR_EN_DANGER", Assert.Single(stored.Warnings).RuleCode);
        Assert.Equal(1, stored.Revision.WarningCount);
    }

    [Fact]
    public async Task The_history_a_grid_is_compared_with_is_the_posts_last_twelve_grids_of_its_kind_before_it()
    {
        // Twenty months before 2024-09: the eight oldest unusually high, the twelve newest ordinary.
        var post = TestGrids.MonthlyPost(60).Id;
        for (var month = 0; month < 20; month++)
        {
            var period = new DateOnly(2023, 1, 1).AddMonths(month);
            var grid = TestGrids.Valid(post, $"{period:yyyy-MM}");
            if (month < 8)
            {
                grid.Values["accompagnements_physiques"] = 400;
            }

            await _grids.SubmitGridAsync(TestGrids.Submission(grid));
        }

        // Later months, unusually high too, are not part of 2024-09's history.
        foreach (var later in new[] { "2024-10", "2024-11", "2024-12", "2025-01" })
        {
            var grid = TestGrids.Valid(post, later);
            grid.Values["accompagnements_physiques"] = 400;
            await _grids.SubmitGridAsync(TestGrids.Submission(grid));
        }

        var unusual = TestGrids.Valid(post, "2024-09");
        unusual.Values["accompagnements_physiques"] = 21;
        var answer = await _grids.SubmitGridAsync(TestGrids.Submission(unusual));

        Assert.Equal("accompagnements_physiques", Assert.Single(answer.Warnings, w => w.RuleCode == "VALEUR_ATYPIQUE").Path);

        // With only five months before it, a grid has no history to be compared with, whatever comes after it.
        var young = TestGrids.MonthlyPost(61).Id;
        foreach (var month in new[] { "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12" })
        {
            await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(young, month)));
        }

        var sixth = TestGrids.Valid(young, "2024-06");
        sixth.Values["accompagnements_physiques"] = 21;
        Assert.DoesNotContain((await _grids.SubmitGridAsync(TestGrids.Submission(sixth))).Warnings, w => w.RuleCode == "VALEUR_ATYPIQUE");
    }

    [Fact]
    public async Task A_value_far_above_the_posts_history_is_flagged_after_six_grids()
    {
        var post = TestGrids.MonthlyPost(7).Id;
        for (var month = 1; month <= 6; month++)
        {
            await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, $"2024-{month:D2}")));
        }

        var unusual = TestGrids.Valid(post, "2024-07");
        unusual.Values["accompagnements_physiques"] = 21;
        var answer = await _grids.SubmitGridAsync(TestGrids.Submission(unusual));

        var warning = Assert.Single(answer.Warnings);
        Assert.Equal("VALEUR_ATYPIQUE", warning.RuleCode);
        Assert.Equal("accompagnements_physiques", warning.Path);
    }

    [Fact]
    public async Task Validate_reports_violations_and_stores_nothing()
    {
        var grid = TestGrids.Valid(TestGrids.MonthlyPost(8).Id, "2025-01", comment: "appeler le 06 12 34 56 78");
        grid.Values["entretiens"] = 69;
        var before = await server.CountRowsAsync();

        var answer = await _grids.ValidateGridAsync(new ValidateGridRequest { Grid = grid });
        var valid = await _grids.ValidateGridAsync(new ValidateGridRequest { Grid = TestGrids.Valid(TestGrids.MonthlyPost(8).Id, "2025-01") });

        Assert.False(answer.Valid);
        Assert.Equal(["ANONYMAT_TELEPHONE", "E_MODALITES_SOMME"], answer.Violations.Select(v => v.RuleCode).Order());
        Assert.Equal("caractères 12 à 25", answer.Violations.Single(v => v.RuleCode == "ANONYMAT_TELEPHONE").MatchedText);
        Assert.True(valid.Valid);
        Assert.Empty(valid.Violations);
        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Fact]
    public async Task Unknown_revision_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _grids.GetGridAsync(new GetGridRequest { PostId = TestGrids.MonthlyPost(0).Id, Period = "2019-01", Revision = 3 }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Bulk_submission_answers_each_grid_in_order_and_a_rejection_does_not_stop_the_stream()
    {
        var post = TestGrids.MonthlyPost(9).Id;
        var bad = TestGrids.Valid(post, "2025-05");
        bad.Values["personnes_recues"] = 41;
        var requests = new[]
        {
            TestGrids.Submission(TestGrids.Valid(post, "2025-03"), "bulk-1"),
            TestGrids.Submission(TestGrids.Valid(post, "2025-04"), "bulk-2"),
            TestGrids.Submission(bad, "bulk-3"),
            TestGrids.Submission(TestGrids.Valid(post, "2025-06"), "bulk-4"),
        };

        var results = await TestGrids.SubmitInOneStreamAsync(_grids, requests);

        Assert.Equal(["bulk-1", "bulk-2", "bulk-3", "bulk-4"], results.Select(r => r.SubmissionId));
        Assert.Equal(["OK", "OK", "INVALID_ARGUMENT", "OK"], results.Select(r => r.Status));
        Assert.Contains(results[2].Violations, v => v.RuleCode == "B_STATUT_SOMME");
        Assert.Equal("2025-06", results[3].Response.Period);
        var stored = await server.QueryAsync(db => Task.FromResult(db.GridRevisions.Count(g => g.PostId == post)));
        Assert.Equal(3, stored);
    }

    [Fact]
    public async Task Rejected_grid_answers_with_a_bad_request_detail()
    {
        var grid = TestGrids.Valid(TestGrids.MonthlyPost(10).Id, "2025-01");
        grid.Values["personnes_nouvelles"] = 50;

        var error = await Assert.ThrowsAsync<RpcException>(() => _grids.SubmitGridAsync(TestGrids.Submission(grid)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.Contains(badRequest.FieldViolations, f => f.Field == "personnes_nouvelles" && f.Reason == "A_NOUVELLES_INFERIEURES_RECUES");
        Assert.Contains(badRequest.FieldViolations, f => f.Field == "personnes_nouvelles[origine=*]" && f.Reason == "D_ORIGINE_SOMME");
        Assert.All(badRequest.FieldViolations, f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));
    }
}
