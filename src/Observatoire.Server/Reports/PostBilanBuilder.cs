using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;
using Observatoire.Reporting.Charts;
using Observatoire.Reporting.Document;
using Observatoire.Server.Aggregates;
using static Observatoire.Server.Reports.ReportFormat;

namespace Observatoire.Server.Reports;

/// <summary>
/// Composes a post's bilan d'activité for its comité de suivi from its own grids, raw (they are its own figures):
/// the key figures of the year and their change, the activity period by period, then every breakdown of the grid
/// section by section (publics, problems, referrals, orientations, acts), then the qualitative part the post wrote.
/// Everything but the layout comes from the schema: the first section's totals are the key figures.
/// </summary>
internal sealed class PostBilanBuilder(ConsolidationState state, ChartBuilder charts, TimeProvider clock)
{
    private const string Publisher = "Observatoire national des intervenants sociaux en commissariat et gendarmerie";

    public ReportDocument Build(string postId, int year, string markdown)
    {
        var post = state.Registry.Posts[postId];
        var period = Period.OfYear(year);
        var schema = state.Consolidator.SchemaFor(period);
        var area = new AreaRef(AreaLevel.Post, post.Id);
        var figures = state.Consolidator.ForArea(area, period);
        var sections = new List<ReportSection>
        {
            Overview(post, area, period, schema, figures),
            Activity(post, area, period, schema),
        };
        sections.AddRange(BySection(area, period, schema));
        if (!string.IsNullOrWhiteSpace(markdown))
        {
            sections.AddRange(MarkdownSections.Parse(markdown, "Bilan qualitatif"));
        }

        var department = state.Registry.Departments.TryGetValue(state.Registry.LocationOf(post, period), out var d) ? d : null;
        return new ReportDocument(
            $"Bilan d'activité {year}",
            $"{post.Name} ({post.Id}){(department is null ? "" : $" — {department.Name} ({department.Code})")} : rapport au comité de suivi",
            Publisher,
            DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime),
            sections);
    }

    private ReportSection Overview(PostInfo post, AreaRef area, Period period, GridSchema schema, AreaFigures figures)
    {
        var grids = state.Cube.GridsOf(post.Id).Where(g => period.Contains(g.Period)).ToList();
        var own = grids.Count(g => g.Period.Kind == post.ReportingKind);
        var expected = period.Split(post.ReportingKind).Count(post.ActiveDuring);
        var bilan = grids.Any(g => g.Period == period);
        var frequency = post.Frequency switch
        {
            ReportingFrequency.Month => "chaque mois",
            ReportingFrequency.Quarter => "chaque trimestre",
            _ => "chaque année",
        };
        var source = bilan
            ? $"Les chiffres de l'année viennent du bilan annuel du poste ({schema.YearlyBilan?.Label ?? "grille de l'année"})."
            : $"Le poste n'a pas transmis de grille de l'année : les chiffres de l'année additionnent ses {Count(own)} grille(s) ; les personnes distinctes de l'année (n.d.) ne se déduisent pas de grilles plus courtes.";
        var blocks = new List<ReportBlock>
        {
            new ParagraphBlock(
                $"Poste {post.Name} ({post.Id}), {Decimal(post.Fte)} ETP, actif depuis le {Date(post.ActiveFrom)}"
                + (post.ActiveTo is { } to ? $" jusqu'au {Date(to)}" : "")
                + $". Il transmet sa grille statistique {frequency} : {Count(own)} grille(s) reçue(s) pour {period.Year} sur {Count(expected)} attendue(s). {source}"),
            KeyFigures(area, period, schema),
            TotalsTable(area, period, schema.Indicators.Where(i => i.HasTotal), "Chiffres clés de l'année"),
            new NoteBlock("Chiffres bruts du poste, tels qu'il les a déclarés dans ses grilles (sans secret statistique). n.d. : non dérivable ; — : aucune grille."),
        };
        if (figures.Missing.Count > 0)
        {
            blocks.Add(new NoteBlock($"* Chiffres partiels : {figures.Missing.Count} grille(s) attendue(s) manquante(s)."));
        }

        return new ReportSection("L'année en chiffres", 1, blocks);
    }

    private KeyFiguresBlock KeyFigures(AreaRef area, Period period, GridSchema schema)
    {
        var first = schema.Sections[0].Code;
        return new KeyFiguresBlock([.. schema.Indicators.Where(i => i.HasTotal && i.Section == first).Select(indicator =>
        {
            var cell = Total(schema, indicator);
            var now = charts.Number(area, period, cell, raw: true);
            return new KeyFigure(indicator.Label, Show(now), ChangeText(now, charts.Number(area, period.YearEarlier(), cell, raw: true)));
        })]);
    }

    private TableBlock TotalsTable(AreaRef area, Period period, IEnumerable<Indicator> indicators, string caption)
    {
        var schema = state.Consolidator.SchemaFor(period);
        var rows = indicators.Select(indicator =>
        {
            var cell = Total(schema, indicator);
            var now = charts.Number(area, period, cell, raw: true);
            var before = charts.Number(area, period.YearEarlier(), cell, raw: true);
            return (IReadOnlyList<string>)[indicator.Label, Show(before), Show(now), ChangeText(now, before) ?? "—"];
        }).ToList();
        return new TableBlock(
            caption,
            ["Indicateur", (period.Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), period.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), "Évolution"],
            rows,
            [ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right]);
    }

    /// <summary>Month by month (quarter by quarter for a quarterly post): the totals of every indicator.</summary>
    private ReportSection Activity(PostInfo post, AreaRef area, Period period, GridSchema schema)
    {
        var kind = post.ReportingKind == PeriodKind.Year ? PeriodKind.Quarter : post.ReportingKind;
        var steps = period.Split(kind);
        var totals = schema.Indicators.Where(i => i.HasTotal).ToList();
        var rows = steps.Select(step => (IReadOnlyList<string>)
            [kind == PeriodKind.Month ? MonthName(step.Start) : step.Label, .. totals.Select(i => Show(charts.Number(area, step, Total(schema, i), raw: true)))]).ToList();
        var blocks = new List<ReportBlock>
        {
            new TableBlock(
                kind == PeriodKind.Month ? "Activité mois par mois" : "Activité trimestre par trimestre",
                ["Période", .. totals.Select(i => i.Label)],
                rows,
                [ColumnAlignment.Left, .. totals.Select(_ => ColumnAlignment.Right)],
                "Chaque ligne est la grille de la période ; — : grille non transmise ; n.d. : personnes distinctes d'une période plus longue que celle des grilles."),
        };
        if (schema.Indicators.FirstOrDefault(i => i.HasTotal && i.Aggregation == Aggregation.Sum) is { } flow)
        {
            blocks.Add(Chart(charts.Series(area, Total(schema, flow), steps[0], steps[^1], raw: true, 1000, 520)));
        }

        return new ReportSection(kind == PeriodKind.Month ? "L'activité mois par mois" : "L'activité trimestre par trimestre", 1, blocks);
    }

    /// <summary>One section per section of the form: its breakdowns as tables (bars for long lists), its other totals.</summary>
    private IEnumerable<ReportSection> BySection(AreaRef area, Period period, GridSchema schema)
    {
        var first = schema.Sections[0].Code;
        var parts = new List<ReportSection>();
        foreach (var section in schema.Sections)
        {
            var blocks = new List<ReportBlock>();
            foreach (var indicator in schema.Indicators)
            {
                foreach (var breakdown in indicator.Breakdowns.Where(b => b.Section == section.Code))
                {
                    blocks.Add(breakdown.Dimensions.Count == 2 ? CrossTable(area, period, schema, indicator, breakdown) : BreakdownTable(area, period, schema, indicator, breakdown));
                    if (breakdown.Dimensions.Count == 1 && breakdown.Dimensions[0].Options.Count >= 6)
                    {
                        blocks.Add(Chart(charts.Breakdown(area, indicator, breakdown, period, raw: true, 1000, 520)));
                    }
                }
            }

            var totals = schema.Indicators.Where(i => i.HasTotal && i.Section == section.Code && section.Code != first).ToList();
            if (totals.Count > 0)
            {
                blocks.Add(TotalsTable(area, period, totals, section.Label));
            }

            if (blocks.Count > 0)
            {
                parts.Add(new ReportSection(section.Label, 2, blocks));
            }
        }

        return parts.Count == 0 ? [] : [new ReportSection("Publics, situations et réponses apportées", 1, []), .. parts];
    }

    private TableBlock BreakdownTable(AreaRef area, Period period, GridSchema schema, Indicator indicator, Breakdown breakdown)
    {
        var cells = schema.Layout.CellsOf(indicator, breakdown).ToList();
        var values = cells.Select(c => charts.Number(area, period, c, raw: true)).ToList();
        var total = indicator.HasTotal && breakdown.SumsToTotal
            ? charts.Number(area, period, Total(schema, indicator), raw: true)
            : new PublishedNumber(values.All(v => v.Value is null) ? null : values.Sum(v => v.Value ?? 0), values.All(v => v.Value is null) ? values[0].Flag : null);
        var rows = cells.Select((cell, i) => (IReadOnlyList<string>)
        [
            string.Join(", ", cell.Options.Select(o => o.Label)),
            Show(values[i]),
            values[i].Value is { } v && total.Value is > 0 ? Percent(v / total.Value.Value) : "—",
        ]).ToList();
        rows.Add([breakdown.SumsToTotal ? "Total" : "Total des réponses", Show(total), total.Value is > 0 ? Percent(1) : "—"]);
        return new TableBlock(
            breakdown.Label,
            [breakdown.Dimensions[0].Label, indicator.Label, "Part"],
            rows,
            [ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Right],
            breakdown.SumsToTotal ? null : "Plusieurs réponses possibles : les parts se rapportent au total des réponses.");
    }

    /// <summary>A two-way breakdown as on the paper form: the second dimension down, the first across, with totals.</summary>
    private TableBlock CrossTable(AreaRef area, Period period, GridSchema schema, Indicator indicator, Breakdown breakdown)
    {
        var cells = schema.Layout.CellsOf(indicator, breakdown).ToList();
        var across = breakdown.Dimensions[0];
        var down = breakdown.Dimensions[1];
        PublishedNumber Value(DimensionOption a, DimensionOption b) =>
            charts.Number(area, period, cells.Single(c => c.Options[0] == a && c.Options[1] == b), raw: true);
        string Sum(IEnumerable<PublishedNumber> numbers)
        {
            var list = numbers.ToList();
            return list.Any(n => n.Value is null) ? Show(list.First(n => n.Value is null)) : Count((long)list.Sum(n => n.Value!.Value));
        }

        var rows = down.Options.Select(b => (IReadOnlyList<string>)
            [b.Label, .. across.Options.Select(a => Show(Value(a, b))), Sum(across.Options.Select(a => Value(a, b)))]).ToList();
        rows.Add(["Total", .. across.Options.Select(a => Sum(down.Options.Select(b => Value(a, b)))), Sum(cells.Select(c => charts.Number(area, period, c, raw: true)))]);
        return new TableBlock(
            breakdown.Label,
            [down.Label, .. across.Options.Select(a => a.Label), "Total"],
            rows,
            [ColumnAlignment.Left, .. across.Options.Select(_ => ColumnAlignment.Right), ColumnAlignment.Right]);
    }

    private static CellDefinition Total(GridSchema schema, Indicator indicator) => schema.Layout.Cells[schema.Layout.IndexOf(indicator.Code)];

    private static ChartBlock Chart(Chart chart) =>
        ChartAlternatives.Block(chart);
}
