using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Statistics;
using Observatoire.Server.Audit;
using Observatoire.Core.Validation;
using Observatoire.Server.Grpc;
using Observatoire.Server.Security;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Aggregates;

/// <summary>Answers the analysts' questions: consolidated tables, series, completeness, outliers, comparisons.</summary>
internal sealed class AggregateQueries(
    ConsolidationState state,
    FigureViews views,
    IOptions<ConsolidationOptions> options,
    AuditLog audit,
    TimeProvider clock)
{
    private const string SumAcrossPostsNote =
        "Les personnes reçues sont comptées par poste : une personne reçue par deux postes compte deux fois dans les totaux départementaux, régionaux et nationaux.";

    private const string NotDerivableNote =
        "Les effectifs de personnes distinctes (personnes reçues et leurs ventilations) ne s'additionnent pas d'une période à l'autre : ils ne sont donnés que pour la période exacte de la grille (« non dérivable » sinon).";

    private const int MaxListedMissing = 500;

    /// <summary>Most points of a series (fifty years of months).</summary>
    public const int MaxSeriesPoints = 600;

    /// <summary>Queries may look this many years past the current one (a period not yet over has partial figures).</summary>
    public const int HorizonYears = 1;

    public async Task<Api.ConsolidateResponse> ConsolidateAsync(Api.ConsolidateRequest request, CallerScope caller, CancellationToken ct)
    {
        var area = ParseArea(request.Area);
        var period = ParsePeriod(request.Period, "period");
        var raw = await DecideAsync(caller, area, request.Disclosure, null, $"Consolidate {area} {period}", ct);
        var published = await ViewAsync(request.AsOf, area, ct);
        var figures = published.Figures(area, period);
        var previous = published.Figures(area, period.YearEarlier());
        var cells = SelectCells(figures.Schema, request.Cells, "cells");
        var population = published.Registry.PopulationOf(area);

        var response = new Api.ConsolidateResponse
        {
            Area = AreaInfo(area, published.Registry),
            Period = period.ToString(),
            SchemaVersion = figures.Schema.Version,
            Provenance = Provenance(figures),
            Coverage = Coverage(area, figures, published.Registry),
            Disclosure = raw ? Api.Disclosure.Raw : Api.Disclosure.Publication,
            SuppressionThreshold = views.Live.Threshold,
        };
        foreach (var cell in cells)
        {
            ct.ThrowIfCancellationRequested();
            var now = published.Publish(figures, cell, raw, request.ExcludePartial);
            var before = published.Publish(previous, cell, raw, request.ExcludePartial);
            var figure = new Api.Figure
            {
                Cell = cell.Key,
                Indicator = cell.Indicator.Code,
                Label = Labels.Of(cell),
                Status = Status(now),
                Confidentiality = Confidentiality(now.Confidentiality),
            };
            if (now.Value is { } value)
            {
                figure.Value = value;
                if (area.Level != AreaLevel.Post && Rates.Per100k(value, population) is { } per100k)
                {
                    figure.RatePer100K = per100k;
                }

                if (Rates.PerFte(value, figures.Fte) is { } perFte)
                {
                    figure.RatePerFte = perFte;
                }
            }

            if (before.Value is { } previousValue)
            {
                figure.PreviousYearValue = previousValue;
            }

            if (Change.Between(now.Value, before.Value) is { } change)
            {
                figure.Change = change.Absolute;
                if (change.Percent is { } percent)
                {
                    figure.ChangePercent = percent;
                }
            }

            response.Figures.Add(figure);
        }

        response.Notes.AddRange(Notes(figures, raw, area));
        return response;
    }

    public async Task<Api.GetSeriesResponse> GetSeriesAsync(Api.GetSeriesRequest request, CallerScope caller, CancellationToken ct)
    {
        var area = ParseArea(request.Area);
        var from = ParsePeriod(request.From, "from");
        var to = ParsePeriod(request.To, "to");
        var kind = request.Granularity switch
        {
            Api.Granularity.Month => PeriodKind.Month,
            Api.Granularity.Quarter => PeriodKind.Quarter,
            Api.Granularity.Year => PeriodKind.Year,
            _ => throw RpcErrors.InvalidField("granularity", "GRANULARITE_ABSENTE", "La granularité est obligatoire : mois, trimestre ou année."),
        };
        var periods = PeriodsBetween(from, to, kind);
        if (periods.Count == 0)
        {
            throw RpcErrors.InvalidField("to", "PERIODE_INVALIDE", $"La période de fin {to} précède la période de début {from}.");
        }

        if (periods.Count > MaxSeriesPoints)
        {
            throw RpcErrors.InvalidField("from", "SERIE_TROP_LONGUE", $"Une série compte au plus {MaxSeriesPoints} points.");
        }

        var cell = SelectCell(state.Consolidator.SchemaFor(to), request.Cell, "cell");
        var raw = await DecideAsync(caller, area, request.Disclosure, null, $"GetSeries {area} {cell.Key} {from}..{to}", ct);
        var published = await ViewAsync(request.AsOf, area, ct);
        var points = new List<(Period Period, PublishedValue Value, AreaFigures Figures)>();
        foreach (var period in periods)
        {
            ct.ThrowIfCancellationRequested();
            var figures = published.Figures(area, period);
            var schemaCell = figures.Schema.Layout.TryGetIndex(cell.Key, out var index) ? figures.Schema.Layout.Cells[index] : cell;
            points.Add((period, published.Publish(figures, schemaCell, raw, request.ExcludePartial), figures));
        }

        var response = new Api.GetSeriesResponse { Area = AreaInfo(area, published.Registry), Cell = cell.Key, Label = Labels.Of(cell) };
        for (var i = 0; i < points.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (period, value, figures) = points[i];
            var point = new Api.SeriesPoint
            {
                Period = period.ToString(),
                Status = Status(value),
                Confidentiality = Confidentiality(value.Confidentiality),
                ContributingPosts = figures.ContributingPosts,
                ExpectedPosts = figures.ExpectedPosts,
            };
            if (value.Value is { } v)
            {
                point.Value = v;
            }

            if (i > 0 && Change.Between(value.Value, points[i - 1].Value.Value) is { } change)
            {
                point.Change = change.Absolute;
                if (change.Percent is { } percent)
                {
                    point.ChangePercent = percent;
                }
            }

            var yearEarlier = period.YearEarlier();
            var earlier = points.FindIndex(p => p.Period == yearEarlier) is var j and >= 0
                ? points[j].Value
                : published.Publish(published.Figures(area, yearEarlier), cell, raw, request.ExcludePartial);
            if (Change.Between(value.Value, earlier.Value) is { } yoy)
            {
                point.YearOverYearChange = yoy.Absolute;
                if (yoy.Percent is { } percent)
                {
                    point.YearOverYearPercent = percent;
                }
            }

            response.Points.Add(point);
        }

        var known = points.Select((p, i) => (X: (double)i, p.Value.Value)).Where(p => p.Value is not null).ToList();
        if (TrendLine.Fit([.. known.Select(p => p.X)], [.. known.Select(p => (double)p.Value!.Value)]) is { } trend)
        {
            response.Trend = new Api.Trend
            {
                Slope = trend.Slope,
                Intercept = trend.Intercept,
                SlopeCiLow = trend.SlopeCiLow,
                SlopeCiHigh = trend.SlopeCiHigh,
                RSquared = trend.RSquared,
                Points = trend.Points,
            };
        }

        response.Notes.AddRange(Notes(points[^1].Figures, raw, area));
        return response;
    }

    /// <summary>
    /// The completeness of an area, today or as of an instant: then only the grids received by then count, and only the
    /// periods over by that day are expected (the registry's opening, closing and move dates are those known today).
    /// </summary>
    public async Task<Api.GetCompletenessResponse> GetCompletenessAsync(Api.GetCompletenessRequest request, CallerScope caller, CancellationToken ct)
    {
        var area = ParseArea(request.Area);
        var period = ParsePeriod(request.Period, "period");
        AccessPolicy.ForCompleteness(caller, area, state.Registry).OrDeny();
        var published = await ViewAsync(request.AsOf, area, ct);
        var calculator = new CompletenessCalculator(published.Registry, published.Cube, options.Value.DeadlineDays);
        var report = calculator.For(area, period, published.Today(clock), ct);
        var response = new Api.GetCompletenessResponse
        {
            Area = AreaInfo(area, published.Registry),
            Period = period.ToString(),
            Counts = Counts(report.Counts),
            DeadlineDays = report.DeadlineDays,
        };
        response.Children.AddRange(report.Children.Select(c => new Api.ChildCompleteness { Area = AreaInfo(c.Child, published.Registry), Counts = Counts(c.Counts) }));
        response.Posts.AddRange(report.Posts.Select(p => new Api.PostCompleteness
        {
            PostId = p.Post.Id,
            PostName = p.Post.Name,
            DepartmentCode = p.DepartmentCode,
            Counts = Counts(p.Counts),
            MissingPeriods = { p.MissingPeriods.Select(m => m.ToString()) },
            LatePeriods = { p.LatePeriods.Select(m => m.ToString()) },
        }));
        return response;
    }

    public async Task<Api.ListOutliersResponse> ListOutliersAsync(Api.ListOutliersRequest request, CallerScope caller, CancellationToken ct)
    {
        var area = ParseArea(request.Area);
        Period? period = request.Period.Length > 0 ? ParsePeriod(request.Period, "period") : null;
        var threshold = request.Threshold > 0 ? request.Threshold : RobustScore.DefaultThreshold;
        AccessPolicy.ForOutliers(caller, area).OrDeny();
        var published = await ViewAsync(request.AsOf, area, ct);
        var what = published.AsOf is { } asOf ? $"ListOutliers as_of {asOf:yyyy-MM-dd'T'HH:mm:ss'Z'}" : "ListOutliers";
        await audit.RecordAsync(caller, AuditActions.RawRead, $"{area} {request.Period}".Trim(), area.Level == AreaLevel.Post ? area.Code : null, what, ct);
        var findings = OutlierDetector.Find(published.Consolidator, area, period, schema => OutlierCells(schema, request.Cells), threshold, ct);
        var response = new Api.ListOutliersResponse { Threshold = threshold };
        response.Outliers.AddRange(findings.Select(Outlier));
        return response;
    }

    public async Task<Api.CompareAreasResponse> CompareAreasAsync(Api.CompareAreasRequest request, CallerScope caller, CancellationToken ct)
    {
        var parent = ParseArea(request.Area);
        if (parent.Level == AreaLevel.Post)
        {
            throw RpcErrors.InvalidField("area.level", "NIVEAU_INVALIDE", "Un poste n'a pas de subdivisions à comparer.");
        }

        var period = ParsePeriod(request.Period, "period");
        var schema = state.Consolidator.SchemaFor(period);
        var cell = SelectCell(schema, request.Cell, "cell");
        var childLevel = parent.Level + 1;
        var raw = await DecideAsync(caller, parent, request.Disclosure, childLevel, $"CompareAreas {parent} {cell.Key} {period}", ct);
        var published = await ViewAsync(request.AsOf, parent, ct);
        var rows = new List<Api.AreaComparison>();
        foreach (var child in published.Registry.ChildrenOf(parent, period))
        {
            ct.ThrowIfCancellationRequested();
            var figures = published.Figures(child, period);
            var value = published.Publish(figures, cell, raw, request.ExcludePartial);
            var row = new Api.AreaComparison
            {
                Area = AreaInfo(child, published.Registry),
                Status = Status(value),
                Confidentiality = Confidentiality(value.Confidentiality),
                Coverage = Coverage(child, figures, published.Registry),
            };
            if (value.Value is { } v)
            {
                row.Value = v;
                if (child.Level != AreaLevel.Post && Rates.Per100k(v, published.Registry.PopulationOf(child)) is { } per100k)
                {
                    row.RatePer100K = per100k;
                }

                if (Rates.PerFte(v, figures.Fte) is { } perFte)
                {
                    row.RatePerFte = perFte;
                }
            }

            rows.Add(row);
        }

        var rank = 0;
        foreach (var row in rows.Where(r => r.HasValue).OrderByDescending(r => r.Value))
        {
            row.Rank = ++rank;
        }

        var response = new Api.CompareAreasResponse
        {
            Parent = AreaInfo(parent, published.Registry),
            Cell = cell.Key,
            Label = Labels.Of(cell),
            Period = period.ToString(),
        };
        response.Children.AddRange(rows.OrderBy(r => r.Rank == 0 ? int.MaxValue : r.Rank).ThenBy(r => r.Area.Code, StringComparer.Ordinal));
        response.Notes.AddRange(Notes(published.Figures(parent, period), raw, new AreaRef(childLevel, "")));
        return response;
    }

    private static IEnumerable<CellDefinition> OutlierCells(GridSchema schema, IReadOnlyCollection<string> requested) =>
        requested.Count == 0
            ? schema.Layout.Cells.Where(c => c.IsTotal)
            : SelectCells(schema, requested, "cells");

    private static Api.Outlier Outlier(OutlierFinding finding) => new()
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

    private IEnumerable<string> Notes(AreaFigures figures, bool raw, AreaRef area)
    {
        if (area.Level != AreaLevel.Post)
        {
            yield return SumAcrossPostsNote;
        }

        if (figures.Period.Kind != PeriodKind.Month)
        {
            yield return NotDerivableNote;
        }

        if (figures.IncompatiblePosts > 0)
        {
            yield return $"{figures.IncompatiblePosts} poste(s) transmettent des grilles trimestrielles ou annuelles qui ne peuvent être ventilées sur la période {figures.Period} : les chiffres sont partiels.";
        }

        if (figures.Missing.Count > 0)
        {
            yield return $"{figures.Missing.Count} grille(s) attendue(s) manquante(s) : les chiffres sont partiels.";
        }

        if (figures.YearlyBilans > 0 || figures.MissingBilans.Count > 0)
        {
            yield return figures.MissingBilans.Count == 0
                ? $"Chiffres de l'année tirés du bilan annuel de {figures.YearlyBilans} poste(s) : les personnes distinctes de l'année y sont déclarées."
                : $"Chiffres de l'année tirés du bilan annuel de {figures.YearlyBilans} poste(s) ; {figures.MissingBilans.Count} bilan(s) annuel(s) manquant(s) : les personnes distinctes de l'année ne comptent pas ces postes et sont partielles (leurs flux viennent de leurs grilles de l'année).";
        }

        if (!raw && area.Level != AreaLevel.National)
        {
            yield return options.Value.PublishPrimaryFlag
                ? $"Secret statistique : les effectifs de 1 à {views.Live.Threshold - 1} sont masqués (A), ainsi que les cases nécessaires pour qu'aucun effectif masqué ne puisse être recalculé (D)."
                : $"Secret statistique : les effectifs de 1 à {views.Live.Threshold - 1} sont masqués, ainsi que les cases nécessaires pour qu'aucun effectif masqué ne puisse être recalculé ; toutes sont notées « secret », sans distinction.";
        }
    }

    private Api.Provenance Provenance(AreaFigures figures)
    {
        var provenance = new Api.Provenance
        {
            ContributingPosts = figures.ContributingPosts,
            ExpectedPosts = figures.ExpectedPosts,
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

    private static Api.Coverage Coverage(AreaRef area, AreaFigures figures, RegistrySnapshot registry)
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

    private static Api.CompletenessCounts Counts(CompletenessCounts counts) => new()
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
    private static Api.AreaInfo AreaInfo(AreaRef area, RegistrySnapshot registry) => new()
    {
        Level = (Api.AreaLevel)(int)area.Level,
        Code = area.Code,
        Name = registry.NameOf(area),
        Population = registry.PopulationOf(area),
    };

    /// <summary>
    /// The figures of a read (today's, or as of its instant) once the area is known to their registry: a post entered
    /// after the instant is NOT_FOUND as of it, as it was then.
    /// </summary>
    private async Task<PublishedFigures> ViewAsync(Timestamp? asOf, AreaRef area, CancellationToken ct)
    {
        var published = await views.ForAsync(asOf, "as_of", ct);
        RequireArea(published, area);
        return published;
    }

    /// <summary>NOT_FOUND when the area is not in the figures' registry (a post entered after their instant).</summary>
    public static void RequireArea(PublishedFigures published, AreaRef area)
    {
        ArgumentNullException.ThrowIfNull(published);
        if (published.AsOf is { } asOf && !published.Registry.Exists(area))
        {
            throw RpcErrors.NotFound($"Le poste « {ClientText.Quote(area.Code)} » n'était pas encore inscrit au registre le {asOf:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        }
    }

    private static Api.FigureStatus Status(PublishedValue value) =>
        value.PartialExcluded ? Api.FigureStatus.PartialExcluded : value.Status switch
        {
            FigureStatus.Complete => Api.FigureStatus.Complete,
            FigureStatus.Partial => Api.FigureStatus.Partial,
            FigureStatus.NotDerivable => Api.FigureStatus.NotDerivable,
            _ => Api.FigureStatus.NoData,
        };

    internal static Api.Confidentiality Confidentiality(CellConfidentiality confidentiality) => confidentiality switch
    {
        CellConfidentiality.Primary => Api.Confidentiality.Primary,
        CellConfidentiality.Secondary => Api.Confidentiality.Secondary,
        CellConfidentiality.Suppressed => Api.Confidentiality.Suppressed,
        CellConfidentiality.Pending => Api.Confidentiality.Pending,
        CellConfidentiality.Free => Api.Confidentiality.Free,
        _ => Api.Confidentiality.Withheld,
    };

    /// <summary>
    /// Asks the access policy what the caller may see of an area (values at <paramref name="valuesLevel"/> for
    /// comparisons); refuses with PERMISSION_DENIED, audits a raw read; true when the figures are raw.
    /// </summary>
    public async Task<bool> DecideAsync(CallerScope caller, AreaRef area, Api.Disclosure disclosure, AreaLevel? valuesLevel, string what, CancellationToken ct)
    {
        var decision = AccessPolicy.ForFigures(caller, area, disclosure == Api.Disclosure.Raw, state.Registry, valuesLevel).OrDeny();
        if (decision.Audited)
        {
            await audit.RecordAsync(caller, AuditActions.RawRead, area.ToString(), area.Level == AreaLevel.Post ? area.Code : null, what, ct);
        }

        return decision.Raw;
    }

    public AreaRef ParseArea(Api.Area? area)
    {
        if (area is null || area.Level == Api.AreaLevel.Unspecified)
        {
            throw RpcErrors.InvalidField("area.level", "NIVEAU_ABSENT", "Le niveau géographique est obligatoire : national, région, département ou poste.");
        }

        // Department codes are upper case ("2A"); post ids are taken as given.
        var level = (AreaLevel)(int)area.Level;
        var result = new AreaRef(level, level switch
        {
            AreaLevel.National => "",
            AreaLevel.Post => area.Code,
            _ => area.Code.ToUpperInvariant(),
        });

        if (result.Level != AreaLevel.National && result.Code.Length == 0)
        {
            throw RpcErrors.InvalidField("area.code", "CODE_ABSENT", "Le code de la zone est obligatoire hors niveau national.");
        }

        if (!state.Registry.Exists(result))
        {
            throw RpcErrors.NotFound($"La zone « {ClientText.Quote(area.Code)} » n'existe pas au niveau {Labels.Of(result.Level)}.");
        }

        return result;
    }

    /// <summary>
    /// A period of a query: well formed, and not after the end of next year. Figures of a later period
    /// cannot exist, and every period asked for costs memory and time.
    /// </summary>
    public Period ParsePeriod(string text, string field) => ParsePeriod(text, field, Today());

    /// <summary>A well-formed period not after the end of the year after <paramref name="today"/>'s (queries and campaigns alike).</summary>
    public static Period ParsePeriod(string text, string field, DateOnly today)
    {
        var period = ParseAnyPeriod(text, field);
        var lastYear = today.Year + HorizonYears;
        return period.Year <= lastYear
            ? period
            : throw RpcErrors.InvalidField(field, "PERIODE_HORS_HORIZON", $"La période {period} est trop lointaine : les périodes vont jusqu'à {lastYear}.");
    }

    /// <summary>A well-formed period, whatever its year.</summary>
    public static Period ParseAnyPeriod(string text, string field) =>
        Period.TryParse(text, out var period)
            ? period
            : throw RpcErrors.InvalidField(field, "PERIODE_INVALIDE", $"La période « {ClientText.Quote(text)} » est invalide : attendu AAAA-MM, AAAA-Tn ou AAAA.");

    public static List<CellDefinition> SelectCells(GridSchema schema, IReadOnlyCollection<string> requested, string field)
    {
        if (requested.Count == 0)
        {
            return [.. schema.Layout.Cells];
        }

        var result = new List<CellDefinition>();
        foreach (var text in requested)
        {
            if (schema.IndicatorsByCode.TryGetValue(text, out var indicator))
            {
                result.AddRange(schema.Layout.Cells.Where(c => ReferenceEquals(c.Indicator, indicator)));
            }
            else if (CellKey.TryParse(text, out var key) && Canonical(schema, key) is { } index)
            {
                result.Add(schema.Layout.Cells[index]);
            }
            else
            {
                throw RpcErrors.InvalidField(field, "CELLULE_INCONNUE", $"« {ClientText.Quote(text)} » n'est ni un indicateur ni une cellule de la grille {schema.Version}.");
            }
        }

        return [.. result.Distinct()];
    }

    /// <summary>One cell: a cell path, or an indicator code for its total (its first cell when it has none).</summary>
    public static CellDefinition SelectCell(GridSchema schema, string text, string field)
    {
        if (text.Length == 0)
        {
            throw RpcErrors.InvalidField(field, "CELLULE_ABSENTE", "La cellule est obligatoire : un indicateur (personnes_nouvelles) ou une cellule (personnes_nouvelles[origine=justice]).");
        }

        return SelectCells(schema, [text], field)[0];
    }

    private static int? Canonical(GridSchema schema, CellKey key)
    {
        if (!schema.IndicatorsByCode.TryGetValue(key.Indicator, out var indicator))
        {
            return null;
        }

        if (key.IsTotal)
        {
            return schema.Layout.TryGetIndex(key.Indicator, out var total) ? total : null;
        }

        var breakdown = indicator.BreakdownFor([.. key.Coordinates.Select(c => c.Key)]);
        if (breakdown is null)
        {
            return null;
        }

        var lookup = key.Coordinates.ToDictionary(c => c.Key, c => c.Value);
        var canonical = CellKey.Format(indicator.Code, breakdown.Dimensions.Select(d => new KeyValuePair<string, string>(d.Code, lookup[d.Code])));
        return schema.Layout.TryGetIndex(canonical, out var index) ? index : null;
    }

    private static List<Period> PeriodsBetween(Period from, Period to, PeriodKind kind)
    {
        var first = Period.Containing(from.Start, kind);
        var last = Period.Containing(to.End, kind);
        var result = new List<Period>();
        for (var p = first; p <= last && result.Count <= MaxSeriesPoints; p = p.Shift(1))
        {
            result.Add(p);
        }

        return result;
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

/// <summary>French labels of cells and levels.</summary>
internal static class Labels
{
    public static string Of(CellDefinition cell) =>
        cell.IsTotal ? cell.Indicator.Label
        : IsYesNo(cell) ? $"{cell.Indicator.Label} — {cell.Breakdown!.Dimensions[0].Label} : {cell.Options[0].Label.ToLowerInvariant()}"
        : $"{cell.Indicator.Label} — {string.Join(", ", cell.Options.Select(o => o.Label))}";

    // "Oui" alone says nothing: name the question.
    private static bool IsYesNo(CellDefinition cell) =>
        cell.Options.Count == 1 && cell.Breakdown!.Dimensions[0].Options.Any(o => o.Code == "oui");

    public static string Of(AreaLevel level) => level switch
    {
        AreaLevel.National => "national",
        AreaLevel.Region => "régional",
        AreaLevel.Department => "départemental",
        _ => "poste",
    };
}
