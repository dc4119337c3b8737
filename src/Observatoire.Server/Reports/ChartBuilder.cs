using System.Globalization;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Statistics;
using Observatoire.Reporting.Charts;
using Observatoire.Server.Aggregates;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Server.Reports;

/// <summary>
/// Turns published figures into chart data: every value goes through <see cref="PublishedFigures"/>,
/// so a chart never shows what a table would hide.
/// </summary>
internal sealed class ChartBuilder(PublishedFigures published, TimeProvider clock, Microsoft.Extensions.Options.IOptions<ConsolidationOptions> options)
{
    /// <summary>The same charts drawn from other figures (as of an instant).</summary>
    public ChartBuilder At(PublishedFigures figures) => figures == published ? this : new ChartBuilder(figures, clock, options);

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public TimeSeriesChart Series(AreaRef area, CellDefinition cell, Period from, Period to, bool raw, int width, int height, CancellationToken ct = default)
    {
        var periods = new List<Period>();
        for (var p = from; p <= to && periods.Count < 240; p = p.Shift(1))
        {
            periods.Add(p);
        }

        var points = new List<SeriesPoint>();
        var previous = new List<SeriesPoint>();
        foreach (var p in periods)
        {
            ct.ThrowIfCancellationRequested();
            points.Add(new SeriesPoint(ShortLabel(p), Number(area, p, cell, raw)));
            previous.Add(new SeriesPoint(ShortLabel(p.YearEarlier()), Number(area, p.YearEarlier(), cell, raw)));
        }

        var known = points.Select((p, i) => (X: (double)i, Y: p.Number.Value)).Where(p => p.Y is not null).ToList();
        var trend = TrendLine.Fit([.. known.Select(k => k.X)], [.. known.Select(k => k.Y!.Value)]);
        var frame = new ChartFrame(
            $"{Labels.Of(cell)} — {published.Registry.NameOf(area)}",
            $"{from.Label} à {to.Label}",
            width,
            height);
        return new TimeSeriesChart(
            frame,
            Labels.Of(cell),
            cell.Indicator.Unit,
            points,
            previous,
            trend is null ? null : new TrendInfo(trend.Slope, trend.Intercept, trend.SlopeCiLow, trend.SlopeCiHigh));
    }

    public RankingChart Ranking(AreaRef parent, CellDefinition cell, Period period, bool raw, int width, int height)
    {
        var rows = new List<RankingRow>();
        foreach (var child in published.Registry.ChildrenOf(parent, period))
        {
            var value = Number(child, period, cell, raw);
            var population = published.Registry.PopulationOf(child);
            var rate = value.Value is { } v && Rates.Per100k((long)v, population) is { } r
                ? new PublishedNumber(r, null, value.Partial)
                : value with { Value = null };
            rows.Add(new RankingRow(child.Code, ChildName(child), value, child.Level == AreaLevel.Post ? new PublishedNumber(null, "NC") : rate));
        }

        var frame = new ChartFrame(
            $"{Labels.Of(cell)} par {ChildrenLabel(parent)} — {published.Registry.NameOf(parent)}",
            period.Label,
            width,
            height);
        return new RankingChart(frame, Labels.Of(cell), cell.Indicator.Unit, rows);
    }

    /// <summary>A breakdown as bars. Distinct-person breakdowns over several periods use the grids as filed, and say so.</summary>
    public BreakdownChart Breakdown(AreaRef area, Indicator indicator, Breakdown breakdown, Period period, bool raw, int width, int height)
    {
        var schema = published.Consolidator.SchemaFor(period);
        var distinct = DistinctFor(area, period, indicator);
        var rows = schema.Layout.CellsOf(indicator, breakdown)
            .Select(c => new BreakdownRow(string.Join(" × ", c.Options.Select(o => o.Label)), Number(area, period, c, raw, distinct)))
            .ToList();
        PublishedNumber total;
        if (indicator.HasTotal && breakdown.SumsToTotal)
        {
            total = Number(area, period, schema.Layout.Cells[schema.Layout.IndexOf(indicator.Code)], raw, distinct);
        }
        else
        {
            // No published total for multi-valued indicators: shares of what is published, so nothing hidden can be inferred.
            var shown = rows.Where(r => r.Value.Value is not null).Sum(r => r.Value.Value!.Value);
            total = new PublishedNumber(shown, null, rows.Any(r => r.Value.Partial));
        }

        var subtitle = distinct == DistinctCounts.Cumulated
            ? "Cumul des grilles de la période : une personne reçue sur plusieurs mois ou trimestres est comptée à chacun (répartition, pas un nombre de personnes)"
            : indicator.HasTotal && breakdown.SumsToTotal ? null : "Plusieurs réponses possibles : parts calculées sur la somme des catégories publiées";
        var frame = new ChartFrame($"{breakdown.Label} — {published.Registry.NameOf(area)}", period.Label, width, height, subtitle);
        return new BreakdownChart(frame, indicator.Unit, rows, total, !(indicator.HasTotal && breakdown.SumsToTotal));
    }

