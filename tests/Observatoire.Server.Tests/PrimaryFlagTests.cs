using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

/// <summary>
/// Suppressed figures are published with one status by default (<c>CONFIDENTIALITY_SUPPRESSED</c>, SDMX C): a reader
/// cannot tell a small count from a cell hidden to protect one, so no flag pins a count to 1..k-1. With
/// <c>Consolidation:PublishPrimaryFlag</c> the server publishes the distinction (A, D) instead.
/// </summary>
public class PrimaryFlagTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Suppressed_figures_say_whether_they_are_small_only_where_the_server_publishes_the_flag(bool publishFlag)
    {
        using var server = new ServerFixture();
        server.Settings["Consolidation:PublishPrimaryFlag"] = publishFlag ? "true" : "false";
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var post = TestGrids.OpenPosts(Core.Registry.ReportingFrequency.Month).First(p => p.DepartmentCode == "33").Id;
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2021-06")));
        var request = new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = "33" }, Period = "2021-06", Cells = { "personnes_recues" } };

        var published = await aggregates.ConsolidateAsync(request);
        var raw = await aggregates.ConsolidateAsync(new ConsolidateRequest(request) { Disclosure = Disclosure.Raw });

        // statut=autre is 1, a small count: hidden either way, flagged A only where the flag is published.
        var autre = published.Figures.Single(f => f.Cell == "personnes_recues[statut=autre]");
        Assert.Equal(1, raw.Figures.Single(f => f.Cell == autre.Cell).Value);
        Assert.False(autre.HasValue);
        Assert.Equal(publishFlag ? Confidentiality.Primary : Confidentiality.Suppressed, autre.Confidentiality);
        Assert.All(published.Figures.Where(f => f.Confidentiality != Confidentiality.Free), f =>
        {
            Assert.False(f.HasValue);
            Assert.Contains(f.Confidentiality, publishFlag ? new[] { Confidentiality.Primary, Confidentiality.Secondary } : new[] { Confidentiality.Suppressed });
        });
    }
}
