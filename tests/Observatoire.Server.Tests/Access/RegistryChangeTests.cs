using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Access;

/// <summary>Registry changes at run time: known to validation, storage and consolidation as soon as the call returns.</summary>
public class RegistryChangeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.CreateChannel());

    private static Area Department(string code) => new() { Level = AreaLevel.Department, Code = code };

    private async Task<int> ContributingAsync(string department, string period)
    {
        var table = await new AggregateService.AggregateServiceClient(server.CreateChannel()).ConsolidateAsync(
            new ConsolidateRequest { Area = Department(department), Period = period, Cells = { "entretiens" }, Disclosure = Disclosure.Raw });
        return table.Provenance.ContributingPosts;
    }

    [Fact]
    public async Task A_post_added_moved_and_closed_at_run_time_is_known_to_every_check_at_once()
    {
        var added = await _admin.AddPostAsync(new AddPostRequest
        {
            Post = new Post { Id = "P-48-900", Name = "Commissariat d'essai", DepartmentCode = "48", Frequency = ReportingFrequency.Month, Zone = Zone.Police, ActiveFrom = "2020-01-01" },
        });
        Assert.Equal("76", added.RegionCode);

        var before = await ContributingAsync("48", "2021-01");
        var grids = new GridService.GridServiceClient(server.CreateChannel(await server.PostKeyAsync("P-48-900")));
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid("P-48-900", "2021-01")));
        Assert.Equal(before + 1, await ContributingAsync("48", "2021-01"));

        await _admin.MovePostAsync(new MovePostRequest { Id = "P-48-900", DepartmentCode = "09", From = "2021-06-01", Reason = "réorganisation" });
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid("P-48-900", "2021-07")));
        var stored = await server.QueryAsync(db => db.GridRevisions.AsNoTracking().SingleAsync(g => g.PostId == "P-48-900" && g.Period == "2021-07"));
        Assert.Equal("09", stored.DepartmentCode);
        Assert.Equal(1, await ContributingAsync("09", "2021-07") - await ContributingAsync("09", "2021-08"));

        await _admin.DeactivatePostAsync(new DeactivatePostRequest { Id = "P-48-900", ActiveTo = "2021-12-31", Reason = "fermeture" });
        var late = await Assert.ThrowsAsync<RpcException>(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid("P-48-900", "2022-02"))).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, late.StatusCode);

        var log = await _admin.ListAuditAsync(new ListAuditRequest { PostId = "P-48-900", Action = "registre." });
        Assert.Equal(["registre.desactivation", "registre.deplacement", "registre.ajout"], log.Entries.Select(e => e.Action));
    }

    [Fact]
    public async Task A_post_that_would_be_another_by_case_a_formula_in_a_spreadsheet_or_a_vanishing_etp_is_refused()
    {
        var existing = TestGrids.MonthlyPost(1);
        async Task<RpcException> RefusedAsync(Post post) =>
            await Assert.ThrowsAsync<RpcException>(() => _admin.AddPostAsync(new AddPostRequest { Post = post }).ResponseAsync);
        Post New(string id, string name, double fte = 1) =>
            new() { Id = id, Name = name, DepartmentCode = "75", Frequency = ReportingFrequency.Month, ActiveFrom = "2020-01-01", Fte = fte };

        Assert.Equal(StatusCode.AlreadyExists, (await RefusedAsync(New(existing.Id.ToLowerInvariant(), "Casse"))).StatusCode);
        var formula = await RefusedAsync(New("P-75-950", "=HYPERLINK(\"http://x\")"));
        Assert.Equal(("post.name", "POSTE_NOM"), Violation(formula));
        Assert.Equal(("post.fte", "POSTE_ETP"), Violation(await RefusedAsync(New("P-75-951", "Minuscule", 1e-300))));

        // Control and bidirectional characters are refused in any text of any request, before the service.
        foreach (var name in new[] { "Poste\u001b]0;titre\u0007", "\u202Eetsop", "Poste\u0085" })
        {
            Assert.Equal(("post.name", "CARACTERE_INTERDIT"), Violation(await RefusedAsync(New("P-75-952", name))));
        }

        Assert.False(await server.QueryAsync(db => db.Posts.AnyAsync(p => p.Id.StartsWith("P-75-95"))));
    }

    private static (string Field, string Reason) Violation(RpcException error)
    {
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations);
        return (violation.Field, violation.Reason);
    }

    [Fact]
    public async Task Registry_changes_are_checked_and_refused_cleanly()
    {
        var existing = TestGrids.MonthlyPost(1);
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => _admin.AddPostAsync(new AddPostRequest
        {
            Post = new Post { Id = existing.Id, Name = "Doublon", DepartmentCode = existing.DepartmentCode, Frequency = ReportingFrequency.Month, ActiveFrom = "2020-01-01" },
        }).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, duplicate.StatusCode);

        var unknownDepartment = await Assert.ThrowsAsync<RpcException>(() => _admin.AddPostAsync(new AddPostRequest
        {
            Post = new Post { Id = "P-99-001", Name = "Nulle part", DepartmentCode = "99", Frequency = ReportingFrequency.Month, ActiveFrom = "2020-01-01" },
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, unknownDepartment.StatusCode);

        var badMove = await Assert.ThrowsAsync<RpcException>(() => _admin.MovePostAsync(new MovePostRequest { Id = existing.Id, DepartmentCode = existing.DepartmentCode, From = "2022-01-01" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badMove.StatusCode);

        await _admin.AddPostAsync(new AddPostRequest { Post = new Post { Id = "P-75-900", Name = "Essai", DepartmentCode = "75", Frequency = ReportingFrequency.Year, ActiveFrom = "2020-01-01" } });
        await _admin.MovePostAsync(new MovePostRequest { Id = "P-75-900", DepartmentCode = "92", From = "2022-01-01" });
        var closedBeforeMove = await Assert.ThrowsAsync<RpcException>(() => _admin.DeactivatePostAsync(new DeactivatePostRequest { Id = "P-75-900", ActiveTo = "2021-06-30" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, closedBeforeMove.StatusCode);
        await _admin.DeactivatePostAsync(new DeactivatePostRequest { Id = "P-75-900", ActiveTo = "2023-12-31" });
        var movedAfterClosing = await Assert.ThrowsAsync<RpcException>(() => _admin.MovePostAsync(new MovePostRequest { Id = "P-75-900", DepartmentCode = "93", From = "2024-06-01" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, movedAfterClosing.StatusCode);

        var unknownPost = await Assert.ThrowsAsync<RpcException>(() => _admin.DeactivatePostAsync(new DeactivatePostRequest { Id = "P-00-000", ActiveTo = "2022-01-01" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknownPost.StatusCode);
    }

    [Fact]
    public async Task A_posts_description_is_corrected_keeping_what_the_request_leaves_empty_and_audited_with_what_changed()
    {
        await _admin.AddPostAsync(new AddPostRequest
        {
            Post = new Post { Id = "P-23-900", Name = "Brigade d'essai", DepartmentCode = "23", Frequency = ReportingFrequency.Quarter, Zone = Zone.Gendarmerie, Fte = 1, ActiveFrom = "2020-01-01" },
        });

        var updated = await _admin.UpdatePostAsync(new UpdatePostRequest { Id = "P-23-900", Name = "  Brigade de Guéret  ", Fte = 0.5, Reason = "coquille" });
        Assert.Equal("Brigade de Guéret", updated.Name);
        Assert.Equal(0.5, updated.Fte);
        Assert.Equal(Zone.Gendarmerie, updated.Zone);
        Assert.Equal(ReportingFrequency.Quarter, updated.Frequency);
        var listed = await new RegistryService.RegistryServiceClient(server.CreateChannel()).GetPostAsync(new GetPostRequest { Id = "P-23-900" });
        Assert.Equal("Brigade de Guéret", listed.Name);

        var log = await _admin.ListAuditAsync(new ListAuditRequest { PostId = "P-23-900", Action = "registre.modification" });
        var entry = Assert.Single(log.Entries);
        Assert.Equal("nom « Brigade d'essai » → « Brigade de Guéret », ETP 1 → 0.5. coquille", entry.Detail);

        foreach (var (request, field) in new[]
        {
            (new UpdatePostRequest { Id = "P-23-900", Fte = 3 }, "fte"),
            (new UpdatePostRequest { Id = "P-23-900", Fte = double.NaN }, "fte"),
            (new UpdatePostRequest { Id = "P-23-900", Name = "   " }, "name"),
            (new UpdatePostRequest { Id = "P-23-900", Name = new string('x', 1000) }, "name"),
            (new UpdatePostRequest { Id = "P-23-900", Zone = Zone.Gendarmerie }, "name"),
        })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => _admin.UpdatePostAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Equal(field, refused.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.Single().Field);
        }

        var unknown = await Assert.ThrowsAsync<RpcException>(() => _admin.UpdatePostAsync(new UpdatePostRequest { Id = "P-00-000", Name = "x" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Single((await _admin.ListAuditAsync(new ListAuditRequest { PostId = "P-23-900", Action = "registre.modification" })).Entries);
    }

    [Fact]
    public async Task Keys_are_refused_for_unknown_posts_or_scopes_and_roles_without_their_parameters()
    {
        foreach (var request in new[]
        {
            new CreateKeyRequest { Role = Role.Poste },
            new CreateKeyRequest { Role = Role.Poste, PostIds = { "P-00-000" } },
            new CreateKeyRequest { Role = Role.Analyste, Scope = "departement:99" },
            new CreateKeyRequest { Role = Role.Analyste, Scope = "partout" },
            new CreateKeyRequest { Role = Role.Rapport, Scope = "national" },
            new CreateKeyRequest { Role = Role.Admin, ExpiresOn = "2001-01-01" },
            new CreateKeyRequest(),
        })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => _admin.CreateKeyAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }
    }
}
