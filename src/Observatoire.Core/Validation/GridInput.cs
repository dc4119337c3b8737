using Observatoire.Core.Periods;
using Observatoire.Core.Registry;

namespace Observatoire.Core.Validation;

/// <summary>A grid as a client sent it, before validation.</summary>
public sealed record GridInput(string PostId, string Period, string SchemaVersion, IReadOnlyDictionary<string, long> Values, string? Comment);

/// <summary>What the registry says of the post a grid is for.</summary>
public sealed record PostContext(string Id, ReportingFrequency Frequency, DateOnly ActiveFrom, DateOnly? ActiveTo);

/// <summary>One of the post's stored grids, its values keyed by canonical cell path.</summary>
public sealed record PeriodGrid(Period Period, IReadOnlyDictionary<string, long> Values);

/// <summary>
/// Everything a validation needs beyond the grid: today's date, the post (null when unknown), the
/// post's previous grids of the same frequency, newest first, for the outlier warning, and, for a
/// yearly bilan, the post's shorter grids of the same year for the cross-grid coherence.
/// </summary>
public sealed record ValidationContext(
    DateOnly Today,
    PostContext? Post,
    IReadOnlyList<IReadOnlyDictionary<string, long>> History,
    IReadOnlyList<PeriodGrid>? SameYear = null)
{
    public static ValidationContext For(DateOnly today, PostContext? post) => new(today, post, []);
}
