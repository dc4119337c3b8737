using SkiaSharp;

namespace Observatoire.Reporting.Document.Layout;

/// <summary>
/// A chart drawn by its delegate into a rectangle of the content width; under it, its caption, then
/// its number and description (its text alternative) with a pointer to its data in the annex.
/// </summary>
internal sealed class ChartFlow : BlockFlow
{
    private const float CaptionGap = 6f;
    private const float DescriptionGap = 3f;

    private readonly ChartBlock _chart;
    private readonly ReportTheme _theme;
    private readonly List<TextLine> _caption;
    private readonly List<TextLine> _description;
    private readonly float _width;
    private readonly float _height;

    public ChartFlow(ChartBlock chart, ReportTheme theme, int number)
    {
        _chart = chart;
        _theme = theme;
        if (chart.Draw is null)
        {
            throw new ArgumentException($"The chart \"{chart.Caption}\" has no drawing delegate.");
        }

        if (!float.IsFinite(chart.AspectRatio) || chart.AspectRatio <= 0)
        {
            throw new ArgumentException($"The chart \"{chart.Caption}\" has an invalid aspect ratio {chart.AspectRatio}.");
        }

        _width = ReportTheme.ContentWidth;
        _caption = string.IsNullOrWhiteSpace(chart.Caption) ? [] : TextLayout.Wrap(chart.Caption, theme.Caption, _width);
        _description = TextLayout.Wrap(DescriptionText(chart.Alternative, number), theme.Note, ReportTheme.ContentWidth);
        _height = _width * chart.AspectRatio;
        var maxHeight = ReportTheme.BodyHeight - CaptionHeight - DescriptionHeight;
        if (_height > maxHeight)
        {
            // Too tall for a page: keep the aspect ratio and narrow the chart.
            _height = maxHeight;
            _width = _height / chart.AspectRatio;
        }
    }

    /// <summary>"Graphique 3. {description} Données : annexe « Données des graphiques », graphique 3."</summary>
    public static string DescriptionText(ChartAlternative alternative, int number) =>
        $"Graphique {number}. {alternative.Description.Trim()} Données : annexe « {ChartDataAnnex.Name} », graphique {number}.";

    private float CaptionHeight => _caption.Count == 0 ? 0 : CaptionGap + _caption.Count * _theme.Caption.LineHeight;

    private float DescriptionHeight => DescriptionGap + _description.Count * _theme.Note.LineHeight;

    public override float LeadHeight => _height + CaptionHeight + DescriptionHeight;

    public override void Flow(PageComposer composer)
    {
        composer.Space(12);
        composer.KeepTogether(LeadHeight);
        composer.Place(LeadHeight, Draw);
        composer.Space(16);
    }

    private void Draw(SKCanvas canvas, float top)
    {
        var left = ReportTheme.ContentLeft + (ReportTheme.ContentWidth - _width) / 2;
        var rect = SKRect.Create(left, top, _width, _height);
        var saved = canvas.Save();
        try
        {
            canvas.ClipRect(rect);
            canvas.Translate(rect.Left, rect.Top);
            _chart.Draw(canvas, SKRect.Create(0, 0, _width, _height));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"The chart \"{_chart.Caption}\" failed to draw.", ex);
        }
        finally
        {
            canvas.RestoreToCount(saved);
        }

        if (_caption.Count > 0)
        {
            TextLayout.DrawLines(canvas, _caption, 0, _caption.Count, _theme.Caption, left, top + _height + CaptionGap, _width, TextAlign.Left);
        }

        TextLayout.DrawLines(canvas, _description, 0, _description.Count, _theme.Note, ReportTheme.ContentLeft,
            top + _height + CaptionHeight + DescriptionGap, ReportTheme.ContentWidth, TextAlign.Left);
    }
}
