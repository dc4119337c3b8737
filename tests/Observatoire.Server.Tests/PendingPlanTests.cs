using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests;

/// <summary>
/// Before the year's first suppression plan of an indicator is made, a query is not kept waiting: the nation is
/// published, every figure below it is withheld as pending (no value), and the figures appear once the plan is made.
/// </summary>
public class PendingPlanTests
{
    [Fact]
    public async Task Below_the_nation_figures_are_withheld_as_pending_until_the_year_s_first_plan_then_published()
    {
        using var server = new ServerFixture();
        server.Settings["Consolidation:PublicationWaitMilliseconds"] = "0";
        server.Settings["Consolidation:WarmYears"] = "0";
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var post = TestGrids.OpenPosts(ReportingFrequency.Month).First(p => p.DepartmentCode == "35").Id;
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2020-04")));

        var department = new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = "35" }, Period = "2020-04", Cells = { "entretiens" } };
        var national = new ConsolidateRequest { Area = new Area { Level = AreaLevel.National }, Period = "2020-04", Cells = { "entretiens" } };
        var pending = await aggregates.ConsolidateAsync(department);
        var nation = await aggregates.ConsolidateAsync(national);

        Assert.NotEmpty(pending.Figures);
        Assert.All(pending.Figures, f =>
        {
            Assert.Equal(Confidentiality.Pending, f.Confidentiality);
            Assert.False(f.HasValue);
        });
        Assert.Equal(70, nation.Figures.Single(f => f.Cell == "entretiens").Value);
        Assert.Equal(Confidentiality.Free, nation.Figures.Single(f => f.Cell == "entretiens").Confidentiality);

        // The plan goes on in the background: the same query soon publishes the department.
        ConsolidateResponse published;
        var deadline = DateTime.UtcNow.AddMinutes(5);
        do
        {
            await Task.Delay(50);
            published = await aggregates.ConsolidateAsync(department);
        }
        while (published.Figures.Any(f => f.Confidentiality == Confidentiality.Pending) && DateTime.UtcNow < deadline);

        var total = published.Figures.Single(f => f.Cell == "entretiens");
        Assert.Equal(Confidentiality.Free, total.Confidentiality);
        Assert.Equal(70, total.Value);
    }
}
