using SkiaSharp;

namespace Observatoire.Reporting.Document.Layout;

/// <summary>Running text split across pages line by line, never leaving a single line alone (widows, orphans).</summary>
internal sealed class TextFlow : BlockFlow
{
    private const float NoteBarWidth = 2f;
    private const float NoteIndent = 9f;

    private readonly List<TextLine> _lines;
    private readonly TextStyle _style;
    private readonly TextAlign _align;
    private readonly float _spaceBefore;
    private readonly float _spaceAfter;
    private readonly float _indent;
    private readonly SKColor? _bar;

    private TextFlow(List<TextLine> lines, TextStyle style, TextAlign align, float spaceBefore, float spaceAfter, float indent, SKColor? bar)
    {
        _lines = lines;
        _style = style;
        _align = align;
        _spaceBefore = spaceBefore;
        _spaceAfter = spaceAfter;
        _indent = indent;
        _bar = bar;
    }

    public static TextFlow Paragraph(string text, ReportTheme theme) =>
        new(TextLayout.Wrap(text, theme.Body, ReportTheme.ContentWidth), theme.Body, TextAlign.Justify, 0, 7, 0, null);

    public static TextFlow Note(string text, ReportTheme theme) =>
        new(TextLayout.Wrap(text, theme.Note, ReportTheme.ContentWidth - NoteIndent), theme.Note, TextAlign.Justify, 6, 9, NoteIndent, ReportTheme.AccentSoft);

    public override float LeadHeight => Math.Min(2, _lines.Count) * _style.LineHeight;

    public override void Flow(PageComposer composer)
    {
        if (_lines.Count == 0)
        {
            return;
        }

        composer.Space(_spaceBefore);
        var lineHeight = _style.LineHeight;
        var start = 0;
        while (start < _lines.Count)
        {
            var left = _lines.Count - start;
            var fit = (int)Math.Floor((composer.Remaining + 0.01f) / lineHeight);
            var take = left;
            if (fit < left)
            {
                take = fit;
                if (left - take < 2 && left >= 3)
                {
                    take = left - 2; // widow: carry at least two lines over
                }

                if (take < 2 && !composer.AtPageTop)
                {
                    composer.NewPage(); // orphan: do not leave a single line at the bottom
                    continue;
                }

                take = Math.Max(take, 1);
            }

            var first = start;
            var count = take;
            composer.Place(count * lineHeight, (canvas, top) => Draw(canvas, first, count, top));
            start += take;
            if (start < _lines.Count)
            {
                composer.NewPage();
            }
        }

        composer.Space(_spaceAfter);
    }

    private void Draw(SKCanvas canvas, int first, int count, float top)
    {
        var left = ReportTheme.ContentLeft + _indent;
        if (_bar is { } bar)
        {
            using var paint = ReportTheme.Fill(bar);
            canvas.DrawRect(ReportTheme.ContentLeft, top + 1, NoteBarWidth, count * _style.LineHeight - 2, paint);
        }

        TextLayout.DrawLines(canvas, _lines, first, count, _style, left, top, ReportTheme.ContentWidth - _indent, _align);
    }
}
