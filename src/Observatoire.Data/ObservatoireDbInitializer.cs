using Microsoft.EntityFrameworkCore;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>Brings a database up to date: applies migrations, enables WAL, seeds reference data into empty tables.</summary>
public class ObservatoireDbInitializer
{
    /// <summary>
    /// Applies pending migrations, switches SQLite to WAL journaling, then, in one transaction, seeds regions and departments
    /// (embedded departements.csv) when there are none, and posts with one assignment each (embedded postes.csv, or
    /// <see cref="ReferenceDataOptions.PostsCsvPath"/>) when there are none; last, gives every post without a version in
/// the registry's history its baseline version (<see cref="RegistryHistory.RecordBaselineAsync"/>). Safe to call at every start.
    /// </summary>
    public static async Task InitializeAsync(ObservatoireDbContext db, ReferenceDataOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);

        await db.Database.MigrateAsync(ct);

        if (db.Database.IsSqlite())
        {
            // Persistent on the file: readers no longer block the writer. In-memory databases answer "memory".
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        await SeedAsync(db, options, ct);

        // The registry's history starts from the posts as they stand: seeded now, or held before the history existed.
        await RegistryHistory.RecordBaselineAsync(db, DateTime.UtcNow, ct);
    }

    private static async Task SeedAsync(ObservatoireDbContext db, ReferenceDataOptions options, CancellationToken ct)
    {
        var seedDepartments = !await db.Regions.AnyAsync(ct) && !await db.Departments.AnyAsync(ct);
        var seedPosts = !await db.Posts.AnyAsync(ct);
        if (!seedDepartments && !seedPosts)
        {
            return;
        }

        // Parse before opening the transaction: a bad registry file fails without touching the database.
        var departments = seedDepartments ? ReferenceData.LoadDepartments() : null;
        var posts = seedPosts
            ? options.PostsCsvPath is { Length: > 0 } path ? ReferenceData.LoadPostsFile(path) : ReferenceData.LoadEmbeddedPosts()
            : null;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        if (departments is not null)
        {
            foreach (var region in ReferenceData.Regions(departments))
            {
                db.Regions.Add(new Region { Code = region.Code, Name = region.Name, Population = region.Population });
            }

            foreach (var d in departments)
            {
                db.Departments.Add(new Department
                {
                    Code = d.Code,
                    Name = d.Name,
                    RegionCode = d.RegionCode,
                    Population = d.Population,
                    Latitude = d.Latitude,
                    Longitude = d.Longitude,
                });
            }
        }

        if (posts is not null)
        {
            var known = departments is not null
                ? departments.Select(d => d.Code).ToHashSet(StringComparer.Ordinal)
                : (await db.Departments.Select(d => d.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            var unknown = posts.Where(p => !known.Contains(p.DepartmentCode)).ToList();
            if (unknown.Count > 0)
            {
                var source = options.PostsCsvPath is { Length: > 0 } file ? Path.GetFileName(file) : "postes.csv";
                throw new InvalidDataException(
                    $"{source} : département inconnu pour {unknown.Count} poste(s), par exemple {unknown[0].Id} ({unknown[0].DepartmentCode}).");
            }

            foreach (var p in posts)
            {
                db.Posts.Add(new Post
                {
                    Id = p.Id,
                    Name = p.Name,
                    DepartmentCode = p.DepartmentCode,
                    Zone = p.Zone,
                    Fte = p.Fte,
                    Frequency = p.Frequency,
                    ActiveFrom = p.ActiveFrom,
                    ActiveTo = p.ActiveTo,
                });
                db.PostAssignments.Add(new PostAssignment
                {
                    PostId = p.Id,
                    DepartmentCode = p.DepartmentCode,
                    ValidFrom = p.ActiveFrom,
                    ValidTo = p.ActiveTo,
                });
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }
}
