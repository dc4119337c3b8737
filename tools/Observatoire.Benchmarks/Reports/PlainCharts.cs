using System.Globalization;
using Observatoire.Reporting.Charts;
using Observatoire.Reporting.Maps;
using ScottPlot;
using SkiaSharp;

namespace Observatoire.Benchmarks.Reports;

/// <summary>
/// The baseline of the report scenario: the report's charts drawn by ScottPlot alone, as anyone would write them
/// in a few lines each: a <see cref="Plot"/> per panel, the same series and data (the report's own chart records,
/// taken before the timed loop), a title, axis labels and value labels, rendered as vectors at the report's size into
/// a PDF page (one chart a page, A4, at the report's print scale). No Observatoire reporting code runs in the loop:
/// no figure classes, French formatting, notes, text alternatives, layout or hatching.
/// </summary>
internal static class PlainCharts
{
    private const float PageWidth = 595f;
    private const float PageHeight = 842f;
    private const float ContentLeft = 57f;
    private const float ContentTop = 76f;

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>Draws every chart on its own page of a PDF in memory and returns its size in bytes.</summary>
    public static long DrawAll(IReadOnlyList<(Chart Chart, SKSize Size)> charts, float printScale)
    {
        using var stream = new MemoryStream();
        using (var pdf = SKDocument.CreatePdf(stream))
        {
            foreach (var (chart, size) in charts)
            {
                var canvas = pdf.BeginPage(PageWidth, PageHeight);
                canvas.Translate(ContentLeft, ContentTop);
                canvas.Scale(printScale);
                var width = size.Width / printScale;
                var height = size.Height / printScale;
                var panels = Panels(chart, width, height);
                foreach (var (plot, rect) in panels)
                {
                    plot.Render(canvas, rect);
                    plot.Dispose();
                }

                pdf.EndPage();
            }

            pdf.Close();
        }

        return stream.Length;
    }

    private static List<(Plot Plot, PixelRect Rect)> Panels(Chart chart, float width, float height)
    {
        var full = new PixelRect(0, width, height, 0);
        return chart switch
        {
            TimeSeriesChart c => [(Series(c), full)],
            RankingChart c =>
            [
                (Bars(c.Frame.Title, c.Rows.Select(r => (r.Name, r.Value.Value)), c.Unit), new PixelRect(0, width / 2, height, 0)),
                (Bars("Pour 100 000 habitants", c.Rows.Select(r => (r.Name, r.RatePer100k.Value)), "taux"), new PixelRect(width / 2, width, height, 0)),
            ],
            BreakdownChart c => [(Bars(c.Frame.Title, c.Rows.Select(r => (r.Label, r.Value.Value)), c.Unit), full)],
            PyramidChart c => [(Pyramid(c), full)],
            CompletenessHeatmap c => [(Heatmap(c), full)],
            FranceMap c => [(Map(c), full)],
            _ => throw new NotSupportedException(chart.GetType().Name),
        };
    }

