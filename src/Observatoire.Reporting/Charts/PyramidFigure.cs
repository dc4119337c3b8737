using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>
/// Age pyramid: men to the left, women to the right (the usual French layout), age bands
/// upwards, counts at the bar ends, unknown sex in the footnote.
/// </summary>
internal sealed class PyramidFigure : ChartFigure
{
    private readonly PyramidChart chart;

    public PyramidFigure(PyramidChart chart)
        : base(chart.Frame)
    {
        if (chart.Women.Count != chart.AgeBands.Count || chart.Men.Count != chart.AgeBands.Count)
        {
            throw new ArgumentException("Women and Men must have one value per age band.", nameof(chart));
        }

        this.chart = chart;
        AddValueNotes(chart.Women.Concat(chart.Men).Append(chart.SexUnknown));
        var unknown = chart.SexUnknown;
        Notes.Insert(0, unknown.Value is not null
            ? $"Sexe non renseigné (hors pyramide) : {FrenchFormat.Published(unknown)} {chart.Unit}."
            : $"Sexe non renseigné : {(unknown.IsSecret ? "secret statistique" : "non disponible")}.");
    }

    public override IReadOnlyList<PlacedPlot> Build(SKRect body)
    {
        var plot = ChartStyle.NewPlot();
        var n = chart.AgeBands.Count;

        var shown = chart.Women.Concat(chart.Men).Where(FrenchFormat.IsShown).Select(x => x.Value!.Value).ToList();
        var max = shown.Count == 0 ? 1 : Math.Max(shown.Max(), 1e-9);

        var ageWidth = HorizontalBars.WidestLabel(chart.AgeBands, ChartStyle.TickSize);
        var halfWidth = Math.Max(60f, (body.Width - ageWidth - 60) / 2);
        var labelWidth = chart.Women.Concat(chart.Men).Select(x => TextLayout.Measure(FrenchFormat.Published(x), ChartStyle.ValueLabelSize)).DefaultIfEmpty(0).Max();
        var xMax = max / (1 - Math.Min(0.5, (labelWidth + 12) / halfWidth));

        var bars = new List<Bar>();
        for (var i = 0; i < n; i++)
        {
            AddSide(plot, bars, chart.Men[i], i, -1, ChartStyle.Blue, xMax);
            AddSide(plot, bars, chart.Women[i], i, +1, ChartStyle.Vermillion, xMax);
        }

        if (bars.Count > 0)
        {
            var barPlot = plot.Add.Bars(bars);
            barPlot.Horizontal = true;
            plot.MoveToBack(barPlot);
        }

        var axis = plot.Add.VerticalLine(0, 1, ChartStyle.Text);
        axis.LabelText = string.Empty;

        var top = n - 0.5 + 0.9;
        ChartStyle.AddText(plot, "Hommes", -xMax / 2, n - 0.5 + 0.45, Alignment.MiddleCenter, size: ChartStyle.PanelTitleSize, color: ChartStyle.Blue, bold: true);
        ChartStyle.AddText(plot, "Femmes", xMax / 2, n - 0.5 + 0.45, Alignment.MiddleCenter, size: ChartStyle.PanelTitleSize, color: ChartStyle.Vermillion, bold: true);

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, n).Select(i => (double)i).ToArray(), chart.AgeBands.ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 5;
        plot.Axes.Left.MajorTickStyle.Color = Colors.Transparent;
        // Symmetric ticks, three or four per side, labelled without sign.
        var step = NiceStep(xMax / 4.5);
        var ticks = new List<double>();
        for (var t = -Math.Floor(xMax / step) * step; t <= xMax + 1e-9; t += step)
        {
            ticks.Add(Math.Round(t / step) * step);
        }

        var format = FrenchFormat.TickFormatter(absolute: true);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray(), ticks.Select(format).ToArray());
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.XLabel(FrenchFormat.QuantityLabel(chart.Unit));
        plot.YLabel("Âge");
        plot.Axes.SetLimits(-xMax, xMax, -0.6, top);
        return [new PlacedPlot(plot, new PixelRect(body.Left, body.Right, body.Bottom, body.Top))];
    }

    /// <summary>1, 2, 2.5 or 5 times a power of ten, at least <paramref name="rough"/>.</summary>
    internal static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var m in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (m * power >= rough - 1e-12)
            {
                return m * power;
            }
        }

        return 10 * power;
    }

    private static void AddSide(Plot plot, List<Bar> bars, PublishedNumber number, int y, int side, Color color, double xMax)
    {
        if (FrenchFormat.IsShown(number))
        {
            var v = number.Value!.Value;
            bars.Add(new Bar
            {
                Position = y,
                Value = side * v,
                ValueBase = 0,
                Size = HorizontalBars.BarThickness,
                FillColor = color,
                LineWidth = 0,
                Orientation = Orientation.Horizontal,
            });
            ChartStyle.AddText(plot, FrenchFormat.Published(number), side * v, y, side < 0 ? Alignment.MiddleRight : Alignment.MiddleLeft, offsetX: side * 4);
        }
        else
        {
            HorizontalBars.AddAbsentRow(plot, number, 0, side * xMax, y, side < 0 ? Alignment.MiddleRight : Alignment.MiddleLeft, side * 6);
        }
    }
}
