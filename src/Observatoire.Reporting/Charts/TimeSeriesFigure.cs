using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>
/// A series over months or quarters: the current year as a solid line with dots, the previous
/// year dashed with hollow dots, the least-squares trend as a dashed line; gaps where values are
/// not shown, with a hatched band and "secret"/"n.d." written in it.
/// </summary>
internal sealed partial class TimeSeriesFigure : ChartFigure
{
    private readonly TimeSeriesChart chart;
    private readonly string step;
    private readonly string[] labels;
    private readonly string? year;

    public TimeSeriesFigure(TimeSeriesChart chart)
        : base(chart.Frame)
    {
        this.chart = chart;
        step = StepOf(chart.Points.Select(p => p.PeriodLabel));
        (labels, year) = ShortLabels(chart.Points.Select(p => p.PeriodLabel).ToList());
        var previousGaps = chart.PreviousYear?.Any(p => !FrenchFormat.IsShown(p.Number)) == true;
        AddValueNotes(
            chart.Points.Select(p => p.Number).Concat(chart.PreviousYear?.Select(p => p.Number) ?? []),
            previousGaps ? "année précédente : valeurs non publiées non tracées" : string.Empty);
    }

    public override IReadOnlyList<PlacedPlot> Build(SKRect body)
    {
        var plot = ChartStyle.NewPlot();
        var points = chart.Points;
        var n = points.Count;
        var legend = new List<LegendItem>();

        // Previous year first, so that the current year is drawn on top of it.
        if (chart.PreviousYear is { Count: > 0 } previous)
        {
            foreach (var segment in Segments(previous.Take(n).Select(p => p.Number).ToList()))
            {
                var s = plot.Add.Scatter(segment.Xs, segment.Ys, ChartStyle.Grey);
                s.LineWidth = 2;
                s.LinePattern = LinePattern.Dashed;
                s.MarkerShape = MarkerShape.OpenCircle;
                s.MarkerSize = 7;
                s.MarkerLineWidth = 1.5f;
            }

            for (var i = 0; i < Math.Min(n, previous.Count); i++)
            {
                if (FrenchFormat.IsShown(previous[i].Number) && previous[i].Number.Partial)
                {
                    ChartStyle.AddText(plot, "*", i, previous[i].Number.Value!.Value, Alignment.LowerCenter, size: 15, color: ChartStyle.Grey, bold: true, offsetY: -5);
                }
            }

            var previousYear = ShortLabels(previous.Select(p => p.PeriodLabel).ToList()).Year;
            legend.Add(new LegendItem
            {
                LabelText = previousYear is null ? "Même période, année précédente" : $"Année précédente ({previousYear})",
                LineColor = ChartStyle.Grey,
                LineWidth = 2,
                LinePattern = LinePattern.Dashed,
                MarkerShape = MarkerShape.OpenCircle,
                MarkerSize = 7,
                MarkerLineColor = ChartStyle.Grey,
                MarkerLineWidth = 1.5f,
            });
        }

        var numbers = points.Select(p => p.Number).ToList();
        foreach (var segment in Segments(numbers))
        {
            var s = plot.Add.Scatter(segment.Xs, segment.Ys, ChartStyle.Blue);
            s.LineWidth = 2.5f;
            s.MarkerShape = MarkerShape.FilledCircle;
            s.MarkerSize = 7;
        }

        legend.Insert(0, new LegendItem
        {
            LabelText = chart.IndicatorLabel,
            LineColor = ChartStyle.Blue,
            LineWidth = 2.5f,
            MarkerShape = MarkerShape.FilledCircle,
            MarkerSize = 7,
            MarkerFillColor = ChartStyle.Blue,
            MarkerLineColor = ChartStyle.Blue,
        });

        if (chart.Trend is { } trend && n >= 2)
        {
            var line = plot.Add.Line(0, trend.Intercept, n - 1, trend.Intercept + (trend.Slope * (n - 1)));
            line.LineColor = ChartStyle.Vermillion;
            line.LineWidth = 2;
            line.LinePattern = LinePattern.DenselyDashed;
            line.MarkerSize = 0;
            legend.Add(new LegendItem
            {
                LabelText = TrendLabel(trend),
                LineColor = ChartStyle.Vermillion,
                LineWidth = 2,
                LinePattern = LinePattern.DenselyDashed,
            });
        }

        // Vertical range: from 0 (or the lowest value) to the highest value with room for labels.
        var values = numbers.Where(FrenchFormat.IsShown).Select(v => v.Value!.Value)
            .Concat(chart.PreviousYear?.Take(n).Select(p => p.Number).Where(FrenchFormat.IsShown).Select(v => v.Value!.Value) ?? [])
            .ToList();
        if (chart.Trend is { } t && n >= 2)
        {
            values.Add(t.Intercept);
            values.Add(t.Intercept + (t.Slope * (n - 1)));
        }

        var yMax = values.Count == 0 ? 1 : values.Max();
        var yMin = Math.Min(0, values.Count == 0 ? 0 : values.Min());
        if (yMax <= yMin)
        {
            yMax = yMin + 1;
        }

        var span = yMax - yMin;
        var top = yMax + (span * 0.12);
        var bottom = yMin < 0 ? yMin - (span * 0.05) : 0;

        // Absent current-year values: hatched band across the plot, label at the bottom.
        var slotWidth = (body.Width - 120) / Math.Max(1, n);
        for (var i = 0; i < n; i++)
        {
            var number = numbers[i];
            if (FrenchFormat.IsShown(number))
            {
                if (number.Partial)
                {
                    ChartStyle.AddText(plot, "*", i, number.Value!.Value, Alignment.LowerCenter, size: 15, color: ChartStyle.Blue, bold: true, offsetY: -5);
                }

                continue;
            }

            var band = new HatchedBox(i - Math.Min(0.3, 24 / slotWidth), i + Math.Min(0.3, 24 / slotWidth), bottom, top)
            {
                FillColor = ChartStyle.White,
                HatchColor = ChartStyle.LightGrey,
            };
            plot.Add.Plottable(band);
            plot.MoveToBack(band);

            var vertical = slotWidth < TextLayout.Measure("secret", ChartStyle.ValueLabelSize) + 8;
            var label = ChartStyle.AddText(plot, FrenchFormat.AbsentLabel(number), i, bottom, vertical ? Alignment.MiddleLeft : Alignment.LowerCenter, color: ChartStyle.MutedText, offsetY: -6);
            label.LabelItalic = true;
            label.LabelBackgroundColor = ChartStyle.White;
            label.LabelPadding = 2;
            if (vertical)
            {
                label.LabelRotation = -90;
            }
        }

        // Axes.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, n).Select(i => (double)i).ToArray(), labels);
        var widest = HorizontalBars.WidestLabel(labels, ChartStyle.TickSize);
        if (widest + 6 > slotWidth)
        {
            // ScottPlot does not make room for rotated tick labels: reserve it.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = ((widest + ChartStyle.TickSize) * 0.71f) + ChartStyle.AxisLabelSize + 18;
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = FrenchFormat.TickFormatter(), TargetTickCount = 6 };
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        var xLabel = step switch { "mois" => "Mois", "trimestre" => "Trimestre", _ => "Période" };
        plot.XLabel(year is null ? xLabel : $"{xLabel} ({year})");
        plot.YLabel(FrenchFormat.QuantityLabel(chart.Unit));
        plot.Axes.SetLimits(-0.5, n - 0.5, bottom, top);

        plot.Legend.ManualItems.AddRange(legend);
        ChartStyle.ShowLegendBelow(plot);

        return [new PlacedPlot(plot, new PixelRect(body.Left, body.Right, body.Bottom, body.Top))];
    }

