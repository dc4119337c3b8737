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