    public PyramidChart Pyramid(AreaRef area, Period period, bool raw, int width, int height)
    {
        var schema = published.Consolidator.SchemaFor(period);
        var indicator = schema.Indicator("personnes_recues");
        var breakdown = indicator.Breakdowns.Single(b => b.Dimensions.Select(d => d.Code).SequenceEqual(["sexe", "tranche_age"]));
        var distinct = DistinctFor(area, period, indicator);
        var cells = schema.Layout.CellsOf(indicator, breakdown).ToList();
        var ages = breakdown.Dimensions[1].Options;
        PublishedNumber Cell(string sex, string age) =>
            Number(area, period, cells.Single(c => c.Options[0].Code == sex && c.Options[1].Code == age), raw, distinct);
        var unknown = ages.Select(a => Cell("non_renseigne", a.Code)).ToList();
        var unknownSum = unknown.All(u => u.Value is not null)
            ? new PublishedNumber(unknown.Sum(u => u.Value!.Value), null, unknown.Any(u => u.Partial))
            : new PublishedNumber(null, unknown.FirstOrDefault(u => u.Value is null)?.Flag ?? "C");
        var frame = new ChartFrame(
            $"Personnes reçues par sexe et âge — {published.Registry.NameOf(area)}",
            period.Label,
            width,
            height,
            distinct == DistinctCounts.Cumulated ? "Cumul des grilles de la période (une personne reçue sur plusieurs périodes est comptée à chacune)" : null);
        return new PyramidChart(
            frame,
            [.. ages.Select(a => a.Label)],
            [.. ages.Select(a => Cell("femme", a.Code))],
            [.. ages.Select(a => Cell("homme", a.Code))],
            unknownSum);
    }

    /// <summary>Departments (of the nation or a region) or posts (of a department) × the months of a year.</summary>
    public CompletenessHeatmap Completeness(AreaRef area, int year, int width, int height, IReadOnlySet<string>? onlyRows = null)
    {
        var calculator = new CompletenessCalculator(published.Registry, published.Cube, options.Value.DeadlineDays);
        var today = published.Today(clock);
        var report = calculator.For(area, Period.OfYear(year), today);

        // Departments for the nation or a region; for a department, its posts (completeness is no secret).
        var rows = area.Level switch
        {
            AreaLevel.National => published.Registry.Departments.Values.Select(d => new AreaRef(AreaLevel.Department, d.Code)).ToList(),
            AreaLevel.Region => published.Registry.DepartmentsByRegion.GetValueOrDefault(area.Code, []).Select(d => new AreaRef(AreaLevel.Department, d.Code)).ToList(),
            AreaLevel.Department => report.Posts.Select(p => new AreaRef(AreaLevel.Post, p.Post.Id)).ToList(),
            _ => [area],
        };
        if (onlyRows is not null)
        {
            rows = [.. rows.Where(r => onlyRows.Contains(r.Code))];
        }

        var cells = new Dictionary<(string Row, int Month), (int Expected, int OnTime, int Late, int Missing)>();
        foreach (var post in report.Posts)
        {
            foreach (var expected in post.ExpectedPeriods)
            {
                // A grid counts in the month its period ends: quarterly and yearly grids included.
                var row = area.Level switch
                {
                    AreaLevel.National or AreaLevel.Region => published.Registry.LocationOf(post.Post, expected),
                    AreaLevel.Department => post.Post.Id,
                    _ => area.Code,
                };
                var key = (row, expected.End.Month);
                var (e, o, l, m) = cells.GetValueOrDefault(key);
                var missing = post.MissingPeriods.Contains(expected);
                var late = post.LatePeriods.Contains(expected);
                cells[key] = (e + 1, o + (missing || late ? 0 : 1), l + (late ? 1 : 0), m + (missing ? 1 : 0));
            }
        }

        var grid = rows
            .Select(r => (IReadOnlyList<CompletenessCell>)[.. Enumerable.Range(1, 12).Select(month =>
            {
                var (e, o, l, m) = cells.GetValueOrDefault((r.Code, month));
                return new CompletenessCell(e, o, l, m);
            })])
            .ToList();
        var months = Enumerable.Range(1, 12).Select(m => new DateTime(year, m, 1).ToString("MMM", French)).ToList();
        var frame = new ChartFrame(
            $"Remontée des grilles {year} — {published.Registry.NameOf(area)}",
            $"année {year} (délai : {options.Value.DeadlineDays} jours après la fin de la période)",
            width,
            height);
        return new CompletenessHeatmap(frame, [.. rows.Select(r => r.Level == AreaLevel.Post ? published.Registry.NameOf(r) : $"{r.Code} {published.Registry.NameOf(r)}")], months, grid);
    }

