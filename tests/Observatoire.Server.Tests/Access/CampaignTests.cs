using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Access;

/// <summary>A server whose periods close 30 days after their deadline.</summary>
public sealed class ClosingServer : IDisposable
{
    public ClosingServer()
    {
        Server.Settings["Campaigns:CloseAfterDays"] = "30";
    }

    public ServerFixture Server { get; } = new();

    public void Dispose() => Server.Dispose();
}

/// <summary>Campaigns: periods close by themselves or by decision, reopen for a post or a department, and never block an admin import.</summary>
public class CampaignTests(ClosingServer closing) : IClassFixture<ClosingServer>
{
    private readonly ServerFixture _server = closing.Server;
    private static readonly Observatoire.Data.PostRecord First = TestGrids.OpenPosts(ReportingFrequency.Month)[2];
    private static readonly Observatoire.Data.PostRecord Elsewhere = TestGrids.OpenPosts(ReportingFrequency.Month).First(p => p.DepartmentCode != First.DepartmentCode);

    private static string LastMonth()
    {
        var today = DateTime.UtcNow;
        return new DateTime(today.Year, today.Month, 1).AddMonths(-1).ToString("yyyy-MM");
    }

    private async Task<GridService.GridServiceClient> PostClientAsync(string postId) =>
        new(_server.CreateChannel(await _server.PostKeyAsync(postId)));

    private static async Task<RpcException> ClosedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("demandez la réouverture de la période à l'administration nationale", error.Status.Detail);
        return error;
    }

    [Fact]
    public async Task A_period_long_past_its_deadline_is_closed_until_reopened_for_a_department()
    {
        var post = await PostClientAsync(First.Id);
        var (before, _) = await _server.CountRowsAsync();
        var error = await ClosedAsync(() => post.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(First.Id, "2021-01"))).ResponseAsync);
        Assert.Contains("est close depuis le 2021-03-18 (30 jours après l'échéance du 2021-02-15)", error.Status.Detail);
        Assert.Equal(before, (await _server.CountRowsAsync()).Revisions);

        var admin = new AdminService.AdminServiceClient(_server.CreateChannel());
        await admin.ReopenCampaignAsync(new CampaignRequest { Period = "2021-01", DepartmentCode = First.DepartmentCode, Reason = "grilles retrouvées" });
        await post.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(First.Id, "2021-01")));

        var other = await PostClientAsync(Elsewhere.Id);
        await ClosedAsync(() => other.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(Elsewhere.Id, "2021-01"))).ResponseAsync);

        var status = await admin.GetCampaignAsync(new GetCampaignRequest { Period = "2021-01" });
        Assert.Equal("2021-03-18", status.ClosesOn);
        Assert.Equal("reouverture", Assert.Single(status.Decisions).Action);
    }

    [Fact]
    public async Task An_admin_closes_an_open_period_early_and_reopens_it_for_one_post_with_a_reason()
    {
        var period = LastMonth();
        var post = await PostClientAsync(Elsewhere.Id);
        var admin = new AdminService.AdminServiceClient(_server.CreateChannel());
        await admin.CloseCampaignAsync(new CampaignRequest { Period = period, Reason = "consolidation annuelle" });

        var error = await ClosedAsync(() => post.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(Elsewhere.Id, period))).ResponseAsync);
        Assert.Contains("consolidation annuelle", error.Status.Detail);

        await admin.ReopenCampaignAsync(new CampaignRequest { Period = period, PostId = Elsewhere.Id, Reason = "oubli signalé" });
        await post.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(Elsewhere.Id, period)));

        var log = await admin.ListAuditAsync(new ListAuditRequest { Action = "campagne." });
        Assert.Contains(log.Entries, e => e.Action == "campagne.cloture" && e.Target == $"{period} tous les postes" && e.Detail == "consolidation annuelle");
        Assert.Contains(log.Entries, e => e.Action == "campagne.reouverture" && e.PostId == Elsewhere.Id);

        var missingReason = await Assert.ThrowsAsync<RpcException>(() => admin.CloseCampaignAsync(new CampaignRequest { Period = period }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, missingReason.StatusCode);
    }

    [Fact]
    public async Task An_admin_historical_import_is_not_blocked_by_closing_and_is_audited()
    {
        var grids = new GridService.GridServiceClient(_server.CreateChannel());
        var request = TestGrids.Submission(TestGrids.Valid(Elsewhere.Id, "2020-02"));
        request.ReceivedAt = Timestamp.FromDateTime(new DateTime(2020, 3, 10, 0, 0, 0, DateTimeKind.Utc));

        var stored = await grids.SubmitGridAsync(request);

        Assert.Equal(1, stored.Revision);
        var log = await new AdminService.AdminServiceClient(_server.CreateChannel()).ListAuditAsync(new ListAuditRequest { PostId = Elsewhere.Id, Action = "grille.import_historique" });
        Assert.Contains(log.Entries, e => e.Target == $"{Elsewhere.Id} 2020-02 r1");
    }

    [Fact]
    public async Task A_campaign_period_past_the_horizon_is_refused_on_its_field_and_nothing_is_decided()
    {
        var admin = new AdminService.AdminServiceClient(_server.CreateChannel());
        var decisionsBefore = await _server.QueryAsync(db => db.CampaignDecisions.CountAsync());
        var tooFar = (DateTime.UtcNow.Year + 2).ToString(System.Globalization.CultureInfo.InvariantCulture);

        // The last year of the calendar too: its deadline would be past the last date there is.
        foreach (var period in new[] { "9999", "9999-12", "9999-T4", tooFar })
        {
            foreach (var call in new Func<Task>[]
            {
                () => admin.GetCampaignAsync(new GetCampaignRequest { Period = period }).ResponseAsync,
                () => admin.CloseCampaignAsync(new CampaignRequest { Period = period, Reason = "essai" }).ResponseAsync,
                () => admin.ReopenCampaignAsync(new CampaignRequest { Period = period, Reason = "essai" }).ResponseAsync,
            })
            {
                var error = await Assert.ThrowsAsync<RpcException>(call);
                Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
                var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations);
                Assert.Equal(("period", "PERIODE_HORS_HORIZON"), (violation.Field, violation.Reason));
            }
        }

        Assert.Equal(decisionsBefore, await _server.QueryAsync(db => db.CampaignDecisions.CountAsync()));

        // Next year is within the horizon: its status has a deadline.
        var next = (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"{DateTime.UtcNow.Year + 2}-", (await admin.GetCampaignAsync(new GetCampaignRequest { Period = next })).Deadline);
    }
}
