using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>
/// Map of France as marks: each department a circle at its latitude/longitude (equirectangular,
/// x scaled by cos 46.5°), coloured on the viridis scale by its value, its code written inside.
/// Overseas departments and Paris with its inner suburbs are drawn in inset boxes on the right;
/// values not shown are hollow grey marks ("secret statistique", "non disponible").
/// </summary>
internal sealed class MapFigure : ChartFigure
{
    /// <summary>Overseas departments drawn in insets, in display order.</summary>
    internal static readonly string[] OverseasCodes = ["971", "972", "973", "974", "976"];

    /// <summary>Departments too close together at national scale, repeated in the Paris inset.</summary>
    internal static readonly string[] InnerParisCodes = ["75", "92", "93", "94"];

    private static readonly double CosRef = Math.Cos(46.5 * Math.PI / 180);

    private readonly FranceMap chart;
    private readonly IColormap colormap = new ScottPlot.Colormaps.Viridis();
    private readonly double min;
    private readonly double max;
    private readonly int decimals;
    private float markSize = 16;

    public MapFigure(FranceMap chart)
        : base(chart.Frame)
    {
        this.chart = chart;
        var values = chart.Marks.Where(m => FrenchFormat.IsShown(m.Value)).Select(m => m.Value.Value!.Value).ToList();
        decimals = values.All(v => Math.Abs(v - Math.Round(v)) < 1e-9) ? 0 : 1;
        min = values.Count == 0 ? 0 : values.Min();
        max = values.Count == 0 ? 1 : values.Max();
        if (max - min < 1e-9)
        {
            min -= 1;
            max += 1;
        }

        AddValueNotes(chart.Marks.Select(m => m.Value));
        Notes.Insert(0, "Chaque département est représenté par un cercle placé en son centre, avec son code ; "
            + "Paris et la petite couronne ainsi que les départements d'outre-mer sont repris dans les encadrés.");
    }

    public override string? Subtitle => Frame.Subtitle ?? DefaultSubtitle(chart.ValueLabel);

    /// <summary>The inset boxes drawn by <see cref="Build"/>, for the overlay.</summary>
    private readonly List<PixelRect> insetRects = [];

