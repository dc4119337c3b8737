using Observatoire.Reporting.Maps;
using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>
/// Choropleth map of France: each metropolitan department drawn with its real boundaries
/// (<see cref="DepartmentShapes"/>) and filled by the class of its value (at most five classes of
/// equal counts, viridis), secret departments hatched, departments without a value in light grey;
/// a legend gives the classes. Paris with its inner suburbs is repeated enlarged in an inset, and
/// the overseas departments (not in the map data) are marks in insets, coloured by the same classes.
/// The map data's attribution is printed under every map.
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
    private readonly int decimals;
    private readonly IReadOnlyList<double> breaks;
    private float markSize = 16;

    public MapFigure(FranceMap chart)
        : base(chart.Frame)
    {
        this.chart = chart;
        var values = chart.Marks.Where(m => FrenchFormat.IsShown(m.Value)).Select(m => m.Value.Value!.Value).ToList();
        decimals = values.All(v => Math.Abs(v - Math.Round(v)) < 1e-9) ? 0 : 1;
        min = values.Count == 0 ? 0 : values.Min();
        breaks = Classes(values);
        AddValueNotes(chart.Marks.Select(m => m.Value));
        Notes.Insert(0, "Chaque département est coloré selon la classe de sa valeur (classes d'effectifs égaux) ; hachuré : secret statistique ; "
            + "Paris et la petite couronne sont repris agrandis dans un encadré, les départements d'outre-mer dans les leurs.");
        Notes.Add(DepartmentShapes.Attribution + ".");
    }

    /// <summary>Upper bounds of at most five classes of about equal counts (the last is the maximum).</summary>
    internal static IReadOnlyList<double> Classes(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return [];
        }

        var sorted = values.Order().ToList();
        var count = Math.Min(5, sorted.Distinct().Count());
        var bounds = new List<double>();
        for (var k = 1; k <= count; k++)
        {
            var bound = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(k * sorted.Count / (double)count) - 1)];
            if (bounds.Count == 0 || bound > bounds[^1])
            {
                bounds.Add(bound);
            }
        }

        return bounds;
    }

    private int ClassOf(double value)
    {
        for (var i = 0; i < breaks.Count; i++)
        {
            if (value <= breaks[i])
            {
                return i;
            }
        }

        return breaks.Count - 1;
    }

    private Color ClassColor(int index) =>
        colormap.GetColor(breaks.Count <= 1 ? 0.6 : 0.1 + (0.85 * index / (breaks.Count - 1)));

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
            placed.Add(new PlacedPlot(BuildShapesInset("Paris et petite couronne", parisMarks), parisRect));
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
        var metropolitan = chart.Marks.Where(m => DepartmentShapes.ByCode.ContainsKey(m.Code)).ToList();
        plot.Add.Plottable(new DepartmentPolygons([.. metropolitan.Select(Fill)]));

        // Codes are written small at each department's centre; the Paris inset names the inner ones.
        var size = (float)Math.Clamp(rect.Height / 70.0, 5.5, 8.5);
        markSize = Math.Max(16f, size * 2.2f);
        foreach (var mark in metropolitan.Where(m => !InnerParisCodes.Contains(m.Code)))
        {
            var at = DepartmentPolygons.LabelPoint(mark.Code);
            ChartStyle.AddText(plot, mark.Code, at.X, at.Y, Alignment.MiddleCenter, size: size, color: LabelColor(mark.Value));
        }

        plot.Legend.ManualItems.AddRange(LegendItems());
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.FontName = ChartStyle.FontName;
        plot.Axes.SetLimits(-5, DepartmentShapes.ViewBoxWidth + 5, -DepartmentShapes.ViewBoxHeight - 5, 5);
        plot.Axes.SquareUnits();
        return plot;
    }

    /// <summary>The classes, then secret and unavailable if any department is so.</summary>
    private List<LegendItem> LegendItems()
    {
        var items = new List<LegendItem>();
        var lower = min;
        for (var i = 0; i < breaks.Count; i++)
        {
            // A class of one value (a single department published, or a first class of zeros) is that value, not a range
            // around it: no figure is shown that is not on the map.
            var text = Math.Abs(breaks[i] - lower) < 1e-9 && (i == 0 || breaks[i - 1] >= breaks[i])
                ? FrenchFormat.Fixed(breaks[i], decimals)
                : i == 0 || breaks[i - 1] >= breaks[i]
                ? $"{FrenchFormat.Fixed(lower, decimals)} à {FrenchFormat.Fixed(breaks[i], decimals)}"
                : $"plus de {FrenchFormat.Fixed(breaks[i - 1], decimals)} à {FrenchFormat.Fixed(breaks[i], decimals)}";
            items.Add(new LegendItem { LabelText = text, MarkerShape = MarkerShape.FilledSquare, MarkerSize = 12, MarkerFillColor = ClassColor(i), MarkerLineColor = ClassColor(i) });
            lower = breaks[i];
        }

        if (chart.Marks.Any(m => m.Value.Value is null && m.Value.IsSecret))
        {
            items.Add(new LegendItem { LabelText = "Secret statistique (hachuré)", MarkerShape = MarkerShape.OpenSquare, MarkerSize = 12, MarkerLineColor = ChartStyle.Grey, MarkerLineWidth = 1.5f });
        }

        if (chart.Marks.Any(m => m.Value.Value is null && !m.Value.IsSecret))
        {
            items.Add(new LegendItem { LabelText = "Non disponible", MarkerShape = MarkerShape.FilledSquare, MarkerSize = 12, MarkerFillColor = ChartStyle.VeryLightGrey, MarkerLineColor = ChartStyle.LightGrey });
        }

        return items;
    }

    private DepartmentFill Fill(MapMark mark) => FrenchFormat.IsShown(mark.Value)
        ? new DepartmentFill(mark.Code, ClassColor(ClassOf(mark.Value.Value!.Value)), Hatched: false)
        : new DepartmentFill(mark.Code, mark.Value.IsSecret ? Colors.White : ChartStyle.VeryLightGrey, Hatched: mark.Value.IsSecret);

    private Color LabelColor(PublishedNumber number) =>
        FrenchFormat.IsShown(number) ? ChartStyle.TextOn(ClassColor(ClassOf(number.Value!.Value))) : ChartStyle.Text;

    private Plot BuildShapesInset(string title, IReadOnlyList<MapMark> marks)
    {
        var plot = ChartStyle.NewPlot();
        plot.HideAxesAndGrid();
        plot.Title(title);
        plot.Axes.Title.Label.FontSize = 11.5f;
        plot.Axes.Title.Label.Bold = false;
        var drawn = marks.Where(m => DepartmentShapes.ByCode.ContainsKey(m.Code)).ToList();
        var polygons = new DepartmentPolygons([.. drawn.Select(Fill)]);
        plot.Add.Plottable(polygons);
        foreach (var mark in drawn)
        {
            var at = DepartmentPolygons.LabelPoint(mark.Code);
            ChartStyle.AddText(plot, mark.Code, at.X, at.Y, Alignment.LowerCenter, size: 10, color: LabelColor(mark.Value));
            var text = mark.Value.Value is null ? FrenchFormat.AbsentLabel(mark.Value) : FrenchFormat.PublishedFixed(mark.Value, decimals);
            ChartStyle.AddText(plot, text, at.X, at.Y, Alignment.UpperCenter, size: 9.5f, color: LabelColor(mark.Value));
        }

        var limits = polygons.GetAxisLimits();
        plot.Axes.SetLimits(limits.Left - 1, limits.Right + 1, limits.Bottom - 1, limits.Top + 1);
        plot.Axes.SquareUnits();
        plot.Layout.Fixed(new PixelPadding(4, 4, 4, 22));
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
            var fill = ClassColor(ClassOf(number.Value!.Value));
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
}
