using Observatoire.Core.Campaigns;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Tests.Campaigns;

public class CampaignRulesTests
{
    private static readonly Period March = Period.Parse("2025-03");

    private static CampaignState State(DateOnly today, params CampaignDecisionInfo[] decisions) =>
        CampaignRules.StateFor(March, "P-48-001", "48", decisions, today, deadlineDays: 15, closeAfterDays: 30);

    [Fact]
    public void A_period_closes_by_itself_the_day_after_deadline_plus_the_configured_days()
    {
        Assert.Equal(new DateOnly(2025, 4, 15), CampaignRules.Deadline(March, 15));
        Assert.True(State(new DateOnly(2025, 5, 15)).Open);
        var closed = State(new DateOnly(2025, 5, 16));
        Assert.False(closed.Open);
        Assert.Contains("close depuis le 2025-05-16", closed.Reason);
        Assert.Null(CampaignRules.ClosesOn(March, 15, 0));
    }

    [Fact]
    public void The_latest_decision_that_applies_to_the_post_wins_over_the_calendar()
    {
        var early = new CampaignDecisionInfo(1, Close: true, null, null, "bilan");
        Assert.False(State(new DateOnly(2025, 4, 1), early).Open);
        Assert.True(State(new DateOnly(2025, 4, 1), early, new CampaignDecisionInfo(2, false, "48", null, "retard")).Open);
        Assert.False(State(new DateOnly(2025, 4, 1), early, new CampaignDecisionInfo(2, false, "09", null, "ailleurs")).Open);
        Assert.True(State(new DateOnly(2026, 1, 1), new CampaignDecisionInfo(5, false, null, "P-48-001", "oubli")).Open);
        Assert.False(State(new DateOnly(2025, 4, 1), new CampaignDecisionInfo(5, false, null, "P-48-001", "oubli"), new CampaignDecisionInfo(6, true, "48", null, "fin")).Open);
    }
}
