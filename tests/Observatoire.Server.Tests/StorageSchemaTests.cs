using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Periods;
using Observatoire.Data;
using Observatoire.Data.Entities;

namespace Observatoire.Server.Tests;

/// <summary>What the migrations of each provider leave in a database: the model's schema, the indexes writes pay for, the constraints kept.</summary>
public sealed class StorageSchemaTests
{
    [Fact]
    public async Task On_SQLite_the_migrations_match_the_model_and_a_revision_s_department_is_checked_without_an_index()
    {
        using var server = new ServerFixture();
        _ = server.Server;

        await server.QueryAsync(db => StorageSchema.CheckAsync(db, "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'GridRevisions'"));
    }
}

/// <summary>The checks of <see cref="StorageSchemaTests"/>, for each provider.</summary>
internal static class StorageSchema
{
    public static async Task<bool> CheckAsync(ObservatoireDbContext db, string indexesOfRevisions)
    {
        Assert.False(db.Database.HasPendingModelChanges());
        var indexes = await db.Database.SqlQueryRaw<string>(indexesOfRevisions).ToListAsync();
        Assert.Contains("IX_GridRevisions_PostId_Period_Revision", indexes);
        Assert.DoesNotContain("IX_GridRevisions_DepartmentCode", indexes);
        Assert.DoesNotContain("IX_GridRevisions_PostId_Period_Current", indexes);

        // The department's index is gone, its constraint is not: a revision in a department that does not exist is refused.
        var post = await db.Posts.AsNoTracking().FirstAsync();
        db.GridRevisions.Add(new GridRevision
        {
            PostId = post.Id,
            Period = "2025-03",
            PeriodKind = PeriodKind.Month,
            PeriodStart = new DateOnly(2025, 3, 1),
            PeriodEnd = new DateOnly(2025, 3, 31),
            Revision = 1,
            DepartmentCode = "ZZ",
            SchemaVersion = "2025.1",
            ClientId = "test",
            SubmissionId = Guid.NewGuid().ToString(),
            ContentHash = new string('0', 64),
            ReceivedAtUtc = DateTime.UtcNow,
            Cells = [],
        });
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.Contains("foreign key", refused.InnerException?.Message ?? "", StringComparison.OrdinalIgnoreCase);
        return true;
    }
}
