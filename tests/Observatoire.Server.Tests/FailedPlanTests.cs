using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observatoire.Protos.V1;
using Observatoire.Server.Aggregates;
using Observatoire.Tests.Shared;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests;

/// <summary>
/// A suppression plan that fails (here on purpose, through a test-only setting) fails closed: figures, series and
/// exports answer OK with every figure below the nation withheld and no value, the nation published, the failure
/// logged as an error and counted; once the cause is gone, a later query plans again and publishes.
/// </summary>
public class FailedPlanTests
{
    [Fact]
    public async Task A_failed_plan_withholds_every_figure_below_the_nation_in_figures_series_and_exports_then_is_planned_again()
    {
        using var server = new ServerFixture();
        var failure = Path.GetTempFileName();
        server.Settings[SecrecyPlanningEvents.FailPlansKey] = failure;
        server.Settings["Consolidation:PlanRetrySeconds"] = "0";
        server.Settings["Consolidation:WarmYears"] = "0";
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var reports = new ReportService.ReportServiceClient(server.CreateChannel());
        foreach (var post in TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode is "35" or "29").Take(4))
        {
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2020-04")));
        }

        using var failures = new FailureCount(server.Services.GetRequiredService<IMeterFactory>());
        var department = new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = "35" }, Period = "2020-04" };
        var region = new ConsolidateRequest { Area = new Area { Level = AreaLevel.Region, Code = "53" }, Period = "2020-04" };
        var national = new ConsolidateRequest { Area = new Area { Level = AreaLevel.National }, Period = "2020-04", Cells = { "entretiens" } };

        foreach (var below in new[] { await aggregates.ConsolidateAsync(department), await aggregates.ConsolidateAsync(region) })
        {
            Assert.NotEmpty(below.Figures);
            Assert.All(below.Figures, f =>
            {
                Assert.False(f.HasValue);
                Assert.Equal(Confidentiality.Withheld, f.Confidentiality);
            });
        }

        var nation = (await aggregates.ConsolidateAsync(national)).Figures.Single(f => f.Cell == "entretiens");
        Assert.Equal(Confidentiality.Free, nation.Confidentiality);
        Assert.True(nation.Value > 0);

        var series = await aggregates.GetSeriesAsync(new GetSeriesRequest
        {
            Area = new Area { Level = AreaLevel.Department, Code = "35" },
            Cell = "entretiens",
            From = "2020-01",
            To = "2020-12",
            Granularity = Granularity.Month,
        });
        Assert.Equal(12, series.Points.Count);
        Assert.All(series.Points, p => Assert.False(p.HasValue));
        Assert.Equal(Confidentiality.Withheld, series.Points.Single(p => p.Period == "2020-04").Confidentiality);

        var (bytes, _) = await ReportChunks.ReadAsync(reports.ExportFigures(new ExportFiguresRequest { Level = AreaLevel.Department, Period = "2020-04", Format = ExportFormat.SdmxCsv }));
        var header = SdmxReader.Rfc4180(Encoding.UTF8.GetString(bytes))[0];
        var exported = SdmxReader.ReadCsv(Encoding.UTF8.GetString(bytes), [.. header.Skip(3).TakeWhile(h => h != "TIME_PERIOD")]);
        Assert.NotEmpty(exported);
        Assert.All(exported, o => Assert.Null(o.Value));
        Assert.Contains(exported, o => o.Key["TERRITOIRE"] == "D35" && o.ConfStatus == "N");

        Assert.True(failures.Count > 0);
        Assert.Contains(server.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("2020 entretiens", StringComparison.Ordinal) && e.Exception is not null);

        // The cause gone, the next query plans again (PlanRetrySeconds is 0 here) and publishes the department.
        File.Delete(failure);
        var published = (await aggregates.ConsolidateAsync(new ConsolidateRequest { Area = department.Area, Period = "2020-04", Cells = { "entretiens" } })).Figures.Single(f => f.Cell == "entretiens");
        Assert.Equal(Confidentiality.Free, published.Confidentiality);
        Assert.True(published.Value > 0);
    }

    /// <summary>Counts the failed plans of one server (its own meter factory: other servers of the test run do not count).</summary>
    private sealed class FailureCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public FailureCount(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "observatoire.secrecy.planning.failures")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
