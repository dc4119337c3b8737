using SkiaSharp;

namespace Observatoire.Reporting.Document.Layout;

/// <summary>Key figures as a grid of boxes: big value, label, change line and note.</summary>
internal sealed class KeyFiguresFlow : BlockFlow
{
    private const float Gap = 10f;
    private const float PadX = 9f;
    private const float PadTop = 8f;
    private const float PadBottom = 9f;
    private const float BarHeight = 3f;

    private readonly List<List<Box>> _rows = [];
    private readonly List<float> _rowHeights = [];
    private readonly float _boxWidth;

    public KeyFiguresFlow(KeyFiguresBlock block, ReportTheme theme)
    {
        var figures = block.Figures ?? throw new ArgumentException("A key figures block has no figure list.");
        if (figures.Count == 0)
        {
            return;
        }

        var columns = figures.Count switch
        {
            <= 4 => figures.Count,
            <= 6 => 3,
            _ => 4,
        };
        var slots = Math.Max(columns, 2);
        _boxWidth = (ReportTheme.ContentWidth - Gap * (slots - 1)) / slots;
        var inner = _boxWidth - 2 * PadX;
        // One value size for the whole block: shrink until the widest value fits its box.
        var valueStyle = theme.KeyValue;
        while (figures.Any(f => TextLayout.NaturalWidth(f.Value, valueStyle) > inner) && valueStyle.Size > 11f)
        {
            var size = valueStyle.Size - 1f;
            valueStyle = theme.Style(theme.Bold, size, ReportTheme.Accent, size * 1.2f);
        }

        foreach (var chunk in figures.Chunk(columns))
        {
            var row = chunk.Select(f => new Box(f, theme, valueStyle, inner)).ToList();
            _rows.Add(row);
            _rowHeights.Add(row.Max(b => b.Height));
        }
    }

    public override float LeadHeight => _rowHeights.Count == 0 ? 0 : _rowHeights[0];

    public override void Flow(PageComposer composer)
    {
        if (_rows.Count == 0)
        {
            return;
        }

        composer.Space(8);
        for (var r = 0; r < _rows.Count; r++)
        {
            var row = _rows[r];
            var height = _rowHeights[r];
            composer.Space(Gap);
            composer.KeepTogether(height);
            composer.Place(height, (canvas, top) =>
            {
                for (var i = 0; i < row.Count; i++)
                {
                    row[i].Draw(canvas, ReportTheme.ContentLeft + i * (_boxWidth + Gap), top, _boxWidth, height);
                }
            });
        }

        composer.Space(14);
    }

    private sealed class Box
    {
        private readonly TextStyle _valueStyle;
        private readonly List<TextLine> _value;
        private readonly List<TextLine> _label;
        private readonly List<TextLine> _change;
        private readonly List<TextLine> _note;
        private readonly ReportTheme _theme;

        public Box(KeyFigure figure, ReportTheme theme, TextStyle valueStyle, float inner)
        {
            _theme = theme;
            _valueStyle = valueStyle;
            _value = TextLayout.Wrap(figure.Value, _valueStyle, inner);
            _label = TextLayout.Wrap(figure.Label, theme.KeyLabel, inner);
            _change = string.IsNullOrWhiteSpace(figure.Change) ? [] : TextLayout.Wrap(figure.Change, theme.KeyChange, inner);
            _note = string.IsNullOrWhiteSpace(figure.Note) ? [] : TextLayout.Wrap(figure.Note, theme.KeyNote, inner);
            Height = PadTop + BarHeight + 4 + ValueHeight + 2 + _label.Count * theme.KeyLabel.LineHeight
                + (_change.Count > 0 ? 4 + _change.Count * theme.KeyChange.LineHeight : 0)
                + (_note.Count > 0 ? 3 + _note.Count * theme.KeyNote.LineHeight : 0)
                + PadBottom;
        }

        public float Height { get; }

        // The value line keeps the full-size line height so that labels of a row start level.
        private float ValueHeight => Math.Max(_value.Count * _valueStyle.LineHeight, _theme.KeyValue.LineHeight);

        public void Draw(SKCanvas canvas, float left, float top, float width, float height)
        {
            using (var background = ReportTheme.Fill(ReportTheme.AccentTint))
            {
                canvas.DrawRect(left, top, width, height, background);
            }

            using (var bar = ReportTheme.Fill(ReportTheme.Accent))
            {
                canvas.DrawRect(left, top, width, BarHeight, bar);
            }

            var inner = width - 2 * PadX;
            var x = left + PadX;
            var y = top + BarHeight + PadTop + 4;
            var valueTop = y + (ValueHeight - _value.Count * _valueStyle.LineHeight);
            TextLayout.DrawLines(canvas, _value, 0, _value.Count, _valueStyle, x, valueTop, inner, TextAlign.Left);
            y += ValueHeight + 2;
            TextLayout.DrawLines(canvas, _label, 0, _label.Count, _theme.KeyLabel, x, y, inner, TextAlign.Left);
            y += _label.Count * _theme.KeyLabel.LineHeight;
            if (_change.Count > 0)
            {
                y += 4;
                TextLayout.DrawLines(canvas, _change, 0, _change.Count, _theme.KeyChange, x, y, inner, TextAlign.Left);
                y += _change.Count * _theme.KeyChange.LineHeight;
            }

            if (_note.Count > 0)
            {
                y += 3;
                TextLayout.DrawLines(canvas, _note, 0, _note.Count, _theme.KeyNote, x, y, inner, TextAlign.Left);
            }
        }
    }
}
