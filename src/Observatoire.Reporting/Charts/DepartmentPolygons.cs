using Observatoire.Reporting.Maps;
using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>How one department is painted on a choropleth: a class colour, or hatched (secret), or plain grey (no value).</summary>
internal sealed record DepartmentFill(string Code, Color Fill, bool Hatched);

/// <summary>
/// Department boundaries (<see cref="DepartmentShapes"/>, map units with y downwards, plotted as x, −y) filled by class,
/// secret ones hatched with plain lines (ScottPlot's hatches are bitmap shaders, which the SVG backend drops).
/// </summary>
internal sealed class DepartmentPolygons(IReadOnlyList<DepartmentFill> fills) : IPlottable
{
    public IReadOnlyList<DepartmentFill> Fills { get; } = fills;

    public Color BorderColor { get; set; } = Colors.White;

    public Color HatchColor { get; set; } = ChartStyle.Grey;

    public bool IsVisible { get; set; } = true;

    public IAxes Axes { get; set; } = new Axes();

    public IEnumerable<LegendItem> LegendItems => LegendItem.None;

    public AxisLimits GetAxisLimits()
    {
        var points = Fills.Where(f => DepartmentShapes.ByCode.ContainsKey(f.Code))
            .SelectMany(f => DepartmentShapes.ByCode[f.Code].Rings.SelectMany(r => r)).ToList();
        return points.Count == 0
            ? AxisLimits.NoLimits
            : new AxisLimits(points.Min(p => p.X), points.Max(p => p.X), -points.Max(p => p.Y), -points.Min(p => p.Y));
    }

    public void Render(RenderPack rp)
    {
        var canvas = rp.Canvas;
        using var paint = new SKPaint { IsAntialias = true };
        foreach (var fill in Fills)
        {
            if (!DepartmentShapes.ByCode.TryGetValue(fill.Code, out var shape))
            {
                continue;
            }

            using var path = new SKPath();
            foreach (var ring in shape.Rings)
            {
                for (var i = 0; i < ring.Count; i++)
                {
                    var p = Axes.GetPixel(new Coordinates(ring[i].X, -ring[i].Y));
                    if (i == 0)
                    {
                        path.MoveTo(p.X, p.Y);
                    }
                    else
                    {
                        path.LineTo(p.X, p.Y);
                    }
                }

                path.Close();
            }

            paint.Style = SKPaintStyle.Fill;
            paint.Color = ChartStyle.ToSk(fill.Fill);
            canvas.DrawPath(path, paint);
            if (fill.Hatched)
            {
                var bounds = path.Bounds;
                using var stripes = new SKPath();
                for (var x = bounds.Left - bounds.Height; x < bounds.Right; x += 4f)
                {
                    stripes.MoveTo(x, bounds.Bottom);
                    stripes.LineTo(x + bounds.Height, bounds.Top);
                }

                canvas.Save();
                canvas.ClipPath(path, antialias: true);
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = 1f;
                paint.Color = ChartStyle.ToSk(HatchColor);
                canvas.DrawPath(stripes, paint);
                canvas.Restore();
            }

            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = 0.7f;
            paint.Color = ChartStyle.ToSk(BorderColor);
            canvas.DrawPath(path, paint);
        }
    }

    /// <summary>The centre of a department's largest ring, in plot coordinates, for its label.</summary>
    public static Coordinates LabelPoint(string code)
    {
        var ring = DepartmentShapes.ByCode[code].Rings.MaxBy(r => r.Count)!;
        return new Coordinates(ring.Average(p => p.X), -ring.Average(p => p.Y));
    }
}
