using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Editions;

/// <summary>
/// The registry's history through the real server: after an edition, posts are renamed, moved, given another ETP,
/// closed and entered with an earlier opening date; the edition regenerates byte for byte and reads as of its cut-off
/// answer as before, while today's figures show the changes.
/// </summary>
public class RegistryHistoryTests(RegistryHistoryTests.OneCubeServer server) : IClassFixture<RegistryHistoryTests.OneCubeServer>
{
    private const string Year = "2021";

    private readonly AggregateService.AggregateServiceClient _aggregates = new(server.CreateChannel());
    private readonly ReportService.ReportServiceClient _reports = new(server.CreateChannel());
    private readonly AdminService.AdminServiceClient _admin = new(server.CreateChannel());
    private readonly GridService.GridServiceClient _grids = new(server.CreateChannel());

    private static Area Gironde => new() { Level = AreaLevel.Department, Code = "33" };

    /// <summary>Every as-of read of Gironde at an instant, each answer serialized: equal lists mean equal answers.</summary>
    private async Task<List<(string Read, ByteString Answer)>> ReadsAsOfAsync(Timestamp asOf)
    {
        var reads = new List<(string, ByteString)>
        {
            ("consolidate", (await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = Gironde, Period = Year, AsOf = asOf })).ToByteString()),
            ("consolidate raw", (await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = Gironde, Period = Year, Disclosure = Disclosure.Raw, AsOf = asOf })).ToByteString()),
            ("post", (await _aggregates.ConsolidateAsync(new ConsolidateRequest
            {
                Area = new Area { Level = AreaLevel.Post, Code = "P-33-003" },
                Period = Year,
                Disclosure = Disclosure.Raw,
                AsOf = asOf,
            })).ToByteString()),
            ("series", (await _aggregates.GetSeriesAsync(new GetSeriesRequest
            {
                Area = Gironde,
                Cell = "entretiens",
                From = "2020",
                To = Year,
                Granularity = Granularity.Year,
                Disclosure = Disclosure.Raw,
                AsOf = asOf,
            })).ToByteString()),
            ("compare", (await _aggregates.CompareAreasAsync(new CompareAreasRequest { Area = Gironde, Cell = "entretiens", Period = Year, Disclosure = Disclosure.Raw, AsOf = asOf })).ToByteString()),
            ("completeness", (await _aggregates.GetCompletenessAsync(new GetCompletenessRequest { Area = Gironde, Period = Year, AsOf = asOf })).ToByteString()),
            ("outliers", (await _aggregates.ListOutliersAsync(new ListOutliersRequest { Area = Gironde, AsOf = asOf })).ToByteString()),
        };
        var report = await ReportChunks.ReadAsync(_reports.GenerateAnnualReport(new GenerateAnnualReportRequest { Year = 2021, DepartmentCode = "33", AsOf = asOf }));
        reads.Add(("department report", ByteString.CopyFrom(report.Bytes)));
        return reads;
    }

    [Fact]
    public async Task An_edition_and_reads_as_of_its_cut_off_keep_the_registry_as_recorded_then_while_today_shows_its_changes()
    {
        foreach (var post in TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode is "33" or "40"))
        {
            await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, Year)));
        }

        var publisher = new EditionService.EditionServiceClient(server.CreateChannel(await server.ReportKeyAsync()));
        var edition = await publisher.PublishEditionAsync(new PublishEditionRequest { Year = 2021, Edition = "registre-2021" });
        var before = await ReadsAsOfAsync(edition.CutOff);
        var todayBefore = await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = Gironde, Period = Year, Disclosure = Disclosure.Raw });

        // After the edition: a post renamed and given another ETP, one moved into Gironde, one closed, and a new one
        // entered with an opening date years back, with its grid of the edition's year.
        await _admin.UpdatePostAsync(new UpdatePostRequest { Id = "P-33-003", Name = "ISCG commissariat de Mérignac", Fte = 0.5, Reason = "correction" });
        await _admin.MovePostAsync(new MovePostRequest { Id = "P-40-001", DepartmentCode = "33", From = "2021-02-01", Reason = "réorganisation" });
        await _admin.DeactivatePostAsync(new DeactivatePostRequest { Id = "P-33-009", ActiveTo = "2021-03-31", Reason = "fermeture" });
        await _admin.AddPostAsync(new AddPostRequest
        {
            Post = new Post { Id = "P-33-990", Name = "ISCG saisi en retard", DepartmentCode = "33", Zone = Zone.Police, Fte = 1, Frequency = Protos.V1.ReportingFrequency.Month, ActiveFrom = "2019-01-01" },
        });
        await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid("P-33-990", Year)));

        // A read as of now, after the changes, sees them and takes the one cube kept: what follows reads the cut-off's
        // grids and registry from the database again.
        var now = await _aggregates.ConsolidateAsync(new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Post, Code = "P-33-003" },
            Period = Year,
            Disclosure = Disclosure.Raw,
            AsOf = Timestamp.FromDateTime(DateTime.UtcNow),
        });
        Assert.Equal("ISCG commissariat de Mérignac", now.Area.Name);

        // Every file of the edition regenerates with its checksum.
        foreach (var level in new[] { AreaLevel.National, AreaLevel.Region, AreaLevel.Department })
        {
            foreach (var format in new[] { ExportFormat.SdmxCsv, ExportFormat.SdmxJson, ExportFormat.Csv })
            {
                var export = await ReportChunks.ReadAsync(_reports.ExportFigures(new ExportFiguresRequest { Format = format, Level = level, Period = Year, AsOf = edition.CutOff }));
                Assert.Equal(edition.Files.Single(f => f.FileName == export.Summary.FileName).Sha256, export.Summary.Sha256);
            }
        }

        var report = await ReportChunks.ReadAsync(_reports.GenerateAnnualReport(new GenerateAnnualReportRequest { Year = 2021, AsOf = edition.CutOff }));
        Assert.Equal(edition.Files.Single(f => f.FileName == "rapport-annuel-2021.pdf").Sha256, report.Summary.Sha256);
        var openData = await ReportChunks.ReadAsync(_reports.ExportFigures(new ExportFiguresRequest { Format = ExportFormat.OpenData, Period = Year, AsOf = edition.CutOff }));
        Assert.Equal(edition.Files.Single(f => f.FileName == "donnees-ouvertes-2021.zip").Sha256, openData.Summary.Sha256);

        // Every read as of the cut-off answers exactly as before the changes, the department's report included.
        var after = await ReadsAsOfAsync(edition.CutOff);
        Assert.Equal(before.Select(r => r.Read), after.Select(r => r.Read));
        Assert.All(before.Zip(after), pair => Assert.True(pair.First.Answer == pair.Second.Answer, $"{pair.First.Read} changed as of the cut-off"));

        // A post entered after the cut-off did not exist then.
        var unknown = await Assert.ThrowsAsync<RpcException>(() => _aggregates.ConsolidateAsync(new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Post, Code = "P-33-990" },
            Period = Year,
            Disclosure = Disclosure.Raw,
            AsOf = edition.CutOff,
        }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        // Today's figures show every change: two more posts in Gironde (the moved one and the new one), their ETP and
        // the corrected one's, the new name, the new post's grid.
        var today = await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = Gironde, Period = Year, Disclosure = Disclosure.Raw });
        var then = ConsolidateResponse.Parser.ParseFrom(before.Single(r => r.Read == "consolidate raw").Answer);
        Assert.Equal(todayBefore.Coverage, then.Coverage);
        Assert.Equal(then.Coverage.ActivePosts + 2, today.Coverage.ActivePosts);
        Assert.Equal(then.Coverage.Fte + 1.5, today.Coverage.Fte, 6);
        Assert.Equal(then.Provenance.ContributingPosts + 2, today.Provenance.ContributingPosts);
        var renamed = await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = AreaLevel.Post, Code = "P-33-003" }, Period = Year, Disclosure = Disclosure.Raw });
        Assert.Equal("ISCG commissariat de Mérignac", renamed.Area.Name);
        Assert.Equal("ISCG commissariat Gironde (secteur nord)", ConsolidateResponse.Parser.ParseFrom(before.Single(r => r.Read == "post").Answer).Area.Name);
        var todaysDepartments = await ReportChunks.ReadAsync(_reports.ExportFigures(new ExportFiguresRequest { Format = ExportFormat.Csv, Level = AreaLevel.Department, Period = Year }));
        Assert.NotEqual(edition.Files.Single(f => f.FileName == todaysDepartments.Summary.FileName).Sha256, todaysDepartments.Summary.Sha256);

        // Each change left one version of its post, recorded after the cut-off, besides the posts' baseline.
        var versions = await server.QueryAsync(db => db.PostVersions.AsNoTracking().Where(v => !v.Baseline).OrderBy(v => v.Id).ToListAsync());
        Assert.Equal(["P-33-003", "P-40-001", "P-33-009", "P-33-990"], versions.Select(v => v.PostId));
        Assert.All(versions, v => Assert.True(v.RecordedAtUtc > edition.CutOff.ToDateTime()));
        Assert.Equal("33:2018-01-01:2021-03-31", versions[2].Locations);
        Assert.Equal("40:2018-01-01:2021-01-31;33:2021-02-01:", versions[1].Locations);
        Assert.Equal(
            await server.QueryAsync(db => db.Posts.CountAsync()) - 1,
            await server.QueryAsync(db => db.PostVersions.CountAsync(v => v.Baseline)));
    }

    /// <summary>The server keeping one cube as of an instant: a read at another instant drops the edition's.</summary>
    public sealed class OneCubeServer : ServerFixture
    {
        public OneCubeServer() => Settings["Consolidation:AsOfCubes"] = "1";
    }
}
