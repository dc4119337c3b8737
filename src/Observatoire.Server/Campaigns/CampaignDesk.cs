using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Observatoire.Core.Access;
using Observatoire.Core.Campaigns;
using Observatoire.Core.Periods;
using Observatoire.Data;
using Observatoire.Data.Entities;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Audit;
using Observatoire.Server.Grpc;

namespace Observatoire.Server.Campaigns;

/// <summary>What an administrator asks of a period's campaign.</summary>
internal sealed record CampaignChange(string Period, string DepartmentCode, string PostId, string Reason);

/// <summary>Closes and reopens periods (with their audit line, in one transaction) and tells whether a post may still file.</summary>
internal sealed class CampaignDesk(
    ObservatoireDbContext db,
    ConsolidationState consolidation,
    AuditLog audit,
    GridStoreLock writeLock,
    IOptions<CampaignOptions> options,
    IOptions<ConsolidationOptions> consolidationOptions,
    TimeProvider clock)
{
    /// <summary>The code a grid refused for a closed period is counted under, beside the schema's rule codes (metrics).</summary>
    public const string ClosedRuleCode = "SAISIE_CLOSE";

    /// <summary>Refuses with FAILED_PRECONDITION, the reason and whom to ask, when the period is closed for the post.</summary>
    public async Task EnsureOpenAsync(Period period, string postId, string departmentCode, CancellationToken ct)
    {
        var state = await StateAsync(period, postId, departmentCode, ct);
        if (!state.Open)
        {
            throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                $"Saisie close : {state.Reason}. Pour déposer cette grille, demandez la réouverture de la période à {options.Value.Contact}."));
        }
    }

    /// <summary>Whether the post may still file for the period today, and why not.</summary>
    public async Task<CampaignState> StateAsync(Period period, string postId, string departmentCode, CancellationToken ct)
    {
        var decisions = await DecisionsAsync(period, ct);
        return CampaignRules.StateFor(
            period,
            postId,
            departmentCode,
            decisions.Select(Info),
            DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime),
            consolidationOptions.Value.DeadlineDays,
            options.Value.CloseAfterDays);
    }

    /// <summary>The last day a grid of the period is on time.</summary>
    public DateOnly Deadline(Period period) => CampaignRules.Deadline(period, consolidationOptions.Value.DeadlineDays);

    public async Task<Protos.V1.CampaignStatus> ChangeAsync(CampaignChange change, bool close, CallerScope caller, CancellationToken ct)
    {
        var period = ParsePeriod(change.Period);
        var reason = AdminGrpcService.Reason(change.Reason);
        if (reason.Length == 0)
        {
            throw RpcErrors.InvalidField("reason", "MOTIF_ABSENT", "Le motif est obligatoire : il est montré aux postes refusés.");
        }

        if (change.DepartmentCode.Length > 0 && change.PostId.Length > 0)
        {
            throw RpcErrors.InvalidField("post_id", "CIBLE_DOUBLE", "Un département ou un poste, pas les deux.");
        }

        var department = change.DepartmentCode.ToUpperInvariant();
        if (department.Length > 0 && !consolidation.Registry.Departments.ContainsKey(department))
        {
            throw RpcErrors.InvalidField("department_code", "DEPARTEMENT_INCONNU", $"Le département « {change.DepartmentCode} » n'existe pas.");
        }

        if (change.PostId.Length > 0 && !consolidation.Registry.Posts.ContainsKey(change.PostId))
        {
            throw RpcErrors.InvalidField("post_id", "POSTE_INCONNU", $"Le poste « {change.PostId} » n'existe pas dans le registre.");
        }

        var target = change.PostId.Length > 0 ? $"{period} poste {change.PostId}" : department.Length > 0 ? $"{period} département {department}" : $"{period} tous les postes";
        db.CampaignDecisions.Add(new CampaignDecision
        {
            Period = period.ToString(),
            Action = close ? CampaignAction.Close : CampaignAction.Reopen,
            DepartmentCode = department.Length > 0 ? department : null,
            PostId = change.PostId.Length > 0 ? change.PostId : null,
            Reason = reason,
            KeyId = caller.KeyId,
            AtUtc = clock.GetUtcNow().UtcDateTime,
        });
        db.AuditEntries.Add(audit.Entry(caller, close ? AuditActions.CampaignClosed : AuditActions.CampaignReopened, target, change.PostId.Length > 0 ? change.PostId : null, reason));
        using (await writeLock.TakeTurnAsync(ct))
        {
            await db.SaveChangesAsync(ct);
        }

        db.ChangeTracker.Clear();
        return await StatusAsync(period, ct);
    }

    /// <summary>
    /// The period of a campaign request: well formed and within the horizon of queries (no later than next year), so
    /// that its deadline and closing day are dates (a period of 9999 has none) and no decision is stored for a period no
    /// grid can be filed for.
    /// </summary>
    public Period ParsePeriod(string text) =>
        AggregateArguments.ParsePeriod(text, "period", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

    public async Task<Protos.V1.CampaignStatus> StatusAsync(Period period, CancellationToken ct)
    {
        var deadlineDays = consolidationOptions.Value.DeadlineDays;
        var status = new Protos.V1.CampaignStatus
        {
            Period = period.ToString(),
            Deadline = ProtoMapping.Iso(CampaignRules.Deadline(period, deadlineDays)),
            ClosesOn = CampaignRules.ClosesOn(period, deadlineDays, options.Value.CloseAfterDays) is { } closes ? ProtoMapping.Iso(closes) : "",
        };
        foreach (var d in await DecisionsAsync(period, ct))
        {
            status.Decisions.Add(new Protos.V1.CampaignDecision
            {
                At = ProtoMapping.Utc(d.AtUtc),
                Action = d.Action == CampaignAction.Close ? "cloture" : "reouverture",
                DepartmentCode = d.DepartmentCode ?? "",
                PostId = d.PostId ?? "",
                Reason = d.Reason,
                KeyId = d.KeyId,
            });
        }

        return status;
    }

    private async Task<List<CampaignDecision>> DecisionsAsync(Period period, CancellationToken ct)
    {
        var key = period.ToString();
        return await db.CampaignDecisions.AsNoTracking().Where(d => d.Period == key).OrderBy(d => d.Id).ToListAsync(ct);
    }

    private static CampaignDecisionInfo Info(CampaignDecision d) =>
        new(d.Id, d.Action == CampaignAction.Close, d.DepartmentCode, d.PostId, d.Reason);
}
