using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>Two panels side by side: the raw count and the rate per 100,000 inhabitants, each sorted.</summary>
internal sealed class RankingFigure : ChartFigure
{
    private const float Gap = 28f;

    private readonly RankingChart chart;

    public RankingFigure(RankingChart chart)
        : base(chart.Frame)
    {
        this.chart = chart;
        AddValueNotes(chart.Rows.SelectMany(r => new[] { r.Value, r.RatePer100k }));
        Notes.Insert(0, "Chaque panneau est trié par ordre décroissant ; taux pour 100 000 habitants du territoire.");
    }

    public override string? Subtitle => Frame.Subtitle ?? DefaultSubtitle(chart.IndicatorLabel);

    public override IReadOnlyList<PlacedPlot> Build(SKRect body)
    {
        var half = (body.Width - Gap) / 2;

        var raw = HorizontalBars.SortDescending(chart.Rows, r => r.Value, r => r.Name)
            .Select(r => new BarItem(r.Name, Length(r.Value), FrenchFormat.Published(r.Value, 0), r.Value))
            .ToList();
        var rate = HorizontalBars.SortDescending(chart.Rows, r => r.RatePer100k, r => r.Name)
            .Select(r => new BarItem(r.Name, Length(r.RatePer100k), FrenchFormat.PublishedFixed(r.RatePer100k, 1), r.RatePer100k))
            .ToList();

        var left = HorizontalBars.Build(raw, ChartStyle.Blue, FrenchFormat.QuantityLabel(chart.Unit), "Effectif", half, body.Height, FrenchFormat.TickFormatter());
        var right = HorizontalBars.Build(rate, ChartStyle.BluishGreen, "Pour 100 000 habitants", "Taux pour 100 000 habitants", half, body.Height, FrenchFormat.TickFormatter());

        return
        [
            new PlacedPlot(left, new PixelRect(body.Left, body.Left + half, body.Bottom, body.Top)),
            new PlacedPlot(right, new PixelRect(body.Right - half, body.Right, body.Bottom, body.Top)),
        ];
    }

    private static double? Length(PublishedNumber n) => FrenchFormat.IsShown(n) ? n.Value : null;
}

/// <summary>A breakdown as sorted horizontal bars of percentages of the base, with counts.</summary>
internal sealed class BreakdownFigure : ChartFigure
{
    private readonly BreakdownChart chart;
    private readonly bool percentages;

    public BreakdownFigure(BreakdownChart chart)
        : base(chart.Frame)
    {
        this.chart = chart;
        percentages = FrenchFormat.IsShown(chart.Base) && chart.Base.Value > 0;

        if (percentages)
        {
            var n = FrenchFormat.Number(chart.Base.Value!.Value, 0) + (chart.Base.Partial ? "*" : string.Empty);
            Notes.Add(chart.MultiValued
                ? $"Plusieurs réponses possibles : les parts sont calculées sur l'ensemble des réponses ({n} {chart.Unit})."
                : $"Parts calculées sur l'ensemble des {chart.Unit} ({n}).");
        }
        else
        {
            Notes.Add(chart.Base.IsSecret
                ? "Total couvert par le secret statistique : effectifs bruts, sans part."
                : "Total non disponible : effectifs bruts, sans part.");
        }

        AddValueNotes(chart.Rows.Select(r => r.Value).Append(chart.Base));
    }

    public override IReadOnlyList<PlacedPlot> Build(SKRect body)
    {
        var baseValue = chart.Base.Value ?? 0;
        var items = HorizontalBars.SortDescending(chart.Rows, r => r.Value, r => r.Label)
            .Select(r =>
            {
                if (!FrenchFormat.IsShown(r.Value))
                {
                    return new BarItem(r.Label, null, FrenchFormat.AbsentLabel(r.Value), r.Value);
                }

                var v = r.Value.Value!.Value;
                var count = FrenchFormat.Published(r.Value, 0);
                return percentages
                    ? new BarItem(r.Label, v / baseValue * 100, $"{FrenchFormat.Percent(v / baseValue * 100)} ({count})", r.Value)
                    : new BarItem(r.Label, v, count, r.Value);
            })
            .ToList();

        var xLabel = percentages
            ? $"Part des {(chart.MultiValued ? "réponses" : chart.Unit)}"
            : FrenchFormat.QuantityLabel(chart.Unit);
        var formatter = percentages
            ? (Func<double, string>)(v => FrenchFormat.Number(v, 1) + FrenchFormat.Thin + "%")
            : FrenchFormat.TickFormatter();

        var plot = HorizontalBars.Build(items, ChartStyle.Blue, xLabel, null, body.Width, body.Height, formatter);
        return [new PlacedPlot(plot, new PixelRect(body.Left, body.Right, body.Bottom, body.Top))];
    }
}
