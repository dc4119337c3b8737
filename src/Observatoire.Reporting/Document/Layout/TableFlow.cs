using SkiaSharp;

namespace Observatoire.Reporting.Document.Layout;

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
