using Observatoire.Reporting.Document;

namespace Observatoire.Reporting.Charts;

/// <summary>
/// The text alternative of a chart, for a reader who cannot see it: a French sentence saying what it
/// shows (extremes, totals, trend, what is secret) and its data as a table. Built from the same
/// published numbers the chart draws: a secret value stays "secret", never a number.
/// </summary>
public static class ChartAlternatives
{
    /// <summary>A report block that draws the chart and carries its alternative.</summary>
    public static ChartBlock Block(Chart chart, string caption = "") =>
        new(caption, ChartRenderer.AspectRatio(chart), (canvas, rect) => ChartRenderer.Draw(chart, canvas, rect), For(chart));

    /// <summary>The description and data table of a chart.</summary>
    public static ChartAlternative For(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var title = string.IsNullOrWhiteSpace(chart.Frame.PeriodLabel) ? chart.Frame.Title : $"{chart.Frame.Title}, {chart.Frame.PeriodLabel}";
        return chart switch
        {
            TimeSeriesChart c => Series(c, title),
            RankingChart c => Ranking(c, title),
            BreakdownChart c => Breakdown(c, title),
            PyramidChart c => Pyramid(c, title),
            CompletenessHeatmap c => Completeness(c, title),
            FranceMap c => Map(c, title),
            _ => throw new NotSupportedException($"No text alternative for {chart.GetType().Name}."),
        };
    }

    private static ChartAlternative Series(TimeSeriesChart chart, string title)
    {
        var points = chart.Points;
        var shown = points.Where(p => FrenchFormat.IsShown(p.Number)).ToList();
        var text = points.Count == 0
            ? $"Courbe de « {chart.IndicatorLabel} » sans aucun point."
            : $"Courbe de « {chart.IndicatorLabel} » de {points[0].PeriodLabel} à {points[^1].PeriodLabel}, {Plural(points.Count, "point")}";
        if (shown.Count > 0)
        {
            var high = shown.MaxBy(p => p.Number.Value!.Value)!;
            var low = shown.MinBy(p => p.Number.Value!.Value)!;
            text += high.Number.Value == low.Number.Value
                ? $" : {(shown.Count == 1 ? "une seule valeur publiée" : "la même valeur à chaque point")}, {Value(high.Number)}"
                : $" : le plus haut est {Value(high.Number)} ({high.PeriodLabel}), le plus bas {Value(low.Number)} ({low.PeriodLabel})";
            if (shown.Count == points.Count && shown.Count > 1)
            {
                text += $", {Value(new PublishedNumber(shown.Sum(p => p.Number.Value!.Value), null, shown.Any(p => p.Number.Partial)))} en tout";
            }
        }

        text += ".";
        if (chart.Trend is { } trend && shown.Count > 2)
        {
            var direction = trend.SlopeCiLow > 0 ? "à la hausse" : trend.SlopeCiHigh < 0 ? "à la baisse" : "sans hausse ni baisse nette";
            text += $" Tendance linéaire {direction} ({FrenchFormat.Signed(trend.Slope)} par période).";
        }

        var previous = chart.PreviousYear is { Count: > 0 } p2 && p2.Count == points.Count ? p2 : null;
        if (previous is not null && previous.Any(p => FrenchFormat.IsShown(p.Number)))
        {
            text += " Une seconde courbe rappelle l'année précédente.";
        }

        text += Hidden(points.Select(p => p.Number));
        var rows = points.Select((p, i) => (IReadOnlyList<string>)(previous is null
            ? [p.PeriodLabel, Value(p.Number)]
            : [p.PeriodLabel, Value(p.Number), $"{Value(previous[i].Number)} ({previous[i].PeriodLabel})"])).ToList();
        IReadOnlyList<string> headers = previous is null
            ? ["Période", FrenchFormat.Capitalize(chart.IndicatorLabel)]
            : ["Période", FrenchFormat.Capitalize(chart.IndicatorLabel), "Année précédente"];
        return new ChartAlternative(title, text, headers, rows, Alignments(headers.Count));
    }

