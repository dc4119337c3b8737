using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;

namespace Observatoire.Core.Tests;

public class YearlyBilanTests
{
    private static readonly SchemaCatalog Catalog = SchemaCatalog.LoadEmbedded();
    private static readonly GridSchema Schema = Catalog.Find("2025.1")!;
    private static readonly GridValidator Validator = new(Catalog);
    private static readonly DateOnly Today = new(2026, 2, 10);

    /// <summary>Twelve identical months, and a bilan consistent with them: flows ×12, stocks of December, distinct persons ×8.</summary>
    private static Dictionary<string, long> ConsistentBilan()
    {
        var month = SampleGrids.ValidValues();
        return month.ToDictionary(
            kv => kv.Key,
            kv => Schema.Layout.Cells[Schema.Layout.IndexOf(kv.Key)].Aggregation switch
            {
                Aggregation.Sum => kv.Value * 12,
                Aggregation.None => kv.Value * 8,
                _ => kv.Value,
            });
    }

    private static List<PeriodGrid> Months(int count) =>
        [.. Period.OfYear(2025).Split(PeriodKind.Month).Take(count).Select(m => new PeriodGrid(m, SampleGrids.ValidValues()))];

    private static ValidationResult Validate(Dictionary<string, long> bilan, IReadOnlyList<PeriodGrid> sameYear, ReportingFrequency frequency = ReportingFrequency.Month)
    {
        var post = new PostContext("P-09-001", frequency, new DateOnly(2020, 1, 1), null);
        return Validator.Validate(SampleGrids.Grid(bilan, period: "2025"), new ValidationContext(Today, post, [], sameYear));
    }

    [Theory]
    [InlineData(ReportingFrequency.Month)]
    [InlineData(ReportingFrequency.Quarter)]
    [InlineData(ReportingFrequency.Year)]
    public void Every_post_may_send_its_yearly_bilan_whatever_its_frequency(ReportingFrequency frequency)
    {
        var result = Validate(ConsistentBilan(), [], frequency);

        Assert.Empty(result.Violations);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Quarterly_post_still_may_not_send_a_month()
    {
        var post = new PostContext("P-09-001", ReportingFrequency.Quarter, new DateOnly(2020, 1, 1), null);

        var result = Validator.Validate(SampleGrids.Grid(period: "2025-03"), ValidationContext.For(Today, post));

        Assert.Contains(result.Violations, v => v.RuleCode == "PERIODE_FREQUENCE");
    }

    [Fact]
    public void Without_a_yearly_bilan_in_the_schema_a_monthly_post_year_grid_is_the_wrong_frequency()
    {
        var text = SchemaCatalog.EmbeddedFile("2025.1");
        var start = text.IndexOf(",\n  \"yearly_bilan\"", StringComparison.Ordinal);
        Assert.True(start > 0);
        var withoutBilan = SchemaLoader.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text[..start] + "\n}\n")));
        var validator = new GridValidator(new SchemaCatalog([withoutBilan]));
        var post = new PostContext("P-09-001", ReportingFrequency.Month, new DateOnly(2020, 1, 1), null);

        var result = validator.Validate(SampleGrids.Grid(ConsistentBilan(), period: "2025"), new ValidationContext(Today, post, [], Months(12)));

        Assert.Null(withoutBilan.YearlyBilan);
        Assert.Equal(["PERIODE_FREQUENCE"], result.Violations.Select(v => v.RuleCode));
    }

    [Fact]
    public void Bilan_consistent_with_its_twelve_months_has_no_warning()
    {
        var result = Validate(ConsistentBilan(), Months(12));

        Assert.Empty(result.Violations);
    }

    [Fact]
    public void Flow_that_is_not_the_sum_of_the_months_is_a_warning_naming_both_figures()
    {
        var bilan = ConsistentBilan();
        bilan["signalements_procureur"] = 15;

        var result = Validate(bilan, Months(12));

        var warning = Assert.Single(result.Violations);
        Assert.Equal(("BILAN_FLUX_SOMME", "signalements_procureur", Severity.Warning), (warning.RuleCode, warning.Path, warning.Severity));
        Assert.Equal(
            "Bilan annuel : 15 pour « signalements_procureur », alors que les 12 grilles de l'année du poste (janvier 2025 à décembre 2025) totalisent 12 : vérifiez le bilan ou les grilles.",
            warning.Message);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Distinct_persons_below_the_largest_month_or_above_the_sum_of_months_are_warnings()
    {
        var bilan = ConsistentBilan();
        bilan["personnes_recues[statut=victime]"] = 20; // a month had 28
        bilan["personnes_recues[statut=autre]"] = 13;   // twelve months had 1 each
        bilan["personnes_recues[statut=entourage]"] = 320 - 20 - 40 - 13; // the statut breakdown still adds up to 320

        var result = Validate(bilan, Months(12));

        var codes = result.Violations.Select(v => (v.RuleCode, v.Path)).ToList();
        Assert.Contains(("BILAN_PERSONNES_MINIMUM", "personnes_recues[statut=victime]"), codes);
        Assert.Contains(("BILAN_PERSONNES_MAXIMUM", "personnes_recues[statut=autre]"), codes);
        Assert.Contains("janvier 2025", result.Violations.First(v => v.RuleCode == "BILAN_PERSONNES_MINIMUM").Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Violations, v => v.IsError);
    }

    [Fact]
    public void With_months_still_missing_flows_may_exceed_their_sum_but_not_fall_below_it()
    {
        var bilan = ConsistentBilan();
        bilan["accompagnements_physiques"] = 20; // six months reported 4 each

        var result = Validate(bilan, Months(6));

        var warning = Assert.Single(result.Violations);
        Assert.Equal(("BILAN_FLUX_INFERIEUR", "accompagnements_physiques"), (warning.RuleCode, warning.Path));
        Assert.Contains("24", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stock_at_the_end_of_the_year_is_compared_with_the_last_quarter()
    {
        var bilan = ConsistentBilan();
        bilan["file_active_fin"] = 60;
        var quarters = Period.OfYear(2025).Split(PeriodKind.Quarter).Select(q => new PeriodGrid(q, SampleGrids.ValidValues())).ToList();

        var result = Validate(bilan, quarters, ReportingFrequency.Quarter);

        var stock = Assert.Single(result.Violations, v => v.RuleCode == "BILAN_STOCK_FIN");
        Assert.Contains("4e trimestre 2025", stock.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quarter_grid_is_preferred_to_its_months_and_never_counted_twice()
    {
        var grids = Months(12);
        grids.Add(new PeriodGrid(Period.Quarter(2025, 1), SampleGrids.ValidValues().ToDictionary(kv => kv.Key, kv => kv.Value * 3)));

        var result = Validate(ConsistentBilan(), grids);

        Assert.DoesNotContain(result.Violations, v => v.RuleCode.StartsWith("BILAN_FLUX", StringComparison.Ordinal));
    }

    [Fact]
    public void Indicator_whose_total_is_off_gets_one_warning_not_one_per_breakdown_cell()
    {
        var bilan = ConsistentBilan();
        foreach (var key in bilan.Keys.Where(k => k.StartsWith("entretiens", StringComparison.Ordinal)).ToList())
        {
            bilan[key] *= 2;
        }

        var result = Validate(bilan, Months(12));

        Assert.Equal(["entretiens"], result.Violations.Select(v => v.Path));
    }
}
