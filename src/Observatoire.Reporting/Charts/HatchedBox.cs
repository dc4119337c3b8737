using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>
/// A rectangle in data coordinates filled with a colour and diagonal stripes drawn as plain lines
/// (ScottPlot's hatches are bitmap shaders, which the SVG backend drops), so that the pattern
/// survives in PNG, SVG and PDF alike.
/// </summary>
internal sealed class HatchedBox(double x1, double x2, double y1, double y2) : IPlottable
{
    public double X1 { get; } = Math.Min(x1, x2);

    public double X2 { get; } = Math.Max(x1, x2);

    public double Y1 { get; } = Math.Min(y1, y2);

    public double Y2 { get; } = Math.Max(y1, y2);

    public Color FillColor { get; set; } = Colors.White;

    public Color HatchColor { get; set; } = Colors.Gray;

    /// <summary>Distance between stripes, in pixels.</summary>
    public float HatchSpacing { get; set; } = 7f;

    public float HatchWidth { get; set; } = 1.5f;

    public Color OutlineColor { get; set; } = Colors.Transparent;

    public float OutlineWidth { get; set; }

    public bool IsVisible { get; set; } = true;

    public IAxes Axes { get; set; } = new Axes();

    public IEnumerable<LegendItem> LegendItems => LegendItem.None;

    public AxisLimits GetAxisLimits() => new(X1, X2, Y1, Y2);

    public void Render(RenderPack rp)
    {
        var r = Axes.GetPixelRect(new CoordinateRect(X1, X2, Y1, Y2));
        var rect = new SKRect(r.Left, r.Top, r.Right, r.Bottom);
        if (rect.Width <= 0 || rect.Height <= 0)
        {
            return;
        }

        var canvas = rp.Canvas;
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = ChartStyle.ToSk(FillColor) };
        if (FillColor.A > 0)
        {
            canvas.DrawRect(rect, paint);
        }

        if (HatchColor.A > 0 && HatchSpacing > 0)
        {
            using var path = new SKPath();
            for (var x = rect.Left - rect.Height; x < rect.Right; x += HatchSpacing)
            {
                path.MoveTo(x, rect.Bottom);
                path.LineTo(x + rect.Height, rect.Top);
            }

            canvas.Save();
            canvas.ClipRect(rect);
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = HatchWidth;
            paint.Color = ChartStyle.ToSk(HatchColor);
            canvas.DrawPath(path, paint);
            canvas.Restore();
        }

        if (OutlineColor.A > 0 && OutlineWidth > 0)
        {
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = OutlineWidth;
            paint.Color = ChartStyle.ToSk(OutlineColor);
            canvas.DrawRect(rect, paint);
        }
    }
}
