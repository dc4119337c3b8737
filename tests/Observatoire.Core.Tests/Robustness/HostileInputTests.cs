using System.Diagnostics;
using System.Text;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;

namespace Observatoire.Core.Tests.Robustness;

/// <summary>Inputs a broken or hostile client may send: each gets a violation, never an exception or a stall.</summary>
public class HostileInputTests
{
    private static readonly SchemaCatalog Catalog = SchemaCatalog.LoadEmbedded();
    private static readonly GridValidator Validator = new(Catalog);

    // Each of these took the backtracking patterns seconds to minutes at a few kilobytes.
    public static TheoryData<string> AdversarialComments() =>
    [
        "né" + new string(' ', 1_990) + "x",
        "1" + new string(' ', 1_990) + "x",
        string.Concat(Enumerable.Repeat("1 ", 995)),
        string.Concat(Enumerable.Repeat("né ", 660)),
        new string('a', 1_000) + "@" + string.Concat(Enumerable.Repeat("a.", 490)),
        string.Concat(Enumerable.Repeat("12 rue ", 280)),
        new string('1', 2_000),
        string.Concat(Enumerable.Repeat("06 ", 660)),
        string.Concat(Enumerable.Repeat("+33", 660)),
        "naissance" + string.Concat(Enumerable.Repeat(" :,", 660)),
    ];

    [Theory]
    [MemberData(nameof(AdversarialComments))]
    public void Crafted_comments_are_scanned_in_linear_time(string comment)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            Validator.Validate(SampleGrids.Grid(comment: comment), SampleGrids.Context);
        }

        // Linear matching takes milliseconds here; the bound is generous so that a loaded machine passes,
        // and far below the minutes that backtracking took.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed} for five validations");
    }

    [Fact]
    public void A_comment_over_the_limit_is_refused_without_being_searched()
    {
        var comment = "écrire à marie.dupont@gmail.com " + new string('x', 5_000);

        var result = Validator.Validate(SampleGrids.Grid(comment: comment), SampleGrids.Context);

        Assert.Equal(["COMMENTAIRE_TROP_LONG"], result.Violations.Select(v => v.RuleCode));
    }

    [Fact]
    public void A_flood_of_combining_marks_is_refused_by_its_byte_count()
    {
        // One character to a reader (the limit in characters passes), 12,001 bytes in the database.
        var comment = "e" + new string('\u0301', 6_000);

        var result = Validator.Validate(SampleGrids.Grid(comment: comment), SampleGrids.Context);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("COMMENTAIRE_TROP_LONG", violation.RuleCode);
        Assert.Contains("12 001 octets", violation.Message.Replace('\u202f', ' ').Replace('\u00a0', ' '));
        Assert.True(Encoding.UTF8.GetByteCount(comment) > Catalog.Latest.Limits.MaxCommentBytes);
    }

    [Theory]
    [InlineData("0001")]
    [InlineData("0001-01")]
    [InlineData("1899-12")]
    [InlineData("2025-00")]
    [InlineData("2025-13")]
    [InlineData("2025-T0")]
    [InlineData("\u0662\u0660\u0662\u0665-\u0660\u0663")] // Arabic-Indic digits
    [InlineData("\uff12\uff10\uff12\uff15-\uff10\uff13")] // fullwidth digits
    [InlineData("2025-0\u0663")]
    [InlineData("2025-03\n")]
    [InlineData(" 2025-03")]
    [InlineData("99999")]
    public void Periods_outside_the_calendar_or_in_other_scripts_are_refused(string text)
    {
        Assert.False(Period.TryParse(text, out _));

        var result = Validator.Validate(SampleGrids.Grid(period: text), SampleGrids.Context);

        Assert.Contains(result.Violations, v => v.RuleCode == "PERIODE_INVALIDE" && v.Path == "period");
        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("9999-12", "9999-12-01", "9999-12-31")]
    [InlineData("9999-T4", "9999-10-01", "9999-12-31")]
    [InlineData("9999", "9999-01-01", "9999-12-31")]
    [InlineData("1900-01", "1900-01-01", "1900-01-31")]
    public void Periods_at_the_calendar_edges_have_a_start_and_an_end(string text, string start, string end)
    {
        var period = Period.Parse(text);

        Assert.Equal(DateOnly.Parse(start), period.Start);
        Assert.Equal(DateOnly.Parse(end), period.End);
        Assert.Equal(12 * 9999 + 11, Period.Parse("9999-12").LastMonthOrdinal);

        var result = Validator.Validate(SampleGrids.Grid(period: text), SampleGrids.Context);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Cell_sums_past_64_bits_do_not_wrap_into_a_rule_that_holds()
    {
        var schema = Catalog.Latest;
        var rule = RuleExpression.Parse("sum(personnes_recues[statut=*]) == personnes_recues", schema.Layout);
        var cells = new long[schema.Layout.Count];
        var parts = schema.Layout.Cells.Where(c => c.Key.StartsWith("personnes_recues[statut=", StringComparison.Ordinal)).ToList();
        cells[parts[0].Index] = long.MaxValue;
        cells[parts[1].Index] = long.MaxValue;
        cells[parts[2].Index] = 2; // the true sum is 2^64, which wraps to 0 in 64 bits
        cells[schema.Layout.IndexOf("personnes_recues")] = 0;

        var outcome = rule.Evaluate(cells);

        Assert.False(outcome.Ok);
        Assert.Equal(long.MaxValue, outcome.Left);
        Assert.Equal(0, outcome.Right);
    }

    [Fact]
    public void Extreme_values_in_every_cell_are_violations_not_exceptions()
    {
        foreach (var extreme in new[] { long.MaxValue, long.MinValue, -1L, int.MaxValue + 1L })
        {
            var values = SampleGrids.ValidValues().ToDictionary(kv => kv.Key, _ => extreme);

            var result = Validator.Validate(SampleGrids.Grid(values), SampleGrids.Context);

            Assert.False(result.IsValid);
            Assert.Contains(result.Violations, v => v.RuleCode == "VALEUR_HORS_BORNES");
        }
    }

    [Fact]
    public void A_post_with_an_unusual_frequency_and_a_far_period_is_judged_not_thrown()
    {
        var post = new PostContext("P-09-001", ReportingFrequency.Quarter, new DateOnly(1900, 1, 1), new DateOnly(9999, 12, 31));

        var result = Validator.Validate(SampleGrids.Grid(period: "9999-12"), ValidationContext.For(SampleGrids.Today, post));

        Assert.Contains(result.Violations, v => v.RuleCode == "PERIODE_FUTURE");
    }
}
