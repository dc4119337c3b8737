using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Observatoire.Reporting.Tests.Document;

/// <summary>Reads back a written PDF with PdfPig: pages, lines of text (top to bottom), letters.</summary>
internal static class PdfInspection
{
    /// <summary>A line of text: words on the same baseline, joined by spaces; Y grows upwards (PDF space).</summary>
    public sealed record TextLine(string Text, double Baseline, double FontSize);

    public static List<TextLine> Lines(Page page)
    {
        var lines = new List<(double Baseline, List<Word> Words)>();
        foreach (var word in page.GetWords().OrderByDescending(w => w.Letters[0].StartBaseLine.Y).ThenBy(w => w.BoundingBox.Left))
        {
            var baseline = word.Letters[0].StartBaseLine.Y;
            var line = lines.FirstOrDefault(l => Math.Abs(l.Baseline - baseline) < 1.5);
            if (line.Words is null)
            {
                lines.Add((baseline, [word]));
            }
            else
            {
                line.Words.Add(word);
            }
        }

        return lines
            .OrderByDescending(l => l.Baseline)
            .Select(l =>
            {
                var words = l.Words.OrderBy(w => w.BoundingBox.Left).ToList();
                return new TextLine(
                    string.Join(' ', words.Select(w => w.Text)),
                    l.Baseline,
                    words.SelectMany(w => w.Letters).Max(x => x.PointSize));
            })
            .ToList();
    }

    /// <summary>Text of the page with every kind of space folded to an ordinary space.</summary>
    public static string PlainText(Page page) => Fold(page.Text);

    public static string Fold(string text) => text.Replace('\u202F', ' ').Replace('\u00A0', ' ');
}
