using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>
/// Completeness heat map: one row per area, one column per month, each cell coloured by the
/// state of the grids expected (categorical, Okabe–Ito), with a hatch or a symbol for the
/// states that need attention so that colour is not the only cue.
/// </summary>
internal sealed class HeatmapFigure : ChartFigure
{
    private static readonly Color LateHatch = Color.FromHex("#8C5A00");

    private readonly CompletenessHeatmap chart;

    public HeatmapFigure(CompletenessHeatmap chart)
        : base(chart.Frame)
    {
        if (chart.Cells.Count != chart.RowLabels.Count || chart.Cells.Any(r => r.Count != chart.ColumnLabels.Count))
        {
            throw new ArgumentException("Cells must have one row per row label and one cell per column label.", nameof(chart));
        }

        this.chart = chart;
        Notes.Add("Chaque case indique l'état des grilles attendues des postes de la zone pour le mois : "
            + "toutes reçues à temps, au moins une reçue en retard (hachures), au moins une manquante (×).");
    }

    internal enum State
    {
        NotExpected,
        Pending,
        OnTime,
        Late,
        Missing,
    }

    internal static State StateOf(CompletenessCell cell) => cell switch
    {
        { Expected: <= 0 } => State.NotExpected,
        { Missing: > 0 } => State.Missing,
        { Late: > 0 } => State.Late,
        _ when cell.OnTime >= cell.Expected => State.OnTime,
        _ => State.Pending,
    };

    private static (string Label, Color Fill, bool Hatched, string Symbol) Style(State state) => state switch
    {
        State.OnTime => ("Toutes reçues à temps", ChartStyle.SkyBlue, false, string.Empty),
        State.Late => ("Au moins une en retard", ChartStyle.Orange, true, string.Empty),
        State.Missing => ("Au moins une manquante", ChartStyle.Vermillion, false, "×"),
        State.Pending => ("En attente", ChartStyle.White, false, string.Empty),
        _ => ("Non attendue", ChartStyle.VeryLightGrey, false, string.Empty),
    };

    public override IReadOnlyList<PlacedPlot> Build(SKRect body)
    {
        var plot = ChartStyle.NewPlot();
        var rows = chart.RowLabels.Count;
        var columns = chart.ColumnLabels.Count;
        var showTop = rows > 24;

        // Space per row once the month axes and the legend are set aside.
        var reserved = 60f + 34f + (showTop ? 28f : 0f);
        var rowPx = Math.Max(1f, (body.Height - reserved) / Math.Max(1, rows));
        var labelSize = Math.Clamp(rowPx * 0.8f, 6f, ChartStyle.TickSize);
        var every = Math.Max(1, (int)Math.Ceiling(labelSize * 1.05f / rowPx));

        var present = new HashSet<State>();
        for (var r = 0; r < rows; r++)
        {
            double y = rows - 1 - r;
            for (var c = 0; c < columns; c++)
            {
                var state = StateOf(chart.Cells[r][c]);
                present.Add(state);
                var (_, fill, hatched, symbol) = Style(state);
                plot.Add.Plottable(new HatchedBox(c + 0.04, c + 0.96, y + 0.06, y + 0.94)
                {
                    FillColor = fill,
                    HatchColor = hatched ? LateHatch : Colors.Transparent,
                    HatchSpacing = 6,
                    HatchWidth = 1.6f,
                    OutlineColor = state is State.Pending or State.NotExpected ? ChartStyle.LightGrey : Colors.Transparent,
                    OutlineWidth = 1,
                });

                if (symbol.Length > 0 && rowPx >= 9)
                {
                    ChartStyle.AddText(plot, symbol, c + 0.5, y + 0.5, Alignment.MiddleCenter, size: Math.Min(rowPx * 0.8f, 14f), color: ChartStyle.TextOn(fill), bold: true);
                }
            }
        }

        var positions = Enumerable.Range(0, rows).Where(r => r % every == 0).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions.Select(r => rows - 1 - r + 0.5).ToArray(),
            positions.Select(r => chart.RowLabels[r]).ToArray());
        plot.Axes.Left.TickLabelStyle.FontSize = labelSize;
        plot.Axes.Left.MajorTickStyle.Length = 0;

        var monthPositions = Enumerable.Range(0, columns).Select(c => c + 0.5).ToArray();
        var monthLabels = chart.ColumnLabels.ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(monthPositions, monthLabels);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (showTop)
        {
            plot.Axes.Top.TickGenerator = new ScottPlot.TickGenerators.NumericManual(monthPositions, monthLabels);
            plot.Axes.Top.MajorTickStyle.Length = 0;
            plot.Axes.Top.TickLabelStyle.FontSize = ChartStyle.TickSize;
            plot.Axes.Top.TickLabelStyle.ForeColor = ChartStyle.Text;
            plot.Axes.SetLimitsX(0, columns, plot.Axes.Top);
        }

        plot.Axes.Left.FrameLineStyle.IsVisible = false;
        plot.Axes.Bottom.FrameLineStyle.IsVisible = false;
        plot.HideGrid();
        plot.Axes.SetLimits(0, columns, 0, rows);

        foreach (var state in new[] { State.OnTime, State.Late, State.Missing, State.Pending, State.NotExpected })
        {
            if (!present.Contains(state) && state is State.Pending or State.NotExpected)
            {
                continue;
            }

            var (label, fill, hatched, _) = Style(state);
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = state switch { State.Missing => label + " (×)", State.Late => label + " (hachures)", _ => label },
                FillColor = fill,
                FillHatch = hatched ? new ScottPlot.Hatches.Striped(ScottPlot.Hatches.StripeDirection.DiagonalUp) : null,
                FillHatchColor = LateHatch,
                OutlineColor = ChartStyle.Grey,
                OutlineWidth = 1,
            });
        }

        ChartStyle.ShowLegendBelow(plot);
        plot.Axes.Left.TickLabelStyle.FontSize = labelSize;
        return [new PlacedPlot(plot, new PixelRect(body.Left, body.Right, body.Bottom, body.Top))];
    }
}