    private static ChartAlternative Ranking(RankingChart chart, string title)
    {
        var shown = chart.Rows.Where(r => FrenchFormat.IsShown(r.Value)).ToList();
        var text = $"Classement de {Plural(chart.Rows.Count, "territoire")} selon « {chart.IndicatorLabel} », en effectif et pour 100 000 habitants";
        if (shown.Count > 0)
        {
            var high = shown.MaxBy(r => r.Value.Value!.Value)!;
            var low = shown.MinBy(r => r.Value.Value!.Value)!;
            text += $" : le plus élevé est {high.Name} ({Value(high.Value)}), le plus faible {low.Name} ({Value(low.Value)})";
            var rates = chart.Rows.Where(r => FrenchFormat.IsShown(r.RatePer100k)).ToList();
            if (rates.Count > 0)
            {
                var top = rates.MaxBy(r => r.RatePer100k.Value!.Value)!;
                text += $" ; rapporté à la population, {top.Name} est en tête ({Rate(top.RatePer100k)} pour 100 000 habitants)";
            }
        }

        text += "." + Hidden(chart.Rows.Select(r => r.Value));
        var rows = HorizontalBars.SortDescending(chart.Rows, r => r.Value, r => r.Name)
            .Select(r => (IReadOnlyList<string>)[r.Name, Value(r.Value), Rate(r.RatePer100k)])
            .ToList();
        return new ChartAlternative(title, text, ["Territoire", FrenchFormat.QuantityLabel(chart.Unit), "Pour 100 000 habitants"], rows, Alignments(3));
    }

    private static ChartAlternative Breakdown(BreakdownChart chart, string title)
    {
        var sorted = HorizontalBars.SortDescending(chart.Rows, r => r.Value, r => r.Label).ToList();
        var shown = sorted.Where(r => FrenchFormat.IsShown(r.Value)).ToList();
        var text = $"Répartition en {Plural(chart.Rows.Count, "catégorie")} ({Lower(FrenchFormat.QuantityLabel(chart.Unit))})";
        if (shown.Count > 0)
        {
            var first = shown.Take(3).Select(r => $"{r.Label} ({Value(r.Value)}, {Share(r.Value, chart.Base)})");
            text += $" ; {(shown.Count == 1 ? "la seule publiée" : "les plus nombreuses")} : {string.Join(", ", first)}";
        }

        text += ".";
        if (chart.MultiValued)
        {
            text += " Plusieurs réponses sont possibles : les parts portent sur la somme des catégories publiées.";
        }

        text += Hidden(chart.Rows.Select(r => r.Value));
        var rows = sorted.Select(r => (IReadOnlyList<string>)[r.Label, Value(r.Value), Share(r.Value, chart.Base)]).ToList();
        rows.Add([chart.MultiValued ? "Somme des catégories publiées" : "Total", Value(chart.Base), FrenchFormat.IsShown(chart.Base) ? FrenchFormat.Percent(100) : "—"]);
        return new ChartAlternative(title, text, ["Catégorie", FrenchFormat.QuantityLabel(chart.Unit), "Part"], rows, Alignments(3));
    }

    private static ChartAlternative Pyramid(PyramidChart chart, string title)
    {
        var bands = chart.AgeBands.Count;
        var text = $"Pyramide des âges ({Lower(FrenchFormat.QuantityLabel(chart.Unit))}) : hommes à gauche, femmes à droite, en {Plural(bands, "tranche")} d'âge";
        var women = Sum(chart.Women);
        var men = Sum(chart.Men);
        if (women is not null && men is not null)
        {
            text += $" ; {Value(women)} femmes et {Value(men)} hommes";
        }

        var both = Enumerable.Range(0, bands)
            .Where(i => i < chart.Women.Count && i < chart.Men.Count && FrenchFormat.IsShown(chart.Women[i]) && FrenchFormat.IsShown(chart.Men[i]))
            .ToList();
        if (both.Count > 0)
        {
            var top = both.MaxBy(i => chart.Women[i].Value!.Value + chart.Men[i].Value!.Value);
            text += $" ; la tranche la plus nombreuse est {chart.AgeBands[top]}";
        }

        text += $". Sexe non renseigné : {Value(chart.SexUnknown)}." + Hidden(chart.Women.Concat(chart.Men).Append(chart.SexUnknown));
        var rows = Enumerable.Range(0, bands)
            .Select(i => (IReadOnlyList<string>)[chart.AgeBands[i], At(chart.Women, i), At(chart.Men, i)])
            .ToList();
        rows.Add(["Sexe non renseigné (toutes tranches)", Value(chart.SexUnknown), "—"]);
        return new ChartAlternative(title, text, ["Tranche d'âge", "Femmes", "Hommes"], rows, Alignments(3));
    }

