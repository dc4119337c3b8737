using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Data;

/// <summary>Reads what consolidation keeps in memory: the registry and every current grid.</summary>
public static class ConsolidationLoader
{
    public static async Task<RegistrySnapshot> LoadRegistryAsync(ObservatoireDbContext db, CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking().ToListAsync(ct);
        var posts = await db.Posts.AsNoTracking().Include(p => p.Assignments).ToListAsync(ct);
        return new RegistrySnapshot(
            regions.Select(r => new RegionInfo(r.Code, r.Name, r.Population)),
            departments.Select(d => new DepartmentInfo(d.Code, d.Name, d.RegionCode, d.Population, d.Latitude, d.Longitude)),
            posts.Select(p => new PostInfo(
                p.Id,
                p.Name,
                p.DepartmentCode,
                p.Zone,
                p.Fte,
                p.Frequency,
                p.ActiveFrom,
                p.ActiveTo,
                [.. p.Assignments.OrderBy(a => a.ValidFrom).Select(a => new PostLocation(a.DepartmentCode, a.ValidFrom, a.ValidTo))])));
    }

    /// <summary>Fills the cube with every current revision, keeping when each grid was first received.</summary>
    public static Task<int> LoadCubeAsync(ObservatoireDbContext db, SchemaCatalog catalog, GridCube cube, CancellationToken ct)
    {
        var received = db.GridRevisions.AsNoTracking();
        return FillAsync(received, received.Where(g => g.IsCurrent), catalog, cube, ct);
    }

    /// <summary>
    /// When the last revision received by <paramref name="asOf"/> arrived, or null when none had: the figures as of any
    /// instant from then until <paramref name="asOf"/> are the same, so this instant names them (a cache key).
    /// </summary>
    public static async Task<DateTime?> LastReceivedByAsync(ObservatoireDbContext db, DateTime asOf, CancellationToken ct) =>
        await db.GridRevisions.AsNoTracking()
            .Where(g => g.ReceivedAtUtc <= asOf)
            .MaxAsync(g => (DateTime?)g.ReceivedAtUtc, ct);

    /// <summary>
    /// A cube of the grids as they were at <paramref name="asOf"/>: for each post and period, the latest revision
    /// received by then (every revision is kept), with when its first revision arrived.
    /// </summary>
    public static async Task<GridCube> LoadCubeAsOfAsync(ObservatoireDbContext db, SchemaCatalog catalog, DateTime asOf, CancellationToken ct)
    {
        var cube = new GridCube();
        var received = db.GridRevisions.AsNoTracking().Where(g => g.ReceivedAtUtc <= asOf);
        var latest = received.Where(g => !received.Any(later => later.PostId == g.PostId && later.Period == g.Period && later.Revision > g.Revision));
        await FillAsync(received, latest, catalog, cube, ct);
        return cube;
    }

    /// <summary>Applies the <paramref name="chosen"/> revisions to the cube, each with when the first of its grid's <paramref name="received"/> revisions arrived.</summary>
    private static async Task<int> FillAsync(
        IQueryable<Entities.GridRevision> received, IQueryable<Entities.GridRevision> chosen, SchemaCatalog catalog, GridCube cube, CancellationToken ct)
    {
        var firstReceived = await received
            .GroupBy(g => new { g.PostId, g.Period })
            .Select(g => new { g.Key.PostId, g.Key.Period, First = g.Min(x => x.ReceivedAtUtc) })
            .ToDictionaryAsync(g => (g.PostId, g.Period), g => g.First, ct);
        var count = 0;
        await foreach (var row in chosen
            .Select(g => new { g.PostId, g.Period, g.SchemaVersion, g.Cells, g.Revision, g.ReceivedAtUtc })
            .AsAsyncEnumerable()
            .WithCancellation(ct))
        {
            var schema = catalog.Find(row.SchemaVersion)
                ?? throw new InvalidDataException($"Grid {row.PostId} {row.Period} uses unknown schema version {row.SchemaVersion}.");
            cube.Apply(new CubeGrid(
                row.PostId,
                Period.Parse(row.Period),
                row.SchemaVersion,
                schema.Layout.Decode(row.Cells),
                row.Revision,
                firstReceived.GetValueOrDefault((row.PostId, row.Period), row.ReceivedAtUtc),
                row.ReceivedAtUtc));
            count++;
        }

        return count;
    }
}