    public override IReadOnlyList<PlacedPlot> Build(SKRect body)
    {
        insetRects.Clear();
        var placed = new List<PlacedPlot>();
        var byCode = chart.Marks.GroupBy(m => m.Code, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

        // The metropolitan map is about as wide as it is high (plus the colour bar below it):
        // give it that, between half and 70 % of the width, and the rest to the insets.
        var mapHeight = body.Height - 80f;
        var mainWidth = Math.Clamp(mapHeight * 1.12f, body.Width * 0.5f, body.Width * 0.70f);
        var mainRect = new PixelRect(body.Left, body.Left + mainWidth, body.Bottom, body.Top);
        placed.Add(new PlacedPlot(BuildMain(mainRect), mainRect));

        // Insets: Paris on top across the column, then the overseas departments two by two.
        var columnLeft = body.Left + mainWidth + 12;
        var columnWidth = body.Right - columnLeft;
        var parisHeight = body.Height * 0.34f;
        var gap = 8f;
        var parisRect = new PixelRect(columnLeft, body.Right, body.Top + parisHeight, body.Top);
        var parisMarks = InnerParisCodes.Where(byCode.ContainsKey).Select(c => byCode[c]).ToList();
        if (parisMarks.Count > 0)
        {
            placed.Add(new PlacedPlot(BuildInset("Paris et petite couronne", parisMarks, parisRect, (48.66, 49.04, 2.08, 2.70)), parisRect));
            insetRects.Add(parisRect);
        }

        var overseas = OverseasCodes.Where(byCode.ContainsKey).Select(c => byCode[c])
            .Concat(chart.Marks.Where(m => !IsMetropolitan(m) && !OverseasCodes.Contains(m.Code)))
            .ToList();
        var cellWidth = (columnWidth - gap) / 2;
        var rowsOfInsets = Math.Max(1, (overseas.Count + 1) / 2);
        var top = body.Top + parisHeight + gap;
        var cellHeight = Math.Max(40f, (body.Bottom - top - ((rowsOfInsets - 1) * gap)) / rowsOfInsets);
        for (var i = 0; i < overseas.Count; i++)
        {
            var mark = overseas[i];
            var x = columnLeft + ((i % 2) * (cellWidth + gap));
            var y = top + ((i / 2) * (cellHeight + gap));
            var rect = new PixelRect(x, x + cellWidth, y + cellHeight, y);
            var d = 0.5;
            placed.Add(new PlacedPlot(BuildInset(mark.Name, [mark], rect, (mark.Latitude - d, mark.Latitude + d, mark.Longitude - d, mark.Longitude + d)), rect));
            insetRects.Add(rect);
        }

        return placed;
    }

    public override void DrawOverlay(SKCanvas canvas, SKRect body, IReadOnlyList<PlacedPlot> plots)
    {
        using var border = new SKPaint { Color = ChartStyle.ToSk(ChartStyle.Grey), Style = SKPaintStyle.Stroke, StrokeWidth = 1, IsAntialias = true };
        foreach (var r in insetRects)
        {
            canvas.DrawRect(new SKRect(r.Left + 0.5f, r.Top + 0.5f, r.Right - 0.5f, r.Bottom - 0.5f), border);
        }
    }

    private static bool IsMetropolitan(MapMark m) => m.Latitude is > 40 and < 52 && m.Longitude is > -6 and < 11;

    private static double X(double longitude, double cos) => longitude * cos;

    private Plot BuildMain(PixelRect rect)
    {
        var plot = ChartStyle.NewPlot();
        plot.HideAxesAndGrid();

        AddOutline(plot, FranceOutline.Mainland);
        AddOutline(plot, FranceOutline.Corsica);

        // Mark size follows the scale: about half the typical distance between neighbours.
        var pxPerDegree = Math.Min(rect.Height * 0.8 / 10.3, rect.Width / (15.5 * CosRef));
        var size = (float)Math.Clamp(pxPerDegree * 0.42, 9, 26);
        markSize = size;

        foreach (var mark in chart.Marks.Where(IsMetropolitan))
        {
            var label = !InnerParisCodes.Contains(mark.Code);
            AddMark(plot, mark, X(mark.Longitude, CosRef), mark.Latitude, size, label, valueBelow: false);
        }

        var source = new ColorSource(colormap, new ScottPlot.Range(min, max));
        var colorBar = plot.Add.ColorBar(source, Edge.Bottom);
        colorBar.Label = chart.ValueLabel;
        colorBar.LabelStyle.FontName = ChartStyle.FontName;
        colorBar.Axis.TickLabelStyle.FontName = ChartStyle.FontName;
        colorBar.LabelStyle.FontSize = ChartStyle.AxisLabelSize;
        colorBar.LabelStyle.Bold = false;
        colorBar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = FrenchFormat.TickFormatter(), TargetTickCount = 6 };
        colorBar.Axis.TickLabelStyle.FontSize = ChartStyle.TickSize;
        colorBar.Width = 14;

        var legend = new List<LegendItem>();
        if (chart.Marks.Any(m => m.Value.Value is null && m.Value.IsSecret))
        {
            legend.Add(new LegendItem { LabelText = "Secret statistique", MarkerShape = MarkerShape.OpenCircle, MarkerSize = 14, MarkerLineColor = ChartStyle.Grey, MarkerLineWidth = 1.5f });
        }

        if (chart.Marks.Any(m => m.Value.Value is null && !m.Value.IsSecret))
        {
            legend.Add(new LegendItem { LabelText = "Non disponible", MarkerShape = MarkerShape.OpenSquare, MarkerSize = 13, MarkerLineColor = ChartStyle.Grey, MarkerLineWidth = 1.5f });
        }

        if (legend.Count > 0)
        {
            plot.Legend.ManualItems.AddRange(legend);
            plot.ShowLegend(Alignment.UpperLeft);
        }

        plot.Axes.SetLimits(X(-5.3, CosRef), X(10.0, CosRef), 41.25, 51.25);
        plot.Axes.SquareUnits();
        return plot;
    }

