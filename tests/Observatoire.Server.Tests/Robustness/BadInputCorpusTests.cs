using Google.Protobuf;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// The bad-input corpus against the real server: no request may end in INTERNAL or UNKNOWN, and none
/// may write anything.
/// </summary>
public class BadInputCorpusTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly StatusCode[] Forbidden = [StatusCode.Internal, StatusCode.Unknown];

    private readonly GridService.GridServiceClient _grids = new(server.CreateChannel());
    private readonly AggregateService.AggregateServiceClient _aggregates = new(server.CreateChannel());
    private readonly ReportService.ReportServiceClient _reports = new(server.CreateChannel());
    private readonly RegistryService.RegistryServiceClient _registry = new(server.CreateChannel());
    private readonly SchemaService.SchemaServiceClient _schemas = new(server.CreateChannel());

    [Fact]
    public async Task No_bad_grid_is_answered_internal_or_unknown_nor_stored()
    {
        var post = TestGrids.MonthlyPost(3).Id;
        var before = await server.CountRowsAsync();
        var failures = new List<string>();
        var count = 0;

        foreach (var (label, grid) in BadInputCorpus.Grids(post))
        {
            count++;
            await Expect(failures, $"validate {label}", async () =>
            {
                var answer = await _grids.ValidateGridAsync(new ValidateGridRequest { Grid = grid });
                return answer.Valid ? "accepted an invalid grid" : null;
            });
            await Expect(failures, $"submit {label}", async () =>
            {
                await _grids.SubmitGridAsync(TestGrids.Submission(grid));
                return "stored an invalid grid";
            });
        }

        foreach (var (label, request) in BadInputCorpus.Envelopes(post))
        {
            count++;
            await Expect(failures, $"submit {label}", async () =>
            {
                await _grids.SubmitGridAsync(request);
                return "stored a bad submission";
            });
        }

        Assert.True(count > 100, $"the corpus has {count} grids");
        Assert.Empty(failures);
        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Fact]
    public async Task An_outlier_threshold_that_is_not_a_positive_finite_number_is_refused_not_replaced()
    {
        foreach (var threshold in new[] { -1, -100, double.NaN, double.NegativeInfinity, double.PositiveInfinity })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => _aggregates.ListOutliersAsync(new ListOutliersRequest { Area = new Area { Level = AreaLevel.National }, Threshold = threshold }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Contains("seuil", refused.Status.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(3.5, (await _aggregates.ListOutliersAsync(new ListOutliersRequest { Area = new Area { Level = AreaLevel.National } })).Threshold);
        Assert.Equal(2.5, (await _aggregates.ListOutliersAsync(new ListOutliersRequest { Area = new Area { Level = AreaLevel.National }, Threshold = 2.5 })).Threshold);
    }

    [Fact]
    public async Task No_bad_query_is_answered_internal_or_unknown()
    {
        var failures = new List<string>();
        var areas = BadInputCorpus.Areas().Append(new Area { Level = AreaLevel.National }).ToList();
        string[] cells = ["", "inconnu", "personnes_recues[statut=*]", "personnes_recues.statut", new string('c', 100_000), "\0"];
        var periods = BadInputCorpus.Periods.Append("2025").ToList();

        foreach (var area in areas)
        {
            foreach (var period in periods)
            {
                await Expect(failures, $"consolidate {area} {period.Length}", async () =>
                {
                    await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = area, Period = period, Disclosure = Disclosure.Raw });
                    return null;
                });
                await Expect(failures, $"completeness {area} {period.Length}", async () =>
                {
                    await _aggregates.GetCompletenessAsync(new GetCompletenessRequest { Area = area, Period = period });
                    return null;
                });
            }
        }

        foreach (var from in periods)
        {
            foreach (var to in new[] { "2025-12", "9999-12", "1900-01", "2027-12", from })
            {
                foreach (var granularity in new[] { Granularity.Month, Granularity.Year, (Granularity)42 })
                {
                    await Expect(failures, $"series {from.Length}..{to} {granularity}", async () =>
                    {
                        await _aggregates.GetSeriesAsync(new GetSeriesRequest
                        {
                            Area = new Area { Level = AreaLevel.National },
                            Cell = "personnes_nouvelles",
                            From = from,
                            To = to,
                            Granularity = granularity,
                        });
                        return null;
                    });
                }
            }
        }

        foreach (var cell in cells)
        {
            foreach (var area in areas.Take(8))
            {
                await Expect(failures, $"compare {area} {cell.Length}", async () =>
                {
                    await _aggregates.CompareAreasAsync(new CompareAreasRequest { Area = area, Cell = cell, Period = "2025", Disclosure = (Disclosure)77 });
                    return null;
                });
            }

            foreach (var threshold in new[] { double.NaN, double.PositiveInfinity, -1, 0, double.Epsilon })
            {
                await Expect(failures, $"outliers {cell.Length} {threshold}", async () =>
                {
                    await _aggregates.ListOutliersAsync(new ListOutliersRequest { Area = new Area { Level = AreaLevel.National }, Cells = { cell }, Threshold = threshold });
                    return null;
                });
            }

            foreach (var kind in new[] { ChartKind.TimeSeries, ChartKind.Breakdown, ChartKind.Map, ChartKind.Ranking, (ChartKind)99 })
            {
                foreach (var (width, height) in new[] { (0, 0), (-1, 600), (int.MaxValue, int.MaxValue), (199, 150), (4001, 600) })
                {
                    await Expect(failures, $"chart {kind} {cell.Length} {width}x{height}", async () =>
                    {
                        await _reports.RenderChartAsync(new RenderChartRequest { Kind = kind, Cell = cell, Period = "2025", Width = width, Height = height, From = "1900-01", Format = (ImageFormat)5 });
                        return null;
                    });
                }
            }
        }

        foreach (var (year, department) in new[] { (0, ""), (-1, ""), (int.MaxValue, ""), (1999, ""), (9999, ""), (2025, "zz"), (2025, new string('9', 100_000)), (2025, "\0") })
        {
            await Expect(failures, $"report {year} {department.Length}", async () =>
            {
                using var call = _reports.GenerateAnnualReport(new GenerateAnnualReportRequest { Year = year, DepartmentCode = department });
                await foreach (var _ in call.ResponseStream.ReadAllAsync())
                {
                }

                return "generated a report for a bad request";
            });
        }

        foreach (var text in BadInputCorpus.Texts.Concat(BadInputCorpus.Periods))
        {
            await Expect(failures, $"posts {text.Length}", async () =>
            {
                await _registry.ListPostsAsync(new ListPostsRequest { ActiveOn = text, DepartmentCode = text, RegionCode = text, Zone = (Zone)9, Frequency = (ReportingFrequency)9 });
                return null;
            });
            await Expect(failures, $"post {text.Length}", async () =>
            {
                await _registry.GetPostAsync(new GetPostRequest { Id = text });
                return null;
            });
            await Expect(failures, $"schema {text.Length}", async () =>
            {
                await _schemas.GetSchemaAsync(new GetSchemaRequest { Version = text });
                await _schemas.GetSchemaAsync(new GetSchemaRequest { Period = text });
                return null;
            });
            await Expect(failures, $"grid {text.Length}", async () =>
            {
                await _grids.GetGridAsync(new GetGridRequest { PostId = text, Period = text, Revision = -1 });
                return null;
            });
            await Expect(failures, $"revisions {text.Length}", async () =>
            {
                await _grids.ListRevisionsAsync(new ListRevisionsRequest { PostId = text, Period = text });
                return null;
            });
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Truncated_and_corrupted_frames_get_a_clean_status_and_nothing_is_written()
    {
        var before = await server.CountRowsAsync();
        // A grid of a post that does not exist: a corruption that still parses cannot make it storable.
        var payload = TestGrids.Submission(TestGrids.Valid("P-99-999", "2025-02")).ToByteArray();
        string[] methods =
        [
            "/observatoire.v1.GridService/SubmitGrid",
            "/observatoire.v1.GridService/ValidateGrid",
            "/observatoire.v1.GridService/SubmitGrids",
            "/observatoire.v1.AggregateService/Consolidate",
            "/observatoire.v1.ReportService/GenerateAnnualReport",
            "/grpc.health.v1.Health/Check",
        ];
        var failures = new List<string>();
        var accepted = 0;

        foreach (var (label, body) in BadInputCorpus.Frames(payload))
        {
            foreach (var method in methods)
            {
                var answer = await RawGrpc.PostAsync(server, method, body);
                if (answer.GrpcStatus is null or "2" or "13")
                {
                    failures.Add($"{method} {label}: HTTP {(int)answer.Http}, grpc-status {answer.GrpcStatus ?? "absent"}, {answer.GrpcMessage}");
                }

                accepted += answer.GrpcStatus == "0" ? 1 : 0;
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // A corrupted byte may still leave a parseable message; none of those may be a storable grid here.
        Assert.Equal(before, await server.CountRowsAsync());
        Assert.True(accepted < 30, $"{accepted} corrupted frames answered OK");
    }

    [Fact]
    public async Task An_unreadable_message_is_invalid_argument_and_one_warning_line_without_a_stack()
    {
        var before = server.Logs.Entries.Count;

        var answer = await RawGrpc.PostAsync(server, "/observatoire.v1.GridService/ValidateGrid", RawGrpc.Frame([0x0A, 0xFF, 0xFF, 0xFF]));

        Assert.True("3" == answer.GrpcStatus, string.Join("\n----\n", server.Logs.Entries.Skip(before).Select(e => e.Category + " " + e.Text)) + answer);
        // On PostgreSQL the change listener says once, at the first call it serves, that it listens: not this call's line.
        var logged = server.Logs.Entries.Skip(before)
            .Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Information && e.Category != typeof(Aggregates.ChangeListener).FullName)
            .ToList();
        var line = Assert.Single(logged);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, line.Level);
        Assert.Null(line.Exception);
        Assert.Contains("ValidateGrid", line.Message);
    }

    [Fact]
    public async Task A_wrong_content_type_or_http_version_is_refused_cleanly()
    {
        var payload = RawGrpc.Frame(new ValidateGridRequest().ToByteArray());

        var text = await RawGrpc.PostAsync(server, "/observatoire.v1.GridService/ValidateGrid", payload, "text/plain");
        var unknown = await RawGrpc.PostAsync(server, "/observatoire.v1.GridService/Inexistante", payload);

        Assert.Equal(System.Net.HttpStatusCode.UnsupportedMediaType, text.Http);
        Assert.Equal("3", text.GrpcStatus);
        Assert.Equal("12", unknown.GrpcStatus);
    }

    [Fact]
    public async Task A_corrupt_cut_or_inflating_compressed_message_is_refused_by_what_is_wrong_with_it()
    {
        const string Check = "/grpc.health.v1.Health/Check";
        // The whole server's health (service ""), with an unknown field 99 so that there are bytes to compress.
        byte[] message = [.. new global::Grpc.Health.V1.HealthCheckRequest { Service = "" }.ToByteArray(), 0x98, 0x06, 0x01];
        var gzip = RawGrpc.Gzip([.. message, .. "padding-to-compress"u8]);
        var valid = RawGrpc.Gzip(message);
        var badChecksum = (byte[])valid.Clone();
        badChecksum[^8] ^= 0xFF;
        var bomb = RawGrpc.Gzip(new byte[64 * 1024 * 1024]);

        async Task<string?> StatusOf(byte[] payload, string encoding) =>
            (await RawGrpc.PostAsync(server, Check, RawGrpc.Frame(payload, compressed: true), encoding: encoding)).GrpcStatus;

        Assert.Equal("0", await StatusOf(valid, "gzip"));
        Assert.Equal("3", await StatusOf(gzip, "deflate"));
        Assert.Equal("3", await StatusOf(message, "gzip"));
        Assert.Equal("3", await StatusOf(badChecksum, "gzip"));
        Assert.Equal("3", await StatusOf(valid[..^4], "gzip"));
        Assert.Equal("3", await StatusOf(valid[..^8], "gzip"));
        Assert.Equal("8", await StatusOf(bomb, "gzip"));
    }

    [Fact]
    public async Task A_gzip_grid_cut_before_its_trailer_in_a_stream_of_grids_is_refused_and_nothing_is_written()
    {
        const string Stream = "/observatoire.v1.GridService/SubmitGrids";
        var post = TestGrids.MonthlyPost(5).Id;
        var whole = RawGrpc.Gzip(TestGrids.Submission(TestGrids.Valid(post, "2021-06")).ToByteArray());
        var cut = RawGrpc.Gzip(TestGrids.Submission(TestGrids.Valid(post, "2021-07")).ToByteArray())[..^8];

        // Without its trailer the inflated bytes are the whole grid: .NET's reader alone would take it.
        var refused = await RawGrpc.PostAsync(server, Stream, RawGrpc.Frame(cut, compressed: true), encoding: "gzip");
        var accepted = await RawGrpc.PostAsync(server, Stream, RawGrpc.Frame(whole, compressed: true), encoding: "gzip");

        Assert.Equal("3", refused.GrpcStatus);
        Assert.Contains("illisible", Uri.UnescapeDataString(refused.GrpcMessage ?? ""), StringComparison.Ordinal);
        Assert.Equal("0", accepted.GrpcStatus);
        Assert.Equal(0, await server.QueryAsync(db => db.GridRevisions.CountAsync(g => g.PostId == post && g.Period == "2021-07")));
        Assert.Equal(1, await server.QueryAsync(db => db.GridRevisions.CountAsync(g => g.PostId == post && g.Period == "2021-06")));
    }

    private static async Task Expect(List<string> failures, string label, Func<Task<string?>> call)
    {
        try
        {
            if (await call() is { } problem)
            {
                failures.Add($"{label}: {problem}");
            }
        }
        catch (RpcException e) when (!Forbidden.Contains(e.StatusCode))
        {
        }
        catch (RpcException e)
        {
            failures.Add($"{label}: {e.StatusCode} {e.Status.Detail}");
        }
    }
}
