using Microsoft.Extensions.DependencyInjection;
using Observatoire.Protos.V1;
using Observatoire.Server.Aggregates;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Editions;

/// <summary>
/// Figures as of an instant dropped from memory while a reader still uses them (another reader asked for other
/// instants, and the server keeps few cubes): the reader is given what it would have been given anyway, never figures
/// withheld because a plan it waited for was cancelled.
/// </summary>
public class EvictedCubeTests
{
    [Fact]
    public async Task An_edition_s_export_still_gives_the_stored_file_when_its_figures_are_dropped_from_memory_meanwhile()
    {
        using var server = new ServerFixture();
        using var hold = PlanHold.On(server);
        server.Settings["Consolidation:AsOfCubes"] = "1";
        server.Settings["Consolidation:PublicationWaitMilliseconds"] = "0";
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var reports = new ReportService.ReportServiceClient(server.CreateChannel());
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        foreach (var post in TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode is "33" or "40"))
        {
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2021")));
        }

        var publisher = new EditionService.EditionServiceClient(server.CreateChannel(await server.ReportKeyAsync()));
        var first = await publisher.PublishEditionAsync(new PublishEditionRequest { Year = 2021, Edition = "2026-01" });
        var late = TestGrids.OpenPosts(ReportingFrequency.Month).First(p => p.DepartmentCode == "33");
        await grids.SubmitGridAsync(TestGrids.Submission(AsOfTests.Revised(late.Id, "2021", 30)));
        var second = await publisher.PublishEditionAsync(new PublishEditionRequest { Year = 2021, Edition = "2026-02" });

        // The first edition's export starts loading its figures and waits for their plans (held, as a large year's are)...
        var views = server.Services.GetRequiredService<FigureViews>();
        var loads = views.Loads;
        await hold.HoldAsync();
        Task<(byte[] Bytes, ReportSummary Summary)> export;
        try
        {
            export = ReportChunks.ReadAsync(reports.ExportFigures(new ExportFiguresRequest
            {
                Format = ExportFormat.SdmxCsv,
                Level = AreaLevel.Department,
                Period = "2021",
                AsOf = first.CutOff,
            }));
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (views.Loads == loads && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.Equal(loads + 1, views.Loads);
            await Task.Delay(500);

            // ...when another reader asks for the second edition's: the server keeps one cube, the first is dropped.
            await aggregates.ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = "40" }, Period = "2021", AsOf = second.CutOff });
            Assert.Equal(loads + 2, views.Loads);
            Assert.False(export.IsCompleted);
        }
        finally
        {
            hold.Release();
        }

        var file = await export.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(first.Files.Single(f => f.FileName == file.Summary.FileName).Sha256, file.Summary.Sha256);
        Assert.DoesNotContain(System.Text.Encoding.UTF8.GetString(file.Bytes).Split('\n'), line => line.TrimEnd('\r').EndsWith(",N", StringComparison.Ordinal));
    }
}