    /// <summary>Every department at its position, coloured by the cell per 100,000 inhabitants.</summary>
    /// <param name="shown">The departments the caller may read (null: all); the others are drawn without a value.</param>
    public FranceMap Map(CellDefinition cell, Period period, bool raw, int width, int height, Func<AreaRef, bool>? shown = null)
    {
        var marks = new List<MapMark>();
        foreach (var department in published.Registry.Departments.Values)
        {
            var area = new AreaRef(AreaLevel.Department, department.Code);
            if (shown?.Invoke(area) == false)
            {
                marks.Add(new MapMark(department.Code, department.Name, department.Latitude, department.Longitude, new PublishedNumber(null)));
                continue;
            }

            var value = Number(area, period, cell, raw);
            var rate = value.Value is { } v && Rates.Per100k((long)v, department.Population) is { } r
                ? new PublishedNumber(r, null, value.Partial)
                : value with { Value = null };
            marks.Add(new MapMark(department.Code, department.Name, department.Latitude, department.Longitude, rate));
        }

        var frame = new ChartFrame($"{Labels.Of(cell)} pour 100 000 habitants, par département", period.Label, width, height);
        return new FranceMap(frame, "pour 100 000 hab.", marks);
    }

    /// <summary>ISCG posts per 150,000 inhabitants by department: the ANISCG coverage target is 1.</summary>
    public FranceMap CoverageMap(Period period, int width, int height)
    {
        var marks = new List<MapMark>();
        var hierarchy = published.Hierarchy(period);
        foreach (var department in published.Registry.Departments.Values)
        {
            var figures = hierarchy[new AreaRef(AreaLevel.Department, department.Code)];
            marks.Add(new MapMark(
                department.Code,
                department.Name,
                department.Latitude,
                department.Longitude,
                new PublishedNumber(Rates.PostsPer150k(figures.ExpectedPosts, department.Population))));
        }

        var frame = new ChartFrame("Couverture : postes d'ISCG pour 150 000 habitants (objectif : 1)", period.Label, width, height);
        return new FranceMap(frame, "postes pour 150 000 hab.", marks);
    }

    public PublishedNumber Number(AreaRef area, Period period, CellDefinition cell, bool raw, DistinctCounts distinct = DistinctCounts.Exact)
    {
        var figures = published.Figures(area, period, distinct);
        var value = published.Publish(figures, cell, raw, excludePartial: false, distinct, waitForPlan: true);
        var partial = value.Status == FigureStatus.Partial;
        return value.Value is { } v
            ? new PublishedNumber(v, null, partial)
            : new PublishedNumber(null, value.Confidentiality switch
            {
                CellConfidentiality.Primary => "A",
                CellConfidentiality.Secondary => "D",
                CellConfidentiality.Suppressed => "C",
                CellConfidentiality.Pending or CellConfidentiality.Withheld => "N",
                _ => value.Status == FigureStatus.NotDerivable ? "ND" : "NC",
            });
    }

    private DistinctCounts DistinctFor(AreaRef area, Period period, Indicator indicator) =>
        indicator.Aggregation == Aggregation.None
        && published.Figures(area, period).ValueOf(published.Consolidator.SchemaFor(period).Layout.IndexOf(indicator.Code)) is null
            ? DistinctCounts.Cumulated
            : DistinctCounts.Exact;

    private string ChildName(AreaRef child) => child.Level == AreaLevel.Post ? child.Code : published.Registry.NameOf(child);

    private static string ChildrenLabel(AreaRef parent) => parent.Level switch
    {
        AreaLevel.National => "région",
        AreaLevel.Region => "département",
        _ => "poste",
    };

    private static string ShortLabel(Period period) => period.Kind switch
    {
        PeriodKind.Month => period.Start.ToString("MMM yyyy", French),
        PeriodKind.Quarter => $"T{period.Index} {period.Year}",
        _ => period.ToString(),
    };

}
