using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Statistics;
using Observatoire.Server.Audit;
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

    public async Task<Api.ConsolidateResponse> ConsolidateAsync(Api.ConsolidateRequest request, CallerScope caller, CancellationToken ct)
    {
        var area = ParseArea(request.Area);
        var period = ParsePeriod(request.Period, "period");
        var raw = await DecideAsync(caller, area, request.Disclosure, null, $"Consolidate {area} {period}", ct);
        var published = await ViewAsync(request.AsOf, caller, figuresRead: true, area, null, ct);
        var figures = published.Figures(area, period);
        var previous = published.Figures(area, period.YearEarlier());
        var cells = AggregateArguments.SelectCells(figures.Schema, request.Cells, "cells");
        var population = published.Registry.PopulationOf(area);

        var response = new Api.ConsolidateResponse
        {
            Area = AggregateMapping.AreaInfo(area, published.Registry),
            Period = period.ToString(),
            SchemaVersion = figures.Schema.Version,
            Provenance = AggregateMapping.Provenance(figures),
            Coverage = AggregateMapping.Coverage(area, figures, published.Registry),
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
                Status = AggregateMapping.Status(now),
                Confidentiality = AggregateMapping.Confidentiality(now.Confidentiality),
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
        var periods = AggregateArguments.PeriodsBetween(from, to, kind);
        if (periods.Count == 0)
        {
            throw RpcErrors.InvalidField("to", "PERIODE_INVALIDE", $"La période de fin {to} précède la période de début {from}.");
        }

        if (periods.Count > AggregateArguments.MaxSeriesPoints)
        {
            throw RpcErrors.InvalidField("from", "SERIE_TROP_LONGUE", $"Une série compte au plus {AggregateArguments.MaxSeriesPoints} points.");
        }

        var cell = AggregateArguments.SelectCell(state.Consolidator.SchemaFor(to), request.Cell, "cell");
        var raw = await DecideAsync(caller, area, request.Disclosure, null, $"GetSeries {area} {cell.Key} {from}..{to}", ct);
        var published = await ViewAsync(request.AsOf, caller, figuresRead: true, area, null, ct);
        var points = new List<(Period Period, PublishedValue Value, AreaFigures Figures)>();
        foreach (var period in periods)
        {
            ct.ThrowIfCancellationRequested();
            var figures = published.Figures(area, period);
            var schemaCell = figures.Schema.Layout.TryGetIndex(cell.Key, out var index) ? figures.Schema.Layout.Cells[index] : cell;
            points.Add((period, published.Publish(figures, schemaCell, raw, request.ExcludePartial), figures));
        }

        var response = new Api.GetSeriesResponse { Area = AggregateMapping.AreaInfo(area, published.Registry), Cell = cell.Key, Label = Labels.Of(cell) };
        for (var i = 0; i < points.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (period, value, figures) = points[i];
            var point = new Api.SeriesPoint
            {
                Period = period.ToString(),
                Status = AggregateMapping.Status(value),
                Confidentiality = AggregateMapping.Confidentiality(value.Confidentiality),
                ContributingPosts = figures.ContributingPosts,
                ExpectedPosts = figures.ExpectedPosts,
                DuePosts = figures.DuePosts,
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

        // Which grids were expected and received, no figure: at any instant.
        var published = await ViewAsync(request.AsOf, caller, figuresRead: false, area, null, ct);
        var calculator = new CompletenessCalculator(published.Registry, published.Cube, options.Value.DeadlineDays);
        var report = calculator.For(area, period, published.Today(clock), ct);
        var response = new Api.GetCompletenessResponse
        {
            Area = AggregateMapping.AreaInfo(area, published.Registry),
            Period = period.ToString(),
            Counts = AggregateMapping.Counts(report.Counts),
            DeadlineDays = report.DeadlineDays,
        };
        response.Children.AddRange(report.Children.Select(c => new Api.ChildCompleteness { Area = AggregateMapping.AreaInfo(c.Child, published.Registry), Counts = AggregateMapping.Counts(c.Counts) }));
        response.Posts.AddRange(report.Posts.Select(p => new Api.PostCompleteness
        {
            PostId = p.Post.Id,
            PostName = p.Post.Name,
            DepartmentCode = p.DepartmentCode,
            Counts = AggregateMapping.Counts(p.Counts),
            MissingPeriods = { p.MissingPeriods.Select(m => m.ToString()) },
            LatePeriods = { p.LatePeriods.Select(m => m.ToString()) },
        }));
        return response;
    }

    public async Task<Api.ListOutliersResponse> ListOutliersAsync(Api.ListOutliersRequest request, CallerScope caller, CancellationToken ct)
    {
        var area = ParseArea(request.Area);
        Period? period = request.Period.Length > 0 ? ParsePeriod(request.Period, "period") : null;
        var threshold = request.Threshold switch
        {
            0 => RobustScore.DefaultThreshold,
            > 0 and < double.PositiveInfinity => request.Threshold,
            _ => throw RpcErrors.InvalidField("threshold", "SEUIL_INVALIDE", "Le seuil du score z modifié doit être un nombre positif fini (0 pour le seuil par défaut, 3,5)."),
        };
        AccessPolicy.ForOutliers(caller, area).OrDeny();

        // Raw figures, for those who may read them: at any instant.
        var published = await ViewAsync(request.AsOf, caller, figuresRead: false, area, null, ct);
        var what = published.AsOf is { } asOf ? $"ListOutliers as_of {asOf:yyyy-MM-dd'T'HH:mm:ss'Z'}" : "ListOutliers";
        await audit.RecordAsync(caller, AuditActions.RawRead, $"{area} {request.Period}".Trim(), area.Level == AreaLevel.Post ? area.Code : null, what, ct);
        var findings = OutlierDetector.Find(published.Consolidator, area, period, schema => AggregateArguments.OutlierCells(schema, request.Cells), threshold, ct);
        var response = new Api.ListOutliersResponse { Threshold = threshold };
        response.Outliers.AddRange(findings.Select(AggregateMapping.Outlier));
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
        var cell = AggregateArguments.SelectCell(schema, request.Cell, "cell");
        var childLevel = parent.Level + 1;
        var raw = await DecideAsync(caller, parent, request.Disclosure, childLevel, $"CompareAreas {parent} {cell.Key} {period}", ct);
        var published = await ViewAsync(request.AsOf, caller, figuresRead: true, parent, childLevel, ct);
        var rows = new List<Api.AreaComparison>();
        foreach (var child in published.Registry.ChildrenOf(parent, period))
        {
            ct.ThrowIfCancellationRequested();
            var figures = published.Figures(child, period);
            var value = published.Publish(figures, cell, raw, request.ExcludePartial);
            var row = new Api.AreaComparison
            {
                Area = AggregateMapping.AreaInfo(child, published.Registry),
                Status = AggregateMapping.Status(value),
                Confidentiality = AggregateMapping.Confidentiality(value.Confidentiality),
                Coverage = AggregateMapping.Coverage(child, figures, published.Registry),
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
            Parent = AggregateMapping.AreaInfo(parent, published.Registry),
            Cell = cell.Key,
            Label = Labels.Of(cell),
            Period = period.ToString(),
        };
        response.Children.AddRange(rows.OrderBy(r => r.Rank == 0 ? int.MaxValue : r.Rank).ThenBy(r => r.Area.Code, StringComparer.Ordinal));
        response.Notes.AddRange(Notes(published.Figures(parent, period), raw, new AreaRef(childLevel, "")));
        return response;
    }

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

    /// <summary>
    /// The figures of a read (today's, or as of its instant) once the area is known to their registry: a post entered
    /// after the instant is NOT_FOUND as of it, as it was then. <paramref name="figuresRead"/> false: a read that any
    /// instant may serve (no figure, or raw figures only).
    /// </summary>
    private async Task<PublishedFigures> ViewAsync(Timestamp? asOf, CallerScope caller, bool figuresRead, AreaRef area, AreaLevel? valuesLevel, CancellationToken ct)
    {
        var published = figuresRead ? await FiguresAsync(asOf, caller, area, valuesLevel, ct) : await views.ForAsync(asOf, "as_of", anyInstant: true, caller.KeyId, ct);
        AggregateArguments.RequireArea(published, area);
        return published;
    }

    /// <summary>
    /// The figures of a read of <paramref name="area"/> (values at <paramref name="valuesLevel"/>), today's or as of
    /// its instant: any instant for a caller who may read them raw, else a published edition's cut-off only
    /// (<see cref="AccessPolicy.ReadsAnyInstant"/>).
    /// </summary>
    public Task<PublishedFigures> FiguresAsync(Timestamp? asOf, CallerScope caller, AreaRef area, AreaLevel? valuesLevel, CancellationToken ct) =>
        views.ForAsync(asOf, "as_of", AccessPolicy.ReadsAnyInstant(caller, area, state.Registry, valuesLevel), caller.KeyId, ct);

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

    /// <summary>
    /// For a map of the departments' published figures: which departments the caller may read (the others are drawn
    /// without a value); refused, with the missing right, when it may read none (<see cref="AccessPolicy.ForDepartmentMap"/>).
    /// </summary>
    public Func<AreaRef, bool> MapDepartments(CallerScope caller)
    {
        var registry = state.Registry;
        AccessPolicy.ForDepartmentMap(caller, registry).OrDeny();
        return area => AccessPolicy.ForFigures(caller, area, rawRequested: false, registry).Allowed;
    }

    /// <summary>An area of a query, as <see cref="AggregateArguments.ParseArea"/> reads it against today's registry.</summary>
    public AreaRef ParseArea(Api.Area? area) => AggregateArguments.ParseArea(area, state.Registry);

    /// <summary>
    /// A period of a query: well formed, and not after the end of next year. Figures of a later period
    /// cannot exist, and every period asked for costs memory and time.
    /// </summary>
    public Period ParsePeriod(string text, string field) => AggregateArguments.ParsePeriod(text, field, Today());

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
