using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Access;
using Observatoire.Data;
using Observatoire.Data.Entities;

namespace Observatoire.Server.Audit;

/// <summary>Action codes of the audit log.</summary>
public static class AuditActions
{
    public const string Submission = "grille.depot";
    public const string Revision = "grille.revision";
    public const string HistoricalImport = "grille.import_historique";
    public const string RawRead = "lecture.brute";
    public const string KeyCreated = "cle.creation";
    public const string KeyRevoked = "cle.revocation";
    public const string PostAdded = "registre.ajout";
    public const string PostDeactivated = "registre.desactivation";
    public const string PostMoved = "registre.deplacement";
    public const string PostUpdated = "registre.modification";
    public const string CampaignClosed = "campagne.cloture";
    public const string CampaignReopened = "campagne.reouverture";
    public const string Backup = "base.sauvegarde";
    public const string EditionPublished = "edition.publication";
    public const string AccountCreated = "compte.creation";
    public const string AccountPasswordReset = "compte.mot_de_passe";
    public const string AccountUnlocked = "compte.deverrouillage";
    public const string AccountOwnPasswordChanged = "compte.changement_mot_de_passe";

    /// <summary>Every action code, for the audit log's filter.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Submission, Revision, HistoricalImport, RawRead, KeyCreated, KeyRevoked, PostAdded, PostDeactivated, PostMoved, PostUpdated,
        CampaignClosed, CampaignReopened, Backup, EditionPublished, AccountCreated, AccountPasswordReset, AccountUnlocked, AccountOwnPasswordChanged,
    ];
}

/// <summary>What to look for in the audit log.</summary>
public sealed record AuditFilter(string? PostId, string? KeyId, string? Action, DateTime? FromUtc, DateTime? ToUtc, int Limit);

/// <summary>
/// Appends to the audit log (who by key id, when, from where, what) in its own short transaction, in its turn with the
/// grid writer's batches (<see cref="GridStoreLock.TakeTurnAsync"/>). The table refuses UPDATE and DELETE (triggers of the
/// migration).
/// </summary>
public sealed class AuditLog(IServiceScopeFactory scopes, GridStoreLock writeLock, TimeProvider clock)
{
    public async Task RecordAsync(CallerScope caller, string action, string target, string? postId, string? detail, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        db.AuditEntries.Add(Entry(caller, action, target, postId, detail));

        // The read or write it records has happened: record it even if the client has gone (its turn too).
        using (await writeLock.TakeTurnAsync(CancellationToken.None))
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>A new entry, for callers that save it in their own transaction.</summary>
    public AuditEntry Entry(CallerScope caller, string action, string target, string? postId, string? detail) => new()
    {
        AtUtc = clock.GetUtcNow().UtcDateTime,
        KeyId = caller.KeyId,
        RemoteAddress = Truncate(caller.RemoteAddress, DataLimits.RemoteAddress),
        Action = action,
        Target = Truncate(target, DataLimits.AuditTarget),
        PostId = postId is null ? null : Truncate(postId, DataLimits.PostId),
        Detail = detail is null ? null : Truncate(detail, DataLimits.Comment),
    };

    /// <summary>Entries matching the filter, newest first; the flag says more matched than the limit.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, bool Truncated)> ListAsync(AuditFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        var query = db.AuditEntries.AsNoTracking();
        if (filter.PostId is { Length: > 0 } post)
        {
            query = query.Where(a => a.PostId == post);
        }

        if (filter.KeyId is { Length: > 0 } key)
        {
            query = query.Where(a => a.KeyId == key);
        }

        if (filter.Action is { Length: > 0 } action)
        {
            query = action.EndsWith('.') ? query.Where(a => a.Action.StartsWith(action)) : query.Where(a => a.Action == action);
        }

        if (filter.FromUtc is { } from)
        {
            query = query.Where(a => a.AtUtc >= from);
        }

        if (filter.ToUtc is { } to)
        {
            query = query.Where(a => a.AtUtc < to);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(filter.Limit + 1).ToListAsync(ct);
        return (rows.Take(filter.Limit).ToList(), rows.Count > filter.Limit);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
