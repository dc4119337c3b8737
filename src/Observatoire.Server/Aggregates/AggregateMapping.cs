using Google.Protobuf.WellKnownTypes;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Statistics;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Aggregates;

/// <summary>Maps the consolidated figures to the answers of the analysts' queries.</summary>
internal static class AggregateMapping
{
    private const int MaxListedMissing = 500;

    public static Api.Provenance Provenance(AreaFigures figures)
    {
        var provenance = new Api.Provenance
        {
            ContributingPosts = figures.ContributingPosts,
            ExpectedPosts = figures.ExpectedPosts,
            DuePosts = figures.DuePosts,
            GridsUsed = figures.GridsUsed,
            MissingCount = figures.Missing.Count,
            YearlyBilans = figures.YearlyBilans,
            MissingBilansCount = figures.MissingBilans.Count,
        };
        provenance.SchemaVersions.AddRange(figures.SchemaVersions);
        provenance.MissingBilans.AddRange(figures.MissingBilans
            .OrderBy(m => m.PostId, StringComparer.Ordinal)
            .Take(MaxListedMissing)
            .Select(m => new Api.MissingGrid { PostId = m.PostId, Period = m.Period.ToString() }));
        provenance.Missing.AddRange(figures.Missing
            .OrderBy(m => m.PostId, StringComparer.Ordinal)
            .ThenBy(m => m.Period)
            .Take(MaxListedMissing)
            .Select(m => new Api.MissingGrid { PostId = m.PostId, Period = m.Period.ToString() }));
        if (figures.DataAsOf is { } asOf)
        {
            provenance.DataAsOf = Timestamp.FromDateTime(DateTime.SpecifyKind(asOf, DateTimeKind.Utc));
        }

        return provenance;
    }

    public static Api.Coverage Coverage(AreaRef area, AreaFigures figures, RegistrySnapshot registry)
    {
        var population = registry.PopulationOf(area);
        var activePosts = figures.ExpectedPosts;
        return new Api.Coverage
        {
            ActivePosts = activePosts,
            Fte = figures.Fte,
            PostsPer150K = area.Level == AreaLevel.Post ? 0 : Rates.PostsPer150k(activePosts, population),
            TargetPosts = area.Level == AreaLevel.Post ? 0 : Rates.TargetPosts(population),
        };
    }

    public static Api.CompletenessCounts Counts(CompletenessCounts counts) => new()
    {
        Expected = counts.Expected,
        Received = counts.Received,
        OnTime = counts.OnTime,
        Late = counts.Late,
        Missing = counts.Missing,
        Completeness = counts.Completeness,
        Timeliness = counts.Timeliness,
    };

    /// <summary>The area as the figures' registry names it (a post's name as recorded by their instant).</summary>
    public static Api.AreaInfo AreaInfo(AreaRef area, RegistrySnapshot registry) => new()
    {
        Level = (Api.AreaLevel)(int)area.Level,
        Code = area.Code,
        Name = registry.NameOf(area),
        Population = registry.PopulationOf(area),
    };

    public static Api.FigureStatus Status(PublishedValue value) =>
        value.PartialExcluded ? Api.FigureStatus.PartialExcluded : value.Status switch
        {
            FigureStatus.Complete => Api.FigureStatus.Complete,
            FigureStatus.Partial => Api.FigureStatus.Partial,
            FigureStatus.NotDerivable => Api.FigureStatus.NotDerivable,
            _ => Api.FigureStatus.NoData,
        };

    public static Api.Confidentiality Confidentiality(CellConfidentiality confidentiality) => confidentiality switch
    {
        CellConfidentiality.Primary => Api.Confidentiality.Primary,
        CellConfidentiality.Secondary => Api.Confidentiality.Secondary,
        CellConfidentiality.Suppressed => Api.Confidentiality.Suppressed,
        CellConfidentiality.Pending => Api.Confidentiality.Pending,
        CellConfidentiality.Free => Api.Confidentiality.Free,
        _ => Api.Confidentiality.Withheld,
    };

    public static Api.Outlier Outlier(OutlierFinding finding) => new()
    {
        PostId = finding.Post.Id,
        PostName = finding.Post.Name,
        DepartmentCode = finding.DepartmentCode,
        Period = finding.Grid.Period.ToString(),
        Cell = finding.Cell.Key,
        Value = finding.Grid.Cells[finding.Cell.Index],
        Reference = finding.Reference,
        Median = finding.Score.Median,
        Mad = finding.Score.Mad,
        ModifiedZ = finding.Score.Z,
        ReferenceCount = finding.Score.ReferenceCount,
    };
}
