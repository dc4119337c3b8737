using Observatoire.Reporting.Charts;
using SkiaSharp;

namespace Observatoire.Reporting.Tests.Charts;

/// <summary>
/// Renders every sample chart to $TMPDIR/charts (PNG, SVG, and a PNG of the print layout) so that
/// a person can look at them.
/// </summary>
public sealed class ChartGalleryTests
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "charts");

    [Fact]
    public void Every_sample_chart_is_written_to_the_gallery_folder_as_png_and_svg()
    {
        Directory.CreateDirectory(Folder);
        foreach (var (name, chart) in SampleCharts.All())
        {
            File.WriteAllBytes(Path.Combine(Folder, name + ".png"), ChartRenderer.RenderPng(chart));
            File.WriteAllText(Path.Combine(Folder, name + ".svg"), ChartRenderer.RenderSvg(chart));
            File.WriteAllBytes(Path.Combine(Folder, name + ".print.png"), RenderPrintPreview(chart));
        }

        File.WriteAllBytes(Path.Combine(Folder, "graphiques.pdf"), RenderPdf(SampleCharts.All().Select(s => s.Chart)));
        Assert.True(File.Exists(Path.Combine(Folder, "carte.png")));
    }

    /// <summary>One A4 page per chart, drawn as the PDF writer will: 495 pt wide at the page margin.</summary>
    private static byte[] RenderPdf(IEnumerable<Chart> charts)
    {
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream))
        {
            foreach (var chart in charts)
            {
                var canvas = document.BeginPage(595, 842);
                var height = Math.Min(720, 495 * ChartRenderer.AspectRatio(chart));
                ChartRenderer.Draw(chart, canvas, new SKRect(50, 60, 545, 60 + height));
                document.EndPage();
            }

            document.Close();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// What the PDF writer gets: the chart drawn with <see cref="ChartRenderer.Draw(Chart, SKCanvas, SKRect)"/>
    /// into a 480 pt wide rectangle, rasterised at 2 px per point.
    /// </summary>
    private static byte[] RenderPrintPreview(Chart chart)
    {
        const float widthPt = 480f;
        var heightPt = widthPt * ChartRenderer.AspectRatio(chart);
        var info = new SKImageInfo((int)(widthPt * 2) + 40, (int)(heightPt * 2) + 40);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(0xEE, 0xEE, 0xEE));
        canvas.Scale(2);
        ChartRenderer.Draw(chart, canvas, new SKRect(10, 10, 10 + widthPt, 10 + heightPt));
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
