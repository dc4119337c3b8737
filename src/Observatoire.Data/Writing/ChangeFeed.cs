using Microsoft.EntityFrameworkCore;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>
/// Where the database's changes stand: the latest grid change id (<see cref="GridChangeFeed"/>) and the registry's
/// version (<see cref="RegistryVersion"/>). An instance that has applied both is up to date with every other.
/// </summary>
public readonly record struct FeedPosition(long GridChange, long Registry);

/// <summary>The two halves of the change feed, read and written together.</summary>
public static class ChangeFeed
{
    /// <summary>The latest grid change id and registry version, in one round trip (two index lookups).</summary>
    public static async Task<FeedPosition> PositionAsync(ObservatoireDbContext db, CancellationToken ct)
    {
        var position = await db.RegistryVersions.AsNoTracking()
            .Where(r => r.Id == RegistryVersion.RowId)
            .Select(r => new { Grids = db.GridRevisions.Max(g => (long?)g.ChangeId), r.Version })
            .SingleAsync(ct);
        return new FeedPosition(position.Grids ?? 0, position.Version);
    }

    /// <summary>
    /// Bumps the registry's version; called first in the transaction of a registry change. The row stays locked until
    /// that transaction ends, so registry changes made through several instances take their turn, each seeing the
    /// one before, and the new version is visible exactly when the change is.
    /// </summary>
    public static Task BumpRegistryAsync(ObservatoireDbContext db, CancellationToken ct) =>
        db.RegistryVersions
            .Where(r => r.Id == RegistryVersion.RowId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Version, r => r.Version + 1), ct);
}
