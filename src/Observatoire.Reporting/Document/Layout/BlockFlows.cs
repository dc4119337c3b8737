using SkiaSharp;

namespace Observatoire.Reporting.Document.Layout;

/// <summary>A block prepared for a given width, able to flow itself down the pages.</summary>
internal abstract class BlockFlow
{
    /// <summary>Height that must fit under a heading for the heading to stay on its page.</summary>
    public abstract float LeadHeight { get; }

    public abstract void Flow(PageComposer composer);

    /// <param name="chartNumbers">The number of each chart of the document ("Graphique 3"), by reference.</param>
    public static BlockFlow Create(ReportBlock block, ReportTheme theme, IReadOnlyDictionary<ChartBlock, int> chartNumbers) => block switch
    {
        ParagraphBlock p => TextFlow.Paragraph(p.Text, theme),
        NoteBlock n => TextFlow.Note(n.Text, theme),
        KeyFiguresBlock k => new KeyFiguresFlow(k, theme),
        TableBlock t => new TableFlow(t, theme),
        ChartBlock c => new ChartFlow(c, theme, chartNumbers[c]),
        PageBreakBlock => new PageBreakFlow(),
        null => throw new ArgumentException("A section contains a null block."),
        _ => throw new NotSupportedException($"Block type {block.GetType().Name} is not supported by the PDF writer."),
    };
}

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

/// <summary>
/// A table: caption above, coloured header row repeated on every page, zebra rows, column widths
/// from content, wrapped cells, footnote below (kept with the last row).
/// </summary>
internal sealed class TableFlow : BlockFlow
{
    private const float PadX = 4.5f;
    private const float PadY = 3.2f;
    private const float CaptionGap = 5f;
    private const float FootnoteGap = 4f;
    private const string Continued = " (suite)";
    private const float SmallTableShare = 0.4f;
    private const int TailRows = 2;

    private readonly ReportTheme _theme;
    private readonly TextAlign[] _aligns;
    private readonly float[] _widths;
    private readonly List<TextLine>[] _header;
    private readonly float _headerHeight;
    private readonly List<TextLine>[][] _cells;
    private readonly float[] _rowHeights;
    private readonly List<TextLine> _caption;
    private readonly List<TextLine> _captionContinued;
    private readonly List<TextLine> _footnote;

