using Observatoire.Core.Registry;

namespace Observatoire.Core.Validation;

/// <summary>A grid as a client sent it, before validation.</summary>
public sealed record GridInput(string PostId, string Period, string SchemaVersion, IReadOnlyDictionary<string, long> Values, string? Comment);

/// <summary>What the registry says of the post a grid is for.</summary>
public sealed record PostContext(string Id, ReportingFrequency Frequency, DateOnly ActiveFrom, DateOnly? ActiveTo);

/// <summary>
/// Everything a validation needs beyond the grid: today's date, the post (null when unknown) and
/// the post's previous grids of the same frequency, newest first, for the outlier warning.
/// </summary>
public sealed record ValidationContext(DateOnly Today, PostContext? Post, IReadOnlyList<IReadOnlyDictionary<string, long>> History)
{
    public static ValidationContext For(DateOnly today, PostContext? post) => new(today, post, []);
}
