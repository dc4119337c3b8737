using SkiaSharp;

namespace Observatoire.Reporting.Document;

/// <summary>A report to print: cover information and sections of blocks. Layout is the writer's job.</summary>
public sealed record ReportDocument(
    string Title,
    string Subtitle,
    string Publisher,
    DateOnly Date,
    IReadOnlyList<ReportSection> Sections)
{
    /// <summary>The language of the text (BCP 47), declared in the PDF for screen readers.</summary>
    public string Language { get; init; } = "fr-FR";
}

/// <summary>
/// A section: level 1 sections start on a new page and appear in the table of contents with their
/// level 2 subsections.
/// </summary>
public sealed record ReportSection(string Title, int Level, IReadOnlyList<ReportBlock> Blocks)
{
    /// <summary>For a level 2 or deeper section: start it on a new page (a department's page in its region).</summary>
    public bool StartsNewPage { get; init; }
}

/// <summary>Something a section shows.</summary>
public abstract record ReportBlock;

/// <summary>Running text.</summary>
public sealed record ParagraphBlock(string Text) : ReportBlock;

/// <summary>A small print note (methodology remarks, footnotes).</summary>
public sealed record NoteBlock(string Text) : ReportBlock;

/// <summary>A row of highlighted key figures ("Personnes nouvelles 12 345, +4,2 % sur un an").</summary>
public sealed record KeyFiguresBlock(IReadOnlyList<KeyFigure> Figures) : ReportBlock;

/// <summary>One key figure: label, formatted value, optional change and note.</summary>
public sealed record KeyFigure(string Label, string Value, string? Change = null, string? Note = null);

/// <summary>Horizontal alignment of a table column.</summary>
public enum ColumnAlignment
{
    Left,
    Right,
    Center,
}

/// <summary>A table with formatted cells (numbers already in French format).</summary>
public sealed record TableBlock(
    string? Caption,
    IReadOnlyList<string> Headers,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<ColumnAlignment>? Alignments = null,
    string? Footnote = null) : ReportBlock;

/// <summary>
/// A chart drawn as vectors into the rectangle the writer gives it. The writer prints its
/// description under it and its data in the annex of chart data.
/// </summary>
/// <param name="AspectRatio">Height over width.</param>
/// <param name="Alternative">What the chart shows, in words and as a table (required).</param>
public sealed record ChartBlock(string Caption, float AspectRatio, Action<SKCanvas, SKRect> Draw, ChartAlternative Alternative) : ReportBlock;

/// <summary>
/// The text alternative of a chart: its title, a sentence describing what it shows, and its data as a
/// table (cells already formatted in French).
/// </summary>
public sealed record ChartAlternative(
    string Title,
    string Description,
    IReadOnlyList<string> Headers,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<ColumnAlignment>? Alignments = null);

/// <summary>Forces the next block onto a new page.</summary>
public sealed record PageBreakBlock : ReportBlock;
