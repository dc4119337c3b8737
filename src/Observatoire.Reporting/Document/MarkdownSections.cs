using System.Text;
using System.Text.RegularExpressions;

namespace Observatoire.Reporting.Document;

/// <summary>
/// Reads the plain Markdown a person writes (headings, paragraphs, lists) into report sections: "#" and "##" start a
/// level 2 section, "###" a level 3 one; text before the first heading goes under the given title. Emphasis marks
/// are dropped; nothing else is interpreted.
/// </summary>
public static partial class MarkdownSections
{
    public static IReadOnlyList<ReportSection> Parse(string markdown, string title)
    {
        var sections = new List<ReportSection>();
        var currentTitle = title;
        var currentLevel = 1;
        var blocks = new List<ReportBlock>();
        var paragraph = new StringBuilder();

        void FlushParagraph()
        {
            if (paragraph.Length > 0)
            {
                blocks.Add(new ParagraphBlock(paragraph.ToString()));
                paragraph.Clear();
            }
        }

        void FlushSection()
        {
            FlushParagraph();
            sections.Add(new ReportSection(currentTitle, currentLevel, [.. blocks]));
            blocks.Clear();
        }

        foreach (var raw in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (Heading().Match(line) is { Success: true } heading)
            {
                FlushSection();
                currentTitle = Plain(heading.Groups["text"].Value);
                currentLevel = heading.Groups["marks"].Length >= 3 ? 3 : 2;
                continue;
            }

            if (line.Length == 0)
            {
                FlushParagraph();
                continue;
            }

            if (ListItem().Match(line) is { Success: true } item)
            {
                FlushParagraph();
                blocks.Add(new ParagraphBlock("• " + Plain(item.Groups["text"].Value)));
                continue;
            }

            if (paragraph.Length > 0)
            {
                paragraph.Append(' ');
            }

            paragraph.Append(Plain(line));
        }

        FlushSection();
        return sections;
    }

    private static string Plain(string text) => Emphasis().Replace(text, "").Trim();

    [GeneratedRegex(@"^(?<marks>#{1,6})\s+(?<text>.+?)\s*#*$", RegexOptions.CultureInvariant)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(?:[-*+]|\d{1,3}[.)])\s+(?<text>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`", RegexOptions.CultureInvariant)]
    private static partial Regex Emphasis();
}
