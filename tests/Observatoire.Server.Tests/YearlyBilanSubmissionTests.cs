using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

public class YearlyBilanSubmissionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly GridService.GridServiceClient _grids = new(server.CreateChannel());

    [Fact]
    public async Task Monthly_post_yearly_bilan_is_accepted_and_checked_against_its_months()
    {
        var post = TestGrids.MonthlyPost(5).Id;
        foreach (var month in new[] { "2024-01", "2024-02", "2024-03" })
        {
            await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, month)));
        }

        // Flows of three months, distinct persons of the quarter; one flow below what the months reported.
        var bilan = TestGrids.Valid(post, "2024");
        foreach (var key in bilan.Values.Keys.ToList())
        {
            bilan.Values[key] *= key.StartsWith("personnes_recues", StringComparison.Ordinal) ? 2 : key == "file_active_fin" ? 1 : 3;
        }

        bilan.Values["accompagnements_physiques"] = 10; // three months reported 4 each
        var validation = await _grids.ValidateGridAsync(new ValidateGridRequest { Grid = bilan });
        var answer = await _grids.SubmitGridAsync(TestGrids.Submission(bilan));

        Assert.True(validation.Valid);
        Assert.Equal(1, answer.Revision);
        var warning = Assert.Single(answer.Warnings, w => w.RuleCode.StartsWith("BILAN_", StringComparison.Ordinal));
        Assert.Equal("BILAN_FLUX_INFERIEUR", warning.RuleCode);
        Assert.Equal("accompagnements_physiques", warning.Path);
        Assert.Contains("12", warning.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains(validation.Violations, v => v.RuleCode == "BILAN_FLUX_INFERIEUR" && v.Message == warning.Message);
    }

    [Fact]
    public async Task Quarterly_post_yearly_bilan_is_accepted_without_months()
    {
        var post = TestGrids.QuarterlyPost(3).Id;

        var answer = await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2024")));

        Assert.Equal(1, answer.Revision);
        Assert.DoesNotContain(answer.Warnings, w => w.RuleCode.StartsWith("BILAN_", StringComparison.Ordinal));
    }
}
