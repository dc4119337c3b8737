using System.Net;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Data;
using Observatoire.Protos.V1;
using Observatoire.Server.Grpc;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// A NUL character (U+0000) is valid UTF-8 in a protobuf string, and PostgreSQL cannot store it in text. Wherever a
/// client puts one, the call is refused with INVALID_ARGUMENT naming the field, nothing is written, and the server
/// stays in service (before, on PostgreSQL, the database's refusal was taken for a storage failure: UNAVAILABLE, "retry
/// later", for a call that would never succeed). Run on SQLite and, by <c>PostgreSqlNulTextTests</c>, on PostgreSQL.
/// </summary>
public class NulTextTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.CreateChannel());
    private readonly GridService.GridServiceClient _grids = new(server.CreateChannel());

    /// <summary>The server under test, for the suites that add their own checks.</summary>
    protected ServerFixture Server => server;

    [Fact]
    public async Task Text_holding_a_nul_character_is_refused_by_field_and_nothing_is_written()
    {
        var post = TestGrids.MonthlyPost(20);
        var comment = TestGrids.Valid(post.Id, "2025-01", comment: "Mois\0calme");
        var cellKey = TestGrids.Valid(post.Id, "2025-02");
        cellKey.Values["personnes_recues\0"] = 1;
        (string Field, Func<Task> Call)[] calls =
        [
            ("name", () => _admin.CreateKeyAsync(new CreateKeyRequest { Role = Role.Admin, Name = "clé\0" }).ResponseAsync),
            ("post_ids[1]", () => _admin.CreateKeyAsync(new CreateKeyRequest { Role = Role.Poste, PostIds = { post.Id, "P\0" } }).ResponseAsync),
            ("name", () => _admin.UpdatePostAsync(new UpdatePostRequest { Id = post.Id, Name = "Poste\0renommé", Reason = "essai" }).ResponseAsync),
            ("reason", () => _admin.DeactivatePostAsync(new DeactivatePostRequest { Id = post.Id, ActiveTo = "2030-12-31", Reason = "\0" }).ResponseAsync),
            ("reason", () => _admin.CloseCampaignAsync(new CampaignRequest { Period = "2025-03", Reason = "fin\0" }).ResponseAsync),
            ("grid.comment", () => _grids.SubmitGridAsync(TestGrids.Submission(comment)).ResponseAsync),
            ("grid.values[\"personnes_recues?\"]", () => _grids.SubmitGridAsync(TestGrids.Submission(cellKey)).ResponseAsync),
            ("submission_id", () => _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2025-04"), id: "id\0")).ResponseAsync),
            ("client_id", () => _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2025-05"), client: "outil\0")).ResponseAsync),
            ("post_id", () => _grids.GetGridAsync(new GetGridRequest { PostId = "P\0", Period = "2025-01" }).ResponseAsync),
        ];

        var before = await RowsAsync();
        foreach (var (field, call) in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
            Assert.Equal((field, RequestTextGuard.RuleCode), (violation.Field, violation.Reason));
            Assert.Contains("caractère nul", error.Status.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(before, await RowsAsync());
        Assert.Null(server.Services.GetRequiredService<StorageHealth>().Fault);
        var accepted = await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2025-06")));
        Assert.Equal(1, accepted.Revision);
    }

    [Fact]
    public async Task In_a_stream_the_grid_holding_a_nul_character_is_refused_alone()
    {
        var post = TestGrids.MonthlyPost(21).Id;
        SubmitGridRequest[] requests =
        [
            TestGrids.Submission(TestGrids.Valid(post, "2025-01"), "nul-1"),
            TestGrids.Submission(TestGrids.Valid(post, "2025-02", comment: "\0"), "nul-2"),
            TestGrids.Submission(TestGrids.Valid(post, "2025-03"), "nul-3"),
        ];

        var results = await TestGrids.SubmitInOneStreamAsync(_grids, requests);

        Assert.Equal(["OK", "INVALID_ARGUMENT", "OK"], results.Select(r => r.Status));
        Assert.Contains("grid.comment", results[1].Message, StringComparison.Ordinal);
        var stored = await server.QueryAsync(db => db.GridRevisions.Where(g => g.PostId == post).Select(g => g.Period).OrderBy(p => p).ToListAsync());
        Assert.Equal(["2025-01", "2025-03"], stored);
    }

    [Fact]
    public async Task Over_REST_and_on_the_pages_a_nul_character_is_a_bad_request()
    {
        using var rest = server.CreateRestClient();
        var figures = await rest.GetAsync("/v1/figures?area.level=AREA_LEVEL_DEPARTMENT&area.code=3%003&period=2023");
        Assert.Equal(HttpStatusCode.BadRequest, figures.StatusCode);
        Assert.Contains(RequestTextGuard.RuleCode, await figures.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var pages = server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var signIn = await pages.GetAsync("/connexion?ReturnUrl=%2F%00");
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Equal(Observatoire.Server.Web.PageTextGuard.Message, await signIn.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await pages.GetAsync("/connexion?ReturnUrl=%2F")).StatusCode);
    }

    private Task<(int Revisions, int Submissions, int Keys, int Audit, int Decisions)> RowsAsync() =>
        server.QueryAsync(async db => (await db.GridRevisions.CountAsync(), await db.Submissions.CountAsync(), await db.ApiKeys.CountAsync(),
            await db.AuditEntries.CountAsync(), await db.CampaignDecisions.CountAsync()));
}