    private static Plot Series(TimeSeriesChart chart)
    {
        var plot = new Plot();
        plot.Title(chart.Frame.Title);
        var xs = Enumerable.Range(0, chart.Points.Count).Select(i => (double)i).ToArray();
        var line = plot.Add.Scatter(xs, chart.Points.Select(p => p.Number.Value ?? double.NaN).ToArray());
        line.LegendText = chart.IndicatorLabel;
        if (chart.PreviousYear is { } previous)
        {
            var before = plot.Add.Scatter(xs[..previous.Count], previous.Select(p => p.Number.Value ?? double.NaN).ToArray());
            before.LegendText = "Année précédente";
        }

        if (chart.Trend is { } trend)
        {
            plot.Add.Line(0, trend.Intercept, xs.Length - 1, trend.Intercept + (trend.Slope * (xs.Length - 1)));
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, [.. chart.Points.Select(p => p.PeriodLabel)]);
        plot.YLabel(chart.Unit);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    private static Plot Bars(string title, IEnumerable<(string Label, double? Value)> rows, string unit)
    {
        var plot = new Plot();
        plot.Title(title);
        var sorted = rows.OrderBy(r => r.Value ?? -1).ToList();
        var bars = sorted.Select((r, i) => new Bar
        {
            Position = i,
            Value = r.Value ?? 0,
            Label = r.Value is { } v ? v.ToString("N0", French) : "secret",
        }).ToList();
        var series = plot.Add.Bars(bars);
        series.Horizontal = true;
        series.ValueLabelStyle.FontSize = 11.5f;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, sorted.Count).Select(i => (double)i).ToArray(), [.. sorted.Select(r => r.Label)]);
        plot.XLabel(unit);
        plot.Axes.Margins(left: 0, right: 0.15);
        return plot;
    }

    private static Plot Pyramid(PyramidChart chart)
    {
        var plot = new Plot();
        plot.Title(chart.Frame.Title);
        var bars = new List<Bar>();
        for (var i = 0; i < chart.AgeBands.Count; i++)
        {
            bars.Add(new Bar { Position = i, Value = -(chart.Women[i].Value ?? 0), FillColor = Colors.Orange, Label = Label(chart.Women[i].Value) });
            bars.Add(new Bar { Position = i, Value = chart.Men[i].Value ?? 0, FillColor = Colors.SteelBlue, Label = Label(chart.Men[i].Value) });
        }

        plot.Add.Bars(bars).Horizontal = true;
        plot.Add.VerticalLine(0);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, chart.AgeBands.Count).Select(i => (double)i).ToArray(), [.. chart.AgeBands]);
        plot.XLabel(chart.Unit);
        return plot;
    }

    private static Plot Heatmap(CompletenessHeatmap chart)
    {
        var plot = new Plot();
        plot.Title(chart.Frame.Title);
        var rows = chart.RowLabels.Count;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < chart.ColumnLabels.Count; c++)
            {
                var cell = chart.Cells[r][c];
                var box = plot.Add.Rectangle(c + 0.04, c + 0.96, rows - 1 - r + 0.06, rows - r - 0.06);
                box.FillColor = cell.Expected <= 0 ? Colors.LightGray : cell.Missing > 0 ? Colors.OrangeRed : cell.Late > 0 ? Colors.Orange : Colors.SkyBlue;
                box.LineWidth = 0;
            }
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(r => rows - 1 - r + 0.5).ToArray(), [.. chart.RowLabels]);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, chart.ColumnLabels.Count).Select(c => c + 0.5).ToArray(), [.. chart.ColumnLabels]);
        return plot;
    }

    /// <summary>The departments' boundaries filled by fifths of the value (shapes read once, before the loop), overseas as markers.</summary>
    private static Plot Map(FranceMap chart)
    {
        var plot = new Plot();
        plot.Title(chart.Frame.Title);
        var values = chart.Marks.Where(m => m.Value.Value is not null).Select(m => m.Value.Value!.Value).Order().ToArray();
        var colormap = new ScottPlot.Colormaps.Viridis();
        foreach (var mark in chart.Marks)
        {
            var fill = mark.Value.Value is { } v && values.Length > 0
                ? colormap.GetColor(Array.BinarySearch(values, v) is var i and >= 0 ? i / (double)Math.Max(1, values.Length - 1) : 0.5)
                : Colors.LightGray;
            if (DepartmentShapes.ByCode.TryGetValue(mark.Code, out var shape))
            {
                foreach (var ring in shape.Rings)
                {
                    var polygon = plot.Add.Polygon([.. ring.Select(p => new Coordinates(p.X, -p.Y))]);
                    polygon.FillColor = fill;
                    polygon.LineColor = Colors.White;
                }
            }
            else
            {
                plot.Add.Marker(mark.Longitude, mark.Latitude, MarkerShape.FilledCircle, 10, fill);
            }
        }

        plot.Axes.SquareUnits();
        plot.HideGrid();
        return plot;
    }

    private static string Label(double? value) => value is { } v ? v.ToString("N0", French) : "secret";
}