    private static ChartAlternative Completeness(CompletenessHeatmap chart, string title)
    {
        var cells = chart.Cells.SelectMany(r => r).ToList();
        var expected = cells.Sum(c => c.Expected);
        var text = $"Remontée des grilles, ligne par ligne (poste ou territoire), pour {Plural(chart.RowLabels.Count, "ligne")} et {Plural(chart.ColumnLabels.Count, "période")} : "
            + $"{Count(expected)} grilles attendues, {Count(cells.Sum(c => c.OnTime))} reçues dans les délais, "
            + $"{Count(cells.Sum(c => c.Late))} en retard et {Count(cells.Sum(c => c.Missing))} manquantes.";
        var incomplete = chart.RowLabels.Where((_, r) => chart.Cells[r].Any(c => c.Missing > 0)).ToList();
        text += incomplete.Count == 0
            ? " Aucune ligne n'a de grille manquante."
            : $" {Plural(incomplete.Count, "ligne")} {(incomplete.Count == 1 ? "a" : "ont")} au moins une grille manquante.";
        var rows = chart.RowLabels.Select((label, r) =>
        {
            var row = chart.Cells[r];
            var missing = row.Select((c, m) => (c, m)).Where(x => x.c.Missing > 0).Select(x => chart.ColumnLabels[x.m]).ToList();
            return (IReadOnlyList<string>)
            [
                label,
                Count(row.Sum(c => c.Expected)),
                Count(row.Sum(c => c.OnTime)),
                Count(row.Sum(c => c.Late)),
                Count(row.Sum(c => c.Missing)),
                missing.Count == 0 ? "—" : string.Join(", ", missing),
            ];
        }).ToList();
        IReadOnlyList<ColumnAlignment> alignments =
            [ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Left];
        return new ChartAlternative(title, text, ["Poste ou territoire", "Attendues", "Dans les délais", "En retard", "Manquantes", "Périodes avec une grille manquante"], rows, alignments);
    }

    private static ChartAlternative Map(FranceMap chart, string title)
    {
        var shown = chart.Marks.Where(m => FrenchFormat.IsShown(m.Value)).OrderBy(m => m.Value.Value!.Value).ToList();
        var text = $"Carte de {Plural(chart.Marks.Count, "département")}, colorés selon « {chart.ValueLabel} »";
        if (shown.Count > 0)
        {
            var median = shown.Count % 2 == 1
                ? shown[shown.Count / 2].Value.Value!.Value
                : (shown[shown.Count / 2 - 1].Value.Value!.Value + shown[shown.Count / 2].Value.Value!.Value) / 2;
            text += $" : les valeurs vont de {Decimal(shown[0].Value)} ({shown[0].Name}) à {Decimal(shown[^1].Value)} ({shown[^1].Name}), médiane {FrenchFormat.Number(median, 1)}";
        }

        text += "." + Hidden(chart.Marks.Select(m => m.Value));
        var rows = chart.Marks.OrderBy(m => m.Code, StringComparer.Ordinal)
            .Select(m => (IReadOnlyList<string>)[$"{m.Code} {m.Name}", Decimal(m.Value)])
            .ToList();
        return new ChartAlternative(title, text, ["Département", FrenchFormat.Capitalize(chart.ValueLabel)], rows, Alignments(2));
    }

    /// <summary>" 3 valeurs sont couvertes par le secret statistique." or nothing.</summary>
    private static string Hidden(IEnumerable<PublishedNumber> numbers)
    {
        var list = numbers.ToList();
        var secret = list.Count(n => n.IsSecret);
        var unavailable = list.Count(n => n.Value is null && !n.IsSecret);
        var text = secret == 0 ? string.Empty
            : secret == 1 ? " Une valeur est couverte par le secret statistique." : $" {Count(secret)} valeurs sont couvertes par le secret statistique.";
        text += unavailable == 0 ? string.Empty
            : unavailable == 1 ? " Une valeur n'est pas disponible." : $" {Count(unavailable)} valeurs ne sont pas disponibles.";
        return text + (list.Any(n => n.Partial && n.Value is not null) ? " * chiffre partiel (grilles manquantes)." : string.Empty);
    }

    private static PublishedNumber? Sum(IReadOnlyList<PublishedNumber> numbers) =>
        numbers.All(FrenchFormat.IsShown) ? new PublishedNumber(numbers.Sum(n => n.Value!.Value), null, numbers.Any(n => n.Partial)) : null;

    private static string At(IReadOnlyList<PublishedNumber> numbers, int i) => i < numbers.Count ? Value(numbers[i]) : "—";

    private static string Value(PublishedNumber? number) => number is null ? "—" : FrenchFormat.Published(number, 1);

    private static string Decimal(PublishedNumber number) => FrenchFormat.Published(number, 2);

    private static string Rate(PublishedNumber number) => FrenchFormat.PublishedFixed(number, 1);

    private static string Share(PublishedNumber value, PublishedNumber total) =>
        FrenchFormat.IsShown(value) && FrenchFormat.IsShown(total) && total.Value > 0
            ? FrenchFormat.Percent(100 * value.Value!.Value / total.Value!.Value)
            : "—";

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLower(text[0], FrenchFormat.Culture) + text[1..];

    private static string Count(long value) => FrenchFormat.Number(value, 0);

    private static string Plural(int count, string noun) => $"{Count(count)} {noun}{(count > 1 ? "s" : string.Empty)}";

    private static IReadOnlyList<ColumnAlignment> Alignments(int columns) =>
        [ColumnAlignment.Left, .. Enumerable.Repeat(ColumnAlignment.Right, columns - 1)];
}
