using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

public class RestartTests
{
    [Fact]
    public async Task Figures_after_a_restart_are_those_acknowledged_before_it()
    {
        var post = TestGrids.MonthlyPost(0).Id;
        var request = new ConsolidateRequest { Area = new Area { Level = AreaLevel.National }, Period = "2024-T1", Disclosure = Disclosure.Raw };
        var directory = Directory.CreateTempSubdirectory("observatoire-restart-").FullName;
        var path = Path.Combine(directory, "observatoire.db");
        ConsolidateResponse before;
        using (var first = new ServerFixture(path))
        {
            var grids = new GridService.GridServiceClient(first.CreateChannel());
            foreach (var month in new[] { "2024-01", "2024-02", "2024-03" })
            {
                await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, month)));
            }

            var corrected = TestGrids.Valid(post, "2024-03");
            corrected.Values["file_active_fin"] = 61;
            await grids.SubmitGridAsync(TestGrids.Submission(corrected));
            before = await new AggregateService.AggregateServiceClient(first.CreateChannel()).ConsolidateAsync(request);
        }

        using var second = new ServerFixture(path);
        var after = await new AggregateService.AggregateServiceClient(second.CreateChannel()).ConsolidateAsync(request);

        Assert.Equal(61, after.Figures.Single(f => f.Cell == "file_active_fin").Value);
        Assert.Equal(before.Figures, after.Figures);
        Assert.Equal(before.Provenance.GridsUsed, after.Provenance.GridsUsed);
        second.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