    public TableFlow(TableBlock table, ReportTheme theme)
    {
        _theme = theme;
        var headers = table.Headers ?? throw new ArgumentException("A table has no header list.");
        var rows = table.Rows ?? throw new ArgumentException("A table has no row list.");
        var columns = headers.Count;
        if (columns == 0)
        {
            throw new ArgumentException($"The table \"{table.Caption}\" has no column.");
        }

        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r] is null || rows[r].Count != columns)
            {
                throw new ArgumentException(
                    $"Row {r + 1} of the table \"{table.Caption}\" has {rows[r]?.Count ?? 0} cells, expected {columns}.");
            }
        }

        _aligns = Enumerable.Range(0, columns).Select(j => (table.Alignments is { } a && j < a.Count ? a[j] : ColumnAlignment.Left) switch
        {
            ColumnAlignment.Right => TextAlign.Right,
            ColumnAlignment.Center => TextAlign.Center,
            _ => TextAlign.Left,
        }).ToArray();

        _widths = ColumnWidths(headers, rows, theme);
        _header = headers.Select((h, j) => TextLayout.Wrap(h, theme.TableHeader, _widths[j] - 2 * PadX)).ToArray();
        _headerHeight = _header.Max(l => l.Count) * theme.TableHeader.LineHeight + 2 * PadY;
        _cells = rows.Select(row => row.Select((c, j) => TextLayout.Wrap(c, theme.TableText, _widths[j] - 2 * PadX)).ToArray()).ToArray();
        _rowHeights = _cells.Select(row => row.Max(l => l.Count) * theme.TableText.LineHeight + 2 * PadY).ToArray();
        _caption = string.IsNullOrWhiteSpace(table.Caption) ? [] : TextLayout.Wrap(table.Caption, theme.Caption, ReportTheme.ContentWidth);
        _captionContinued = string.IsNullOrWhiteSpace(table.Caption)
            ? []
            : TextLayout.Wrap(table.Caption + Continued, theme.CaptionContinued, ReportTheme.ContentWidth);
        _footnote = string.IsNullOrWhiteSpace(table.Footnote) ? [] : TextLayout.Wrap(table.Footnote, theme.TableFootnote, ReportTheme.ContentWidth);
    }

    private float CaptionHeight => _caption.Count == 0 ? 0 : _caption.Count * _theme.Caption.LineHeight + CaptionGap;

    private float ContinuedHeight => _captionContinued.Count == 0 ? 0 : _captionContinued.Count * _theme.CaptionContinued.LineHeight + CaptionGap;

    private float FootnoteHeight => _footnote.Count == 0 ? 0 : FootnoteGap + _footnote.Count * _theme.TableFootnote.LineHeight;

    public override float LeadHeight => CaptionHeight + _headerHeight + _rowHeights.Take(2).Sum() + (_rowHeights.Length <= 2 ? FootnoteHeight : 0);

    /// <summary>Height of the whole table, caption and footnote included.</summary>
    private float TotalHeight => CaptionHeight + _headerHeight + _rowHeights.Sum() + FootnoteHeight;

    public override void Flow(PageComposer composer)
    {
        composer.Space(12);
        // A short table is never split; a long one starts with its header and at least two rows.
        composer.KeepTogether(TotalHeight <= ReportTheme.BodyHeight * SmallTableShare ? TotalHeight : LeadHeight);
        if (_caption.Count > 0)
        {
            composer.Place(CaptionHeight, (canvas, top) =>
                TextLayout.DrawLines(canvas, _caption, 0, _caption.Count, _theme.Caption, ReportTheme.ContentLeft, top, ReportTheme.ContentWidth, TextAlign.Left));
        }

        PlaceHeader(composer);
        var rowsOnPage = 0;
        for (var r = 0; r < _rowHeights.Length; r++)
        {
            // The last rows travel together with the footnote: no page ends a table with a lone row.
            var need = r >= _rowHeights.Length - TailRows
                ? _rowHeights.Skip(r).Sum() + FootnoteHeight
                : _rowHeights[r];
            if (!composer.Fits(need) && rowsOnPage > 0)
            {
                PlaceBottomRule(composer);
                composer.NewPage();
                if (_captionContinued.Count > 0)
                {
                    composer.Place(ContinuedHeight, (canvas, top) =>
                        TextLayout.DrawLines(canvas, _captionContinued, 0, _captionContinued.Count, _theme.CaptionContinued, ReportTheme.ContentLeft, top, ReportTheme.ContentWidth, TextAlign.Left));
                }

                PlaceHeader(composer);
                rowsOnPage = 0;
            }

            var row = r;
            composer.Place(_rowHeights[r], (canvas, top) => DrawRow(canvas, row, top));
            rowsOnPage++;
        }

        PlaceBottomRule(composer);
        if (_footnote.Count > 0)
        {
            composer.Place(FootnoteHeight, (canvas, top) =>
                TextLayout.DrawLines(canvas, _footnote, 0, _footnote.Count, _theme.TableFootnote, ReportTheme.ContentLeft, top + FootnoteGap, ReportTheme.ContentWidth, TextAlign.Left));
        }

        composer.Space(14);
    }

    private void PlaceHeader(PageComposer composer) => composer.Place(_headerHeight, DrawHeader);

    private static void PlaceBottomRule(PageComposer composer) => composer.Place(0, (canvas, top) =>
    {
        using var rule = ReportTheme.Stroke(ReportTheme.Accent, 0.8f);
        canvas.DrawLine(ReportTheme.ContentLeft, top, ReportTheme.ContentRight, top, rule);
    });

    private void DrawHeader(SKCanvas canvas, float top)
    {
        using (var background = ReportTheme.Fill(ReportTheme.Accent))
        {
            canvas.DrawRect(ReportTheme.ContentLeft, top, ReportTheme.ContentWidth, _headerHeight, background);
        }

        var x = ReportTheme.ContentLeft;
        var style = _theme.TableHeader;
        for (var j = 0; j < _widths.Length; j++)
        {
            // Header labels sit at the bottom of the header row, over their column.
            var lines = _header[j];
            var textTop = top + _headerHeight - PadY - lines.Count * style.LineHeight;
            TextLayout.DrawLines(canvas, lines, 0, lines.Count, style, x + PadX, textTop, _widths[j] - 2 * PadX, _aligns[j]);
            x += _widths[j];
        }
    }

    private void DrawRow(SKCanvas canvas, int row, float top)
    {
        var height = _rowHeights[row];
        if (row % 2 == 1)
        {
            using var zebra = ReportTheme.Fill(ReportTheme.Zebra);
            canvas.DrawRect(ReportTheme.ContentLeft, top, ReportTheme.ContentWidth, height, zebra);
        }

        var x = ReportTheme.ContentLeft;
        for (var j = 0; j < _widths.Length; j++)
        {
            var lines = _cells[row][j];
            TextLayout.DrawLines(canvas, lines, 0, lines.Count, _theme.TableText, x + PadX, top + PadY, _widths[j] - 2 * PadX, _aligns[j]);
            x += _widths[j];
        }
    }

    /// <summary>
    /// Column widths filling the content width: natural widths when everything fits on one line,
    /// otherwise headers wrap first, then cells, never below the longest word (unless even that
    /// does not fit, when words are cut).
    /// </summary>
    private static float[] ColumnWidths(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, ReportTheme theme)
    {
        var n = headers.Count;
        var full = new float[n];
        var body = new float[n];
        var min = new float[n];
        for (var j = 0; j < n; j++)
        {
            var headerNatural = TextLayout.NaturalWidth(headers[j], theme.TableHeader);
            var headerMin = TextLayout.LongestUnitWidth(headers[j], theme.TableHeader);
            float cellsNatural = 0, cellsMin = 0;
            foreach (var row in rows)
            {
                cellsNatural = Math.Max(cellsNatural, TextLayout.NaturalWidth(row[j], theme.TableText));
                cellsMin = Math.Max(cellsMin, TextLayout.LongestUnitWidth(row[j], theme.TableText));
            }

            full[j] = Math.Max(headerNatural, cellsNatural) + 2 * PadX + 0.5f;
            body[j] = Math.Max(headerMin, cellsNatural) + 2 * PadX + 0.5f;
            min[j] = Math.Max(headerMin, cellsMin) + 2 * PadX + 0.5f;
        }

        const float width = ReportTheme.ContentWidth;
        if (full.Sum() <= width)
        {
            return Grow(full, full, width);
        }

        if (body.Sum() <= width)
        {
            return Grow(body, full.Zip(body, (f, b) => f - b).ToArray(), width);
        }

        if (min.Sum() <= width)
        {
            return Grow(min, body.Zip(min, (b, m) => b - m).ToArray(), width);
        }

        var scale = width / min.Sum();
        return min.Select(m => m * scale).ToArray();
    }

    /// <summary>Adds the free width to <paramref name="start"/> in proportion to <paramref name="weights"/>.</summary>
    private static float[] Grow(float[] start, float[] weights, float width)
    {
        var free = width - start.Sum();
        var total = weights.Sum();
        return start.Select((s, j) => s + (total > 0 ? free * weights[j] / total : free / start.Length)).ToArray();
    }
}

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

/// <summary>Starts a new page unless the current one is still empty.</summary>
internal sealed class PageBreakFlow : BlockFlow
{
    public override float LeadHeight => 0;

    public override void Flow(PageComposer composer) => composer.NewPageUnlessEmpty();
}
