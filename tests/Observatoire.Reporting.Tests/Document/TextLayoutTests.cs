using Observatoire.Reporting.Document.Layout;

namespace Observatoire.Reporting.Tests.Document;

public sealed class TextLayoutTests : IDisposable
{
    private readonly ReportTheme _theme = new();

    public void Dispose() => _theme.Dispose();

    [Fact]
    public void Lines_break_on_spaces_and_never_exceed_the_width()
    {
        var text = string.Join(' ', Enumerable.Repeat("problématique d’accès au droit", 20));

        var lines = TextLayout.Wrap(text, _theme.Body, 200);

        Assert.True(lines.Count > 5);
        Assert.All(lines, l => Assert.True(l.Width <= 200.01f, $"'{l.Text}' is {l.Width} wide"));
        Assert.Equal(text, string.Join(' ', lines.Select(l => l.Text)));
        Assert.True(lines[^1].EndsParagraph);
        Assert.All(lines.SkipLast(1), l => Assert.False(l.EndsParagraph));
    }

    [Fact]
    public void Each_line_takes_every_word_that_fits_as_measured_on_the_whole_line()
    {
        var words = "Les intervenants sociaux reçoivent, orientent et accompagnent les personnes en situation de détresse : victimes, auteurs, familles";
        var text = string.Join(' ', Enumerable.Repeat(words, 12));

        foreach (var width in new[] { 120f, 173.5f, 260f, 431f })
        {
            var lines = TextLayout.Wrap(text, _theme.Body, width);

            Assert.Equal(text, string.Join(' ', lines.Select(l => l.Text)));
            for (var i = 0; i < lines.Count; i++)
            {
                Assert.Equal(_theme.Body.Measure(lines[i].Text), lines[i].Width, 3);
                Assert.True(lines[i].Width <= width + 0.01f, $"'{lines[i].Text}' is {lines[i].Width} wide");
                if (i + 1 < lines.Count)
                {
                    // Greedy: the next line's first word would not have fitted on this one.
                    var next = TextLayout.Units(lines[i + 1].Text)[0];
                    Assert.True(_theme.Body.Measure(lines[i].Text + " " + next) > width, $"'{next}' fits after '{lines[i].Text}'");
                }
            }
        }
    }

    [Theory]
    [InlineData("Bonjour !", "Bonjour !")]
    [InlineData("Source : Insee", "Source :")]
    [InlineData("« violences »", "« violences »")]
    [InlineData("soit 12 345 personnes", "12 345")]
    [InlineData("hausse de 6,3 %", "6,3 %")]
    public void French_punctuation_and_digit_groups_stay_on_the_line_of_the_word_before(string text, string unit)
    {
        Assert.Contains(unit, TextLayout.Units(text));
    }

    [Fact]
    public void No_break_spaces_never_break_a_line()
    {
        var lines = TextLayout.Wrap("48\u202F512 personnes et 6,3\u00A0% de hausse", _theme.Body, 45);

        Assert.Contains(lines, l => l.Text == "48\u202F512");
        Assert.Contains(lines, l => l.Text.StartsWith("6,3\u00A0%", StringComparison.Ordinal));
    }

    [Fact]
    public void A_word_wider_than_the_line_is_cut_preferably_after_a_hyphen()
    {
        var lines = TextLayout.Wrap("Provence-Alpes-Côte-d’Azur-et-Corse-réunies", _theme.Body, 80);

        Assert.True(lines.Count > 1);
        Assert.All(lines, l => Assert.True(l.Width <= 80.01f));
        Assert.All(lines.SkipLast(1), l => Assert.EndsWith("-", l.Text));
        Assert.Equal("Provence-Alpes-Côte-d’Azur-et-Corse-réunies", string.Concat(lines.Select(l => l.Text)));
    }

    [Fact]
    public void Hard_line_breaks_are_kept()
    {
        var lines = TextLayout.Wrap("Première ligne\r\nDeuxième ligne", _theme.Body, 400);

        Assert.Equal(["Première ligne", "Deuxième ligne"], lines.Select(l => l.Text));
    }

    [Fact]
    public void French_characters_and_narrow_no_break_spaces_are_printable_with_the_report_font()
    {
        const string text = "é è à ç œ Œ « » \u202F \u00A0 ’ – — … €";

        Assert.Equal(text, _theme.Body.Printable(text));
    }

    [Fact]
    public void Characters_missing_from_the_font_are_replaced_instead_of_printing_tofu()
    {
        Assert.Equal("? ?", _theme.Body.Printable("\u6F22 \u0915"));
        Assert.Equal("ab", _theme.Body.Printable("a\u00ADb\u200B"));
    }

    [Fact]
    public void A_long_running_header_is_shortened_with_an_ellipsis()
    {
        var text = string.Concat(Enumerable.Repeat("Données départementales ", 10));

        var shortened = TextLayout.Truncate(text, _theme.Running, 100);

        Assert.EndsWith("\u2026", shortened);
        Assert.True(_theme.Running.Measure(shortened) <= 100);
    }

    [Fact]
    public void A_missing_font_family_fails_with_an_explicit_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReportFonts.Load("Famille Inexistante", SkiaSharp.SKFontStyle.Normal));

        Assert.Contains("Famille Inexistante", error.Message);
        Assert.Contains("fonts-dejavu-core", error.Message);
    }
}
