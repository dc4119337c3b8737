using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Audit;
using Observatoire.Server.Campaigns;
using Observatoire.Server.Security;

namespace Observatoire.Server.Grids;

/// <summary>Where a post stands for one period: sent (on time or late), missing, and whether it may still file.</summary>
internal sealed record PostPeriod(Period Period, CubeGrid? Grid, bool Late, DateOnly Deadline, CampaignStateView Campaign)
{
    public string Status => Grid is null
        ? (Campaign.Open ? "manquante" : "manquante, saisie close")
        : Late ? "envoyée en retard" : "envoyée";
}

/// <summary>A campaign's state for a post, as the pages show it.</summary>
internal sealed record CampaignStateView(bool Open, string? Reason);

/// <summary>
/// What the web pages ask about a post's grids: its recent periods with their status, the current grid to
/// correct, and the submission through the same intake as gRPC. Access is the access policy's decision.
/// </summary>
internal sealed class PostPeriods(
    ConsolidationState consolidation,
    SchemaCatalog catalog,
    GridIntake intake,
    CampaignDesk campaigns,
    AuditLog audit,
    TimeProvider clock)
{
    /// <summary>The periods shown in a post's history.</summary>
    public const int HistoryLength = 12;

    public PostInfo? Find(string postId) => consolidation.Registry.Posts.GetValueOrDefault(postId);

    /// <summary>The post's last finished periods, newest first; PERMISSION_DENIED outside the caller's posts.</summary>
    public async Task<IReadOnlyList<PostPeriod>> HistoryAsync(CallerScope caller, PostInfo post, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(post);
        AccessPolicy.ForPostGrids(caller, post.Id).OrDeny();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var last = Period.Containing(today, post.ReportingKind).Previous();
        var rows = new List<PostPeriod>();
        for (var period = last; rows.Count < HistoryLength && post.ActiveDuring(period); period = period.Previous())
        {
            var grid = consolidation.Cube.Find(post.Id, period);
            var deadline = campaigns.Deadline(period);
            var state = await campaigns.StateAsync(period, post.Id, consolidation.Registry.LocationOf(post, period), ct);
            rows.Add(new PostPeriod(period, grid, grid is not null && DateOnly.FromDateTime(grid.FirstReceivedUtc) > deadline, deadline, new CampaignStateView(state.Open, state.Reason)));
        }

        return rows;
    }

    /// <summary>The current grid's values, to correct it (a raw read of the post's own figures, audited as over gRPC).</summary>
    public async Task<IReadOnlyDictionary<string, long>?> CurrentValuesAsync(CallerScope caller, string postId, Period period, CancellationToken ct)
    {
        AccessPolicy.ForPostGrids(caller, postId).OrDeny();
        if (consolidation.Cube.Find(postId, period) is not { } grid || catalog.Find(grid.SchemaVersion) is not { } schema)
        {
            return null;
        }

        await audit.RecordAsync(caller, AuditActions.RawRead, $"{postId} {period} r{grid.Revision}", postId, "web:grille", ct);
        return NormalizedGrid.ToValues(schema, grid.Cells);
    }

    /// <summary>The schema a grid of this period is entered in.</summary>
    public GridSchema SchemaFor(Period period) => catalog.Covering(period) ?? catalog.Latest;

    public Task<ValidationResult> ValidateAsync(CallerScope caller, GridInput grid, CancellationToken ct)
    {
        AccessPolicy.ForSubmission(caller, grid.PostId, historical: false).OrDeny();
        return intake.ValidateAsync(grid, ct);
    }

    /// <summary>Submits as gRPC does; a closed period or an unavailable database comes back as the RpcException gRPC would answer.</summary>
    public async Task<IntakeResult> SubmitAsync(CallerScope caller, GridInput grid, string submissionId, CancellationToken ct)
    {
        AccessPolicy.ForSubmission(caller, grid.PostId, historical: false).OrDeny();
        var result = await intake.SubmitAsync(grid, submissionId, "web", null, caller, ct);
        if (result.Stored is { } stored)
        {
            SubmissionConflict.ThrowIfAny(stored, caller, submissionId);
        }

        return result;
    }
}
