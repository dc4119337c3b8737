using ScottPlot;

namespace Observatoire.Reporting.Charts;

/// <summary>One bar: its category, its length (null when the value is not shown) and its label.</summary>
internal sealed record BarItem(string Category, double? Length, string ValueText, PublishedNumber Number);

/// <summary>
/// Sorted horizontal bars with value labels at the bar ends; an absent value gets no bar but a
/// hatched placeholder row with "secret" or "n.d." written at the axis.
/// </summary>
internal static class HorizontalBars
{
    public const double BarThickness = 0.68;

    /// <summary>Orders shown values first (largest first), then absent ones by category.</summary>
    public static List<T> SortDescending<T>(IEnumerable<T> rows, Func<T, PublishedNumber> number, Func<T, string> name) =>
        rows.OrderBy(r => FrenchFormat.IsShown(number(r)) ? 0 : 1)
            .ThenByDescending(r => number(r).Value ?? double.MinValue)
            .ThenBy(r => name(r), StringComparer.Create(FrenchFormat.Culture, ignoreCase: true))
            .ToList();

    /// <summary>
    /// A plot of <paramref name="items"/>, top to bottom, for a panel of
    /// <paramref name="panelWidth"/> × <paramref name="panelHeight"/> pixels: text shrinks (down to
    /// 7 px) when the rows are tight, and long category names wrap when there is room for two lines.
    /// </summary>
    public static Plot Build(IReadOnlyList<BarItem> items, Color color, string xLabel, string? title, float panelWidth, float panelHeight, Func<double, string> tickFormatter)
    {
        var plot = ChartStyle.NewPlot();
        var n = items.Count;

        var reserved = 58f + (title is null ? 0 : 26f);
        var rowPx = (panelHeight - reserved) / Math.Max(1, n);
        var textSize = Math.Clamp(rowPx * 0.72f, 7f, ChartStyle.TickSize);
        var valueSize = Math.Min(textSize, ChartStyle.ValueLabelSize);
        var twoLines = rowPx >= textSize * 2.6f;

        // Category labels: wrap the long ones (if rows are high enough) to ~42 % of the panel.
        var maxCategoryWidth = panelWidth * 0.42f;
        var categories = items
            .Select(i => twoLines && TextLayout.Measure(i.Category, textSize) > maxCategoryWidth
                ? TextLayout.WrapToLabel(i.Category, textSize, maxCategoryWidth)
                : i.Category)
            .ToArray();
        var categoryWidth = categories.Length == 0 ? 0 : categories.Max(c => TextLayout.Measure(c, textSize));

        var maxLength = items.Where(i => i.Length is not null).Select(i => i.Length!.Value).DefaultIfEmpty(0).Max();
        var labelWidth = items.Select(i => TextLayout.Measure(i.Length is null ? string.Empty : i.ValueText, valueSize, bold: false))
            .DefaultIfEmpty(0).Max();
        var dataWidth = Math.Max(60f, panelWidth - categoryWidth - 40f);
        var labelFraction = Math.Min(0.55, (labelWidth + 12) / dataWidth);
        var xMax = maxLength > 0 ? maxLength / (1 - labelFraction) : 1;

        var bars = new List<Bar>();
        for (var i = 0; i < n; i++)
        {
            var item = items[i];
            double y = n - 1 - i;
            if (item.Length is { } length)
            {
                bars.Add(new Bar
                {
                    Position = y,
                    Value = length,
                    ValueBase = 0,
                    Size = BarThickness,
                    FillColor = color,
                    LineWidth = 0,
                    Orientation = Orientation.Horizontal,
                });
                ChartStyle.AddText(plot, item.ValueText, length, y, Alignment.MiddleLeft, size: valueSize, offsetX: 4);
            }
            else
            {
                AddAbsentRow(plot, item.Number, 0, xMax, y, Alignment.MiddleLeft, 6, valueSize);
            }
        }

        if (bars.Count > 0)
        {
            var barPlot = plot.Add.Bars(bars);
            barPlot.Horizontal = true;
            plot.MoveToBack(barPlot);
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(), categories);
        plot.Axes.Left.TickLabelStyle.FontSize = textSize;
        plot.Axes.Left.MajorTickStyle.Length = 5;
        plot.Axes.Left.MajorTickStyle.Color = Colors.Transparent;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = tickFormatter,
            TargetTickCount = 5,
        };
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.XLabel(xLabel);
        if (title is not null)
        {
            plot.Title(TextLayout.WrapToLabel(title, ChartStyle.PanelTitleSize * 1.08f, panelWidth - 16));
            plot.Axes.Title.Label.Bold = true;
            plot.Axes.Title.Label.FontSize = ChartStyle.PanelTitleSize;
            plot.Axes.Title.FullFigureCenter = true;
        }

        plot.Axes.SetLimits(0, xMax, -0.6, n - 0.4);
        return plot;
    }

    /// <summary>
    /// A hatched band from <paramref name="x1"/> to <paramref name="x2"/> and the absent label at
    /// x = <paramref name="x1"/>, for an absent value.
    /// </summary>
    public static void AddAbsentRow(Plot plot, PublishedNumber number, double x1, double x2, double y, Alignment labelAlignment, float offsetX, float size = ChartStyle.ValueLabelSize)
    {
        var band = new HatchedBox(x1, x2, y - (BarThickness / 2), y + (BarThickness / 2))
        {
            FillColor = ChartStyle.White,
            HatchColor = ChartStyle.LightGrey,
            OutlineColor = ChartStyle.LightGrey,
            OutlineWidth = 1,
        };
        plot.Add.Plottable(band);
        plot.MoveToBack(band);

        var label = ChartStyle.AddText(plot, FrenchFormat.AbsentLabel(number), x1, y, labelAlignment, size: size, color: ChartStyle.MutedText, offsetX: offsetX);
        label.LabelItalic = true;
        label.LabelBackgroundColor = ChartStyle.White;
        label.LabelPadding = 2;
    }

    /// <summary>Measures the widest label once for layout decisions.</summary>
    public static float WidestLabel(IEnumerable<string> labels, float size) =>
        labels.Select(l => TextLayout.Measure(l, size)).DefaultIfEmpty(0).Max();
}