    private string TrendLabel(TrendInfo trend)
    {
        var decimals = Math.Abs(trend.Slope) < 1 ? 2 : 1;
        var per = step switch { "mois" => "par mois", "trimestre" => "par trimestre", _ => "par période" };
        var unit = chart.Unit.Trim() is "%" ? (Math.Abs(trend.Slope) < 2 ? "point" : "points") : chart.Unit.Trim();
        var level = FrenchFormat.Number(trend.ConfidenceLevel * 100, 1) + FrenchFormat.Thin + "%";
        return $"Tendance linéaire (moindres carrés) : {FrenchFormat.Signed(trend.Slope, decimals)} {unit} {per} "
            + $"(IC à {level} : {FrenchFormat.Signed(trend.SlopeCiLow, decimals)} à {FrenchFormat.Signed(trend.SlopeCiHigh, decimals)})";
    }

    /// <summary>"mois", "trimestre" or "période", guessed from the period labels.</summary>
    internal static string StepOf(IEnumerable<string> labels)
    {
        var list = labels.ToList();
        if (list.Count == 0)
        {
            return "période";
        }

        if (list.All(l => QuarterPattern().IsMatch(l)))
        {
            return "trimestre";
        }

        var months = FrenchFormat.Culture.DateTimeFormat.AbbreviatedMonthNames
            .Concat(FrenchFormat.Culture.DateTimeFormat.MonthNames)
            .Where(m => m.Length > 0)
            .Select(m => m.TrimEnd('.').ToLowerInvariant())
            .ToList();
        return list.All(l => MonthPattern().IsMatch(l) || months.Any(m => l.ToLowerInvariant().Contains(m, StringComparison.Ordinal)))
            ? "mois"
            : "période";
    }

    /// <summary>
    /// Drops a year common to every label ("janv. 2025" → "janv.", "2025-T1" → "T1") and returns
    /// it, so that it goes once into the axis title.
    /// </summary>
    internal static (string[] Labels, string? Year) ShortLabels(IReadOnlyList<string> labels)
    {
        if (labels.Count == 0)
        {
            return ([], null);
        }

        var matches = labels.Select(l => YearPattern().Match(l.Trim())).ToList();
        if (matches.All(m => m.Success))
        {
            var years = matches.Select(m => m.Groups["year"].Value).Distinct().ToList();
            var rest = matches.Select(m => m.Groups["rest"].Value.Trim()).ToArray();
            if (years.Count == 1 && rest.All(r => r.Length > 0) && rest.Distinct().Count() == rest.Length)
            {
                return (rest, years[0]);
            }
        }

        return (labels.ToArray(), null);
    }

    [GeneratedRegex(@"^(?:(?<rest>.+?)[\s\u00A0\u202F]+(?<year>(19|20)\d{2})|(?<year>(19|20)\d{2})-(?<rest>T[1-4]))$")]
    private static partial Regex YearPattern();

    [GeneratedRegex(@"(^|[^A-Za-z])T[1-4]($|[^0-9])|trimestre", RegexOptions.IgnoreCase)]
    private static partial Regex QuarterPattern();

    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex MonthPattern();

    private static IEnumerable<(double[] Xs, double[] Ys)> Segments(IReadOnlyList<PublishedNumber> numbers)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i <= numbers.Count; i++)
        {
            if (i < numbers.Count && FrenchFormat.IsShown(numbers[i]))
            {
                xs.Add(i);
                ys.Add(numbers[i].Value!.Value);
                continue;
            }

            if (xs.Count > 0)
            {
                yield return (xs.ToArray(), ys.ToArray());
                xs.Clear();
                ys.Clear();
            }
        }
    }
}
