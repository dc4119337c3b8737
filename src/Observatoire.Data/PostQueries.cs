using Microsoft.EntityFrameworkCore;

namespace Observatoire.Data;

/// <summary>Registry look-ups on <see cref="ObservatoireDbContext"/>.</summary>
public static class PostQueries
{
    /// <summary>The department the post was assigned to on <paramref name="day"/>, or null when no assignment covers that day.</summary>
    public static Task<string?> DepartmentOnAsync(this ObservatoireDbContext db, string postId, DateOnly day, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(postId);
        return db.PostAssignments
            .AsNoTracking()
            .Where(a => a.PostId == postId && a.ValidFrom <= day && (a.ValidTo == null || a.ValidTo >= day))
            .OrderByDescending(a => a.ValidFrom)
            .Select(a => (string?)a.DepartmentCode)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// The department the post was assigned to for the largest part of [<paramref name="start"/>, <paramref name="end"/>]
    /// (ties go to the later assignment), or null when no assignment overlaps the span. Useful for a quarter or a year
    /// during which the post opened or moved.
    /// </summary>
    public static async Task<string?> DepartmentForPeriodAsync(
        this ObservatoireDbContext db, string postId, DateOnly start, DateOnly end, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(postId);
        var spans = await db.PostAssignments
            .AsNoTracking()
            .Where(a => a.PostId == postId && a.ValidFrom <= end && (a.ValidTo == null || a.ValidTo >= start))
            .Select(a => new { a.DepartmentCode, a.ValidFrom, a.ValidTo })
            .ToListAsync(ct);

        return spans
            .Select(a =>
            {
                var from = a.ValidFrom > start ? a.ValidFrom : start;
                var to = a.ValidTo is { } t && t < end ? t : end;
                return (a.DepartmentCode, a.ValidFrom, Days: to.DayNumber - from.DayNumber + 1);
            })
            .OrderByDescending(a => a.Days)
            .ThenByDescending(a => a.ValidFrom)
            .Select(a => (string?)a.DepartmentCode)
            .FirstOrDefault();
    }
}
