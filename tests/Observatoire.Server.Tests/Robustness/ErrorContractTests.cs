using Observatoire.Core.Access;
using System.Text;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Protos.V1;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Reports;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>What an error may carry: the right status, a size every client accepts, and nothing the client should not see again.</summary>
public class ErrorContractTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const int CommonMetadataLimit = 8 * 1024;

    private readonly GridService.GridServiceClient _grids = new(server.CreateChannel());

    [Fact]
    public async Task One_bad_grid_in_a_stream_gets_its_own_error_and_the_stream_goes_on()
    {
        var post = TestGrids.MonthlyPost(5).Id;
        var malformed = TestGrids.Valid(post, "2024-02");
        malformed.Values["personnes_recues[statut=victime]"] = long.MaxValue;
        var oversized = TestGrids.Valid(post, "2024-03", comment: "e" + new string('\u0301', 9_000));
        var timestamp = TestGrids.Submission(TestGrids.Valid(post, "2024-04"));
        timestamp.ReceivedAt = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = long.MaxValue };
        SubmitGridRequest[] requests =
        [
            TestGrids.Submission(TestGrids.Valid(post, "2024-01")),
            TestGrids.Submission(malformed),
            TestGrids.Submission(oversized),
            timestamp,
            new SubmitGridRequest { SubmissionId = "sans-grille" },
            TestGrids.Submission(TestGrids.Valid(post, "2024-05")),
        ];

        var results = await TestGrids.SubmitInOneStreamAsync(_grids, requests);

        Assert.Equal(["OK", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "OK"], results.Select(r => r.Status));
        Assert.Equal(requests.Select(r => r.SubmissionId), results.Select(r => r.SubmissionId));
        Assert.Contains(results[1].Violations, v => v.RuleCode == "VALEUR_HORS_BORNES");
        Assert.Contains(results[2].Violations, v => v.RuleCode == "COMMENTAIRE_TROP_LONG");
    }

    [Fact]
    public async Task A_grid_with_hundreds_of_violations_fits_the_common_trailer_limit_and_gives_the_total()
    {
        var grid = TestGrids.Valid("P-99-999", "2025-13", comment: "joindre le 06 12 34 56 78 ou marie@exemple.fr");
        foreach (var key in grid.Values.Keys.ToList())
        {
            grid.Values[key] = -1;
        }

        for (var i = 0; i < 300; i++)
        {
            grid.Values[$"indicateur_inconnu_au_nom_volontairement_long_{i:D3}_{new string('x', 12)}"] = i;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _grids.SubmitGridAsync(TestGrids.Submission(grid)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.True(TrailerBytes(error) < CommonMetadataLimit, $"{TrailerBytes(error)} bytes of trailers");
        var status = error.GetRpcStatus()!;
        var listed = status.GetDetail<ValidateGridResponse>()!.Violations.Count;
        Assert.InRange(listed, 5, 299);
        Assert.NotEmpty(status.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Matches(@"\d+ erreurs", status.Message);
        Assert.Contains($"{listed} des ", status.Message);
    }

    [Fact]
    public async Task An_oversized_input_is_never_echoed_back()
    {
        var huge = new string('Z', 200_000);
        var grid = TestGrids.Valid(huge, huge);
        grid.SchemaVersion = huge;
        grid.Values[huge] = 1;

        var submit = await Assert.ThrowsAsync<RpcException>(() => _grids.SubmitGridAsync(TestGrids.Submission(grid)).ResponseAsync);
        var validate = await _grids.ValidateGridAsync(new ValidateGridRequest { Grid = TestGrids.Valid(TestGrids.MonthlyPost(0).Id, huge) });
        var lookup = await Assert.ThrowsAsync<RpcException>(() => _grids.GetGridAsync(new GetGridRequest { PostId = huge, Period = huge }).ResponseAsync);
        var query = await Assert.ThrowsAsync<RpcException>(() => new AggregateService.AggregateServiceClient(server.CreateChannel())
            .ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = huge }, Period = "2025" }).ResponseAsync);

        var echoes = new[] { Everything(submit), validate.ToString(), Everything(lookup), Everything(query) };
        Assert.All(echoes, text => Assert.DoesNotContain(new string('Z', 300), text));
        Assert.True(TrailerBytes(submit) < CommonMetadataLimit);
    }

    [Fact]
    public async Task Personal_data_in_a_refused_comment_reaches_neither_the_log_nor_the_status()
    {
        const string phone = "06 98 76 54 32";
        const string email = "jeanne.martin@exemple.fr";
        var grid = TestGrids.Valid(TestGrids.MonthlyPost(6).Id, "2025-01", comment: $"rappeler {phone}, écrire à {email}");

        var error = await Assert.ThrowsAsync<RpcException>(() => _grids.SubmitGridAsync(TestGrids.Submission(grid)).ResponseAsync);
        var validation = await _grids.ValidateGridAsync(new ValidateGridRequest { Grid = grid });

        foreach (var secret in new[] { phone, email, "jeanne.martin" })
        {
            Assert.DoesNotContain(secret, Everything(error));
            Assert.DoesNotContain(secret, validation.ToString());
            Assert.DoesNotContain(server.Logs.Entries, e => e.Text.Contains(secret, StringComparison.Ordinal));
        }

        Assert.Contains(validation.Violations, v => v.RuleCode == "ANONYMAT_TELEPHONE" && v.MatchedText == "caractères 10 à 23");
    }

    [Fact]
    public async Task Query_periods_past_the_horizon_are_invalid_arguments_with_the_field()
    {
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var national = new Area { Level = AreaLevel.National };
        var farYear = DateTime.UtcNow.Year + 2;

        var consolidate = await Assert.ThrowsAsync<RpcException>(() => aggregates.ConsolidateAsync(new ConsolidateRequest { Area = national, Period = $"{farYear}" }).ResponseAsync);
        var series = await Assert.ThrowsAsync<RpcException>(() => aggregates.GetSeriesAsync(new GetSeriesRequest { Area = national, Cell = "entretiens", From = "2024-01", To = "9999-12", Granularity = Granularity.Month }).ResponseAsync);
        var wide = await Assert.ThrowsAsync<RpcException>(() => aggregates.GetSeriesAsync(new GetSeriesRequest { Area = national, Cell = "entretiens", From = "1900-01", To = "2025-12", Granularity = Granularity.Month }).ResponseAsync);
        var next = await aggregates.ConsolidateAsync(new ConsolidateRequest { Area = national, Period = $"{DateTime.UtcNow.Year + 1}" });

        Assert.Equal(("period", "PERIODE_HORS_HORIZON"), Field(consolidate));
        Assert.Equal(("to", "PERIODE_HORS_HORIZON"), Field(series));
        Assert.Equal(("from", "SERIE_TROP_LONGUE"), Field(wide));
        Assert.NotEmpty(next.Figures);
    }

    [Fact]
    public async Task A_timestamp_out_of_range_is_an_invalid_argument_on_received_at()
    {
        foreach (var seconds in new[] { long.MaxValue, long.MinValue, 253_402_300_800L, -62_135_596_801L })
        {
            var request = TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(7).Id, "2025-01"));
            request.ReceivedAt = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = seconds };

            var error = await Assert.ThrowsAsync<RpcException>(() => _grids.SubmitGridAsync(request).ResponseAsync);

            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal("received_at", Field(error).Field);
        }
    }

    [Fact]
    public async Task A_cancelled_call_stops_its_queries_reports_and_charts()
    {
        var queries = server.Services.GetRequiredService<AggregateQueries>();
        var charts = server.Services.GetRequiredService<ChartRequests>();
        var reports = server.Services.GetRequiredService<AnnualReportBuilder>();
        var national = new Area { Level = AreaLevel.National };
        var admin = new CallerScope("test", Observatoire.Core.Access.Role.Admin, new HashSet<string>(), null, "127.0.0.1");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var ct = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queries.GetSeriesAsync(new GetSeriesRequest { Area = national, Cell = "entretiens", From = "2000-01", To = "2025-12", Granularity = Granularity.Month }, admin, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queries.ConsolidateAsync(new ConsolidateRequest { Area = national, Period = "2025" }, admin, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queries.GetCompletenessAsync(new GetCompletenessRequest { Area = national, Period = "2025" }, admin, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queries.CompareAreasAsync(new CompareAreasRequest { Area = national, Cell = "entretiens", Period = "2025" }, admin, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => charts.RenderAsync(new RenderChartRequest { Kind = ChartKind.TimeSeries, Period = "2025", From = "2010-01" }, admin, ct));
        Assert.Throws<OperationCanceledException>(() => reports.National(2025, null, ct));
    }

    [Fact]
    public async Task A_call_past_its_deadline_ends_as_deadline_exceeded_not_internal()
    {
        var reports = new ReportService.ReportServiceClient(server.CreateChannel());

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = reports.GenerateAnnualReport(new GenerateAnnualReportRequest { Year = 2025 }, deadline: DateTime.UtcNow.AddMilliseconds(1));
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        });

        Assert.Contains(InProcessStatus.Of(error), new[] { StatusCode.DeadlineExceeded, StatusCode.Cancelled });
    }

    private static (string Field, string Reason) Field(RpcException error)
    {
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        return (violation.Field, violation.Reason);
    }

    private static int TrailerBytes(RpcException error) =>
        Encoding.UTF8.GetByteCount(Uri.EscapeDataString(error.Status.Detail)) + 20
        + error.Trailers.Sum(t => t.Key.Length + (t.IsBinary ? (t.ValueBytes.Length + 2) / 3 * 4 : t.Value.Length));

    private static string Everything(RpcException error) =>
        error.Status.Detail + string.Concat(error.Trailers.Select(t => t.IsBinary ? Encoding.UTF8.GetString(t.ValueBytes) : t.Value));
}
