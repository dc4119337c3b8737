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

    [Fact]
    public async Task A_read_of_every_indicator_waits_for_their_plans_once_in_all_not_once_per_indicator()
    {
        // Plans held (as a large year's would take): each indicator's wait, one after the other, would add up (here
        // about 8 s at 1 s a wait, up to 69 waits for a department's year of the Ministry's data).
        var hold = Path.GetTempFileName();
        try
        {
            using var server = new ServerFixture();
            server.Settings["Consolidation:PublicationWaitMilliseconds"] = "1000";
            server.Settings["Consolidation:WarmYears"] = "0";
            server.Settings["Testing:HoldSecrecyPlansWhileFileExists"] = hold;
            var grids = new GridService.GridServiceClient(server.CreateChannel());
            var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
            var post = TestGrids.OpenPosts(ReportingFrequency.Month).First(p => p.DepartmentCode == "35").Id;
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2020-04")));

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var pending = await aggregates.ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = "35" }, Period = "2020" });
            var elapsed = clock.Elapsed;

            // Every figure with data waits for its indicator's plan (the cells without data have nothing to plan).
            Assert.All(pending.Figures, f => Assert.False(f.HasValue));
            var waiting = pending.Figures.Where(f => f.Confidentiality == Confidentiality.Pending).ToList();
            Assert.True(waiting.Select(f => f.Cell.Split('.')[0]).Distinct().Count() > 20, $"{waiting.Count} figures pending");
            Assert.InRange(elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(4));
        }
        finally
        {
            File.Delete(hold);
        }
    }
}
