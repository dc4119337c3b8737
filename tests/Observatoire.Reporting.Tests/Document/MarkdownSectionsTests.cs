using Observatoire.Reporting.Document;

namespace Observatoire.Reporting.Tests.Document;

public class MarkdownSectionsTests
{
    [Fact]
    public void Headings_start_sections_lines_join_into_paragraphs_and_list_items_stand_alone()
    {
        var sections = MarkdownSections.Parse(
            "Introduction sur\ndeux lignes.\n\n# Faits *marquants*\nUn **partenariat** renforcé.\n\n## Actions\n- première\n* seconde\n1. troisième\n\n### Détail ###\nFin.",
            "Bilan qualitatif");

        Assert.Equal(
            [("Bilan qualitatif", 1), ("Faits marquants", 2), ("Actions", 2), ("Détail", 3)],
            sections.Select(s => (s.Title, s.Level)));
        Assert.Equal(["Introduction sur deux lignes."], Texts(sections[0]));
        Assert.Equal(["Un partenariat renforcé."], Texts(sections[1]));
        Assert.Equal(["• première", "• seconde", "• troisième"], Texts(sections[2]));
        Assert.Equal(["Fin."], Texts(sections[3]));
    }

    [Fact]
    public void Text_without_heading_is_one_section_and_a_hash_without_space_is_text()
    {
        var sections = MarkdownSections.Parse("#hashtag n'est pas un titre\r\n\r\n\r\nSecond paragraphe.", "Bilan qualitatif");

        var section = Assert.Single(sections);
        Assert.Equal(["#hashtag n'est pas un titre", "Second paragraphe."], Texts(section));
    }

    private static List<string> Texts(ReportSection section) => [.. section.Blocks.Cast<ParagraphBlock>().Select(b => b.Text)];
}
