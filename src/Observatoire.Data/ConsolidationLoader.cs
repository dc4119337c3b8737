using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Data;

/// <summary>
/// Where the figures as of an instant stand: the last grid revision received by then (null when none) and the last
/// post version recorded by then (<see cref="Entities.PostVersion.Id"/>, 0 when none).
/// </summary>
public readonly record struct AsOfPosition(DateTime? LastReceived, long RegistryVersion);

/// <summary>Reads what consolidation keeps in memory: the registry and every current grid, today's or as of an instant.</summary>
public static class ConsolidationLoader
{
    /// <summary>Today's registry: the posts as they stand.</summary>
    public static async Task<RegistrySnapshot> LoadRegistryAsync(ObservatoireDbContext db, CancellationToken ct)
    {
        var posts = await db.Posts.AsNoTracking().Include(p => p.Assignments).ToListAsync(ct);
        return await SnapshotAsync(
            db,
            posts.Select(p => new PostInfo(
                p.Id,
                p.Name,
                p.DepartmentCode,
                p.Zone,
                p.Fte,
                p.Frequency,
                p.ActiveFrom,
                p.ActiveTo,
                [.. p.Assignments.OrderBy(a => a.ValidFrom).Select(a => new PostLocation(a.DepartmentCode, a.ValidFrom, a.ValidTo))])),
            ct);
    }

    /// <summary>
    /// The registry as it stood after the post version <paramref name="lastVersion"/> (<see cref="PositionAtAsync"/>):
    /// each post's latest version up to it; a post whose first version is later did not exist yet. Regions and
    /// departments are reference data, never changed once seeded.
    /// </summary>
    public static async Task<RegistrySnapshot> LoadRegistryAsOfAsync(ObservatoireDbContext db, long lastVersion, CancellationToken ct)
    {
        var recorded = db.PostVersions.AsNoTracking().Where(v => v.Id <= lastVersion);
        var latest = await recorded
            .Where(v => !recorded.Any(later => later.PostId == v.PostId && later.Id > v.Id))
            .ToListAsync(ct);
        return await SnapshotAsync(db, latest.Select(RegistryHistory.ToPostInfo), ct);
    }

    /// <summary>
    /// What the figures as of <paramref name="asOf"/> are made of, in one round trip: when the last grid revision
    /// received by then arrived (null when none had) and the last post version recorded by then (0 when none; a
    /// baseline version counts at every instant). Every instant with the same position has the same figures: a cache key.
    /// </summary>
    public static async Task<AsOfPosition> PositionAtAsync(ObservatoireDbContext db, DateTime asOf, CancellationToken ct)
    {
        var position = await db.RegistryVersions.AsNoTracking()
            .Where(r => r.Id == Entities.RegistryVersion.RowId)
            .Select(r => new
            {
                Grids = db.GridRevisions.Where(g => g.ReceivedAtUtc <= asOf).Max(g => (DateTime?)g.ReceivedAtUtc),
                Posts = db.PostVersions.Where(v => v.Baseline || v.RecordedAtUtc <= asOf).Max(v => (long?)v.Id),
            })
            .SingleAsync(ct);
        return new AsOfPosition(position.Grids, position.Posts ?? 0);
    }

    private static async Task<RegistrySnapshot> SnapshotAsync(ObservatoireDbContext db, IEnumerable<PostInfo> posts, CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking().ToListAsync(ct);
        return new RegistrySnapshot(
            regions.Select(r => new RegionInfo(r.Code, r.Name, r.Population)),
            departments.Select(d => new DepartmentInfo(d.Code, d.Name, d.RegionCode, d.Population, d.Latitude, d.Longitude)),
            posts);
    }

    /// <summary>Fills the cube with every current revision, keeping when each grid was first received.</summary>
    public static Task<int> LoadCubeAsync(ObservatoireDbContext db, SchemaCatalog catalog, GridCube cube, CancellationToken ct)
    {
        var received = db.GridRevisions.AsNoTracking();
        return FillAsync(received, received.Latest(), catalog, cube, ct);
    }

    /// <summary>
    /// A cube of the grids as they were at <paramref name="asOf"/>: for each post and period, the latest revision
    /// received by then (every revision is kept), with when its first revision arrived.
    /// </summary>
    public static async Task<GridCube> LoadCubeAsOfAsync(ObservatoireDbContext db, SchemaCatalog catalog, DateTime asOf, CancellationToken ct)
    {
        var cube = new GridCube();
        var received = db.GridRevisions.AsNoTracking().Where(g => g.ReceivedAtUtc <= asOf);
        await FillAsync(received, received.Latest(), catalog, cube, ct);
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