    private Plot BuildInset(string title, IReadOnlyList<MapMark> marks, PixelRect rect, (double LatMin, double LatMax, double LonMin, double LonMax) box)
    {
        var plot = ChartStyle.NewPlot();
        plot.HideAxesAndGrid();
        plot.Title(title);
        plot.Axes.Title.Label.FontSize = 11.5f;
        plot.Axes.Title.Label.Bold = false;

        var cos = Math.Cos((box.LatMin + box.LatMax) / 2 * Math.PI / 180);
        var size = Math.Max(markSize, 16f);
        foreach (var mark in marks)
        {
            AddMark(plot, mark, X(mark.Longitude, cos), mark.Latitude, size, label: true, valueBelow: true);
        }

        plot.Axes.SetLimits(X(box.LonMin, cos), X(box.LonMax, cos), box.LatMin, box.LatMax);
        plot.Axes.SquareUnits();
        plot.Layout.Fixed(new PixelPadding(4, 4, 4, 22));
        return plot;
    }

    private void AddMark(Plot plot, MapMark mark, double x, double y, float size, bool label, bool valueBelow)
    {
        var number = mark.Value;
        var marker = plot.Add.Marker(x, y, MarkerShape.FilledCircle, size);
        marker.LegendText = mark.Code;
        Color textColor;
        if (FrenchFormat.IsShown(number))
        {
            var fill = ColorOf(number.Value!.Value);
            marker.MarkerFillColor = fill;
            marker.MarkerLineColor = ChartStyle.Text.WithAlpha(0.65);
            marker.MarkerLineWidth = 0.8f;
            textColor = ChartStyle.TextOn(fill);
        }
        else
        {
            marker.MarkerShape = number.IsSecret ? MarkerShape.OpenCircle : MarkerShape.OpenSquare;
            marker.MarkerLineColor = ChartStyle.Grey;
            marker.MarkerLineWidth = 1.5f;
            textColor = ChartStyle.MutedText;
        }

        if (label)
        {
            ChartStyle.AddText(plot, mark.Code, x, y, Alignment.MiddleCenter, size: Math.Clamp(size * 0.45f, 6.5f, 10f), color: textColor);
        }

        if (number.Partial && number.Value is not null)
        {
            ChartStyle.AddText(plot, "*", x, y, Alignment.MiddleLeft, size: 13, bold: true, offsetX: (size / 2) + 1, offsetY: -size * 0.25f);
        }

        if (valueBelow)
        {
            var text = number.Value is null
                ? (number.IsSecret ? "secret" : "n.d.")
                : FrenchFormat.PublishedFixed(number, decimals);
            ChartStyle.AddText(plot, text, x, y, Alignment.UpperCenter, size: 11, color: ChartStyle.Text, offsetY: (size / 2) + 2);
        }
    }

    private Color ColorOf(double value) => colormap.GetColor(Math.Clamp((value - min) / (max - min), 0, 1));

    private static void AddOutline(Plot plot, (double Lat, double Lon)[] points)
    {
        var polygon = plot.Add.Polygon(points.Select(p => new Coordinates(X(p.Lon, CosRef), p.Lat)).ToArray());
        polygon.FillColor = ChartStyle.VeryLightGrey;
        polygon.LineColor = ChartStyle.LightGrey;
        polygon.LineWidth = 1;
    }

    /// <summary>The colour scale of the marks, for the colour bar.</summary>
    private sealed class ColorSource(IColormap colormap, ScottPlot.Range range) : IHasColorAxis
    {
        public IColormap Colormap { get; set; } = colormap;

        public ScottPlot.Range GetRange() => range;
    }
}
