using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>Which stored revisions count: the one place that says what "current" means in a query.</summary>
public static class GridRevisionQueries
{
    /// <summary>
    /// For each post and period among <paramref name="revisions"/>, the revision with the highest number: over every
    /// revision, the current ones; over those received by an instant, the ones current then. A correction always takes
    /// the next number, so the highest is the latest; each test of a later one is a seek in the unique index on
    /// (post, period, revision).
    /// </summary>
    public static IQueryable<GridRevision> Latest(this IQueryable<GridRevision> revisions) =>
        revisions.Where(g => !revisions.Any(later => later.PostId == g.PostId && later.Period == g.Period && later.Revision > g.Revision));
}
