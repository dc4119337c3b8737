using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>A plot and where it is drawn, in layout pixels.</summary>
internal sealed record PlacedPlot(Plot Plot, PixelRect Rect);

/// <summary>
/// One chart ready to lay out: the frame texts, footnotes known from the data, and the plots,
/// built once the body rectangle is known (so that label sizes can follow the space).
/// </summary>
internal abstract class ChartFigure(ChartFrame frame)
{
    public ChartFrame Frame { get; } = frame;

    public virtual string? Subtitle => Frame.Subtitle;

    /// <summary>Footnotes printed above the source line.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Builds the plots and places them inside <paramref name="body"/>.</summary>
    public abstract IReadOnlyList<PlacedPlot> Build(SKRect body);

    /// <summary>Draws anything that is not a plot (after the plots).</summary>
    public virtual void DrawOverlay(SKCanvas canvas, SKRect body, IReadOnlyList<PlacedPlot> plots)
    {
    }

    /// <summary><paramref name="label"/> as a subtitle, unless the title already says it.</summary>
    protected string? DefaultSubtitle(string label) =>
        string.IsNullOrWhiteSpace(label) || Frame.Title.Contains(label.Trim(), StringComparison.OrdinalIgnoreCase) ? null : label;

    /// <summary>
    /// Adds one note explaining the marks present: "secret", "n.d." and "*" (partial), plus any
    /// <paramref name="extra"/> remark, as a single paragraph.
    /// </summary>
    protected void AddValueNotes(IEnumerable<PublishedNumber?> numbers, params string[] extra)
    {
        var list = numbers.Where(n => n is not null).Select(n => n!).ToList();
        var parts = new List<string>();
        if (list.Any(n => n.Value is null && n.IsSecret))
        {
            parts.Add("secret : valeur couverte par le secret statistique, non représentée");
        }

        if (list.Any(n => n.Value is null && !n.IsSecret))
        {
            parts.Add("n.d. : valeur non disponible");
        }

        if (list.Any(n => n.Value is not null && n.Partial))
        {
            parts.Add("* chiffre partiel (grilles attendues pas toutes reçues)");
        }

        parts.AddRange(extra.Where(e => !string.IsNullOrWhiteSpace(e)));
        if (parts.Count > 0)
        {
            Notes.Add(string.Join(" ; ", parts) + ".");
        }
    }
}

/// <summary>Text measuring and wrapping with the chart font.</summary>
internal static class TextLayout
{
    public static float Measure(string text, float size, bool bold = false)
    {
        using var font = new SKFont(bold ? ChartStyle.Bold : ChartStyle.Regular, size);
        return text.Split('\n').Max(line => font.MeasureText(line));
    }

    /// <summary>Breaks <paramref name="text"/> at ordinary spaces into lines no wider than <paramref name="width"/>.</summary>
    public static IReadOnlyList<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            var current = string.Empty;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (current.Length > 0 && font.MeasureText(candidate) > width)
                {
                    lines.Add(current);
                    current = word;
                }
                else
                {
                    current = candidate;
                }
            }

            lines.Add(current);
        }

        return lines;
    }

    /// <summary>Wraps to lines joined by "\n" (for ScottPlot labels).</summary>
    public static string WrapToLabel(string text, float size, float width)
    {
        using var font = new SKFont(ChartStyle.Regular, size);
        return string.Join('\n', Wrap(text, font, width));
    }
}
