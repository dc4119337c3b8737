using System.Collections.Frozen;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;

namespace Observatoire.Core.Consolidation;

/// <summary>A level of the hierarchy post → department → region → nation.</summary>
public enum AreaLevel
{
    National = 1,
    Region = 2,
    Department = 3,
    Post = 4,
}

/// <summary>An area of the hierarchy: the nation (no code), a region, a department or a post.</summary>
public readonly record struct AreaRef(AreaLevel Level, string Code)
{
    public static AreaRef National => new(AreaLevel.National, "");

    public override string ToString() => Level == AreaLevel.National ? "national" : $"{Level}:{Code}";
}

/// <summary>A region of the reference data.</summary>
public sealed record RegionInfo(string Code, string Name, long Population);

/// <summary>A department of the reference data.</summary>
public sealed record DepartmentInfo(string Code, string Name, string RegionCode, long Population, double Latitude, double Longitude);

/// <summary>Where a post was assigned, from a day to a day (open-ended when null).</summary>
public sealed record PostLocation(string DepartmentCode, DateOnly From, DateOnly? To);

/// <summary>A post of the registry with its assignment history.</summary>
public sealed record PostInfo(
    string Id,
    string Name,
    string DepartmentCode,
    Zone Zone,
    double Fte,
    ReportingFrequency Frequency,
    DateOnly ActiveFrom,
    DateOnly? ActiveTo,
    IReadOnlyList<PostLocation> Locations)
{
    public PeriodKind ReportingKind => Frequency.PeriodKind();

    /// <summary>True when the post was open on at least one day of the period.</summary>
    public bool ActiveDuring(Period period) =>
        ActiveFrom <= period.End && (ActiveTo is null || ActiveTo.Value >= period.Start);
}

/// <summary>
/// The registry as consolidation sees it: areas, populations, and where each post was when.
/// A post counts in the department it was assigned to for the larger part of a period.
/// </summary>
public sealed class RegistrySnapshot
{
    public RegistrySnapshot(IEnumerable<RegionInfo> regions, IEnumerable<DepartmentInfo> departments, IEnumerable<PostInfo> posts)
    {
        Regions = regions.OrderBy(r => r.Code, StringComparer.Ordinal).ToFrozenDictionary(r => r.Code, StringComparer.Ordinal);
        Departments = departments.OrderBy(d => d.Code, StringComparer.Ordinal).ToFrozenDictionary(d => d.Code, StringComparer.Ordinal);
        Posts = posts.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        NationalPopulation = Departments.Values.Sum(d => d.Population);
        DepartmentsByRegion = Departments.Values
            .GroupBy(d => d.RegionCode)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<DepartmentInfo>)[.. g.OrderBy(d => d.Code, StringComparer.Ordinal)], StringComparer.Ordinal);
    }

    public FrozenDictionary<string, RegionInfo> Regions { get; }

    public FrozenDictionary<string, DepartmentInfo> Departments { get; }

    public FrozenDictionary<string, PostInfo> Posts { get; }

    public FrozenDictionary<string, IReadOnlyList<DepartmentInfo>> DepartmentsByRegion { get; }

    public long NationalPopulation { get; }

    /// <summary>The department a post counts in for a period: its assignment covering most of the period.</summary>
    public string LocationOf(PostInfo post, Period period)
    {
        string? best = null;
        var bestDays = 0;
        var bestFrom = DateOnly.MinValue;
        foreach (var location in post.Locations)
        {
            var from = location.From > period.Start ? location.From : period.Start;
            var to = location.To is { } t && t < period.End ? t : period.End;
            var days = to.DayNumber - from.DayNumber + 1;
            if (days > bestDays || (days == bestDays && days > 0 && location.From > bestFrom))
            {
                (best, bestDays, bestFrom) = (location.DepartmentCode, days, location.From);
            }
        }

        return best ?? post.DepartmentCode;
    }

    /// <summary>True when the department lies in the area (the nation, its region, or itself).</summary>
    public bool Contains(AreaRef area, string departmentCode) => area.Level switch
    {
        AreaLevel.National => true,
        AreaLevel.Region => Departments.TryGetValue(departmentCode, out var d) && d.RegionCode == area.Code,
        AreaLevel.Department => departmentCode == area.Code,
        _ => false,
    };

    /// <summary>True when the area exists in the registry.</summary>
    public bool Exists(AreaRef area) => area.Level switch
    {
        AreaLevel.National => true,
        AreaLevel.Region => Regions.ContainsKey(area.Code),
        AreaLevel.Department => Departments.ContainsKey(area.Code),
        _ => Posts.ContainsKey(area.Code),
    };

    /// <summary>French name of the area.</summary>
    public string NameOf(AreaRef area) => area.Level switch
    {
        AreaLevel.National => "France entière",
        AreaLevel.Region => Regions[area.Code].Name,
        AreaLevel.Department => Departments[area.Code].Name,
        _ => Posts[area.Code].Name,
    };

    /// <summary>Reference population of the area (0 for a post).</summary>
    public long PopulationOf(AreaRef area) => area.Level switch
    {
        AreaLevel.National => NationalPopulation,
        AreaLevel.Region => Regions[area.Code].Population,
        AreaLevel.Department => Departments[area.Code].Population,
        _ => 0,
    };

    /// <summary>The children of an area: regions of the nation, departments of a region, posts of a department.</summary>
    public IReadOnlyList<AreaRef> ChildrenOf(AreaRef area, Period period) => area.Level switch
    {
        AreaLevel.National => [.. Regions.Keys.Select(c => new AreaRef(AreaLevel.Region, c))],
        AreaLevel.Region => [.. DepartmentsByRegion.GetValueOrDefault(area.Code, []).Select(d => new AreaRef(AreaLevel.Department, d.Code))],
        AreaLevel.Department => [.. Posts.Values
            .Where(p => p.ActiveDuring(period) && LocationOf(p, period) == area.Code)
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new AreaRef(AreaLevel.Post, p.Id))],
        _ => [],
    };
}
