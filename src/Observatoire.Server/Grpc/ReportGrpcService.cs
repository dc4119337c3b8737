using System.Security.Cryptography;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Protos.V1;
using Observatoire.Reporting.Document;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Reports;
using Observatoire.Server.Security;

namespace Observatoire.Server.Grpc;

/// <summary>Charts on demand and the annual report, streamed.</summary>
[Authorize(Policy = Rights.Read)]
internal sealed class ReportGrpcService(ChartRequests charts, AnnualReportBuilder reports, ConsolidationState state, TimeProvider clock)
    : ReportService.ReportServiceBase
{
    private const int ChunkSize = 64 * 1024;

    public override Task<RenderChartResponse> RenderChart(RenderChartRequest request, ServerCallContext context) =>
        charts.RenderAsync(request, context.Caller(), context.CancellationToken);

    public override async Task GenerateAnnualReport(
        GenerateAnnualReportRequest request,
        IServerStreamWriter<ReportChunk> responseStream,
        ServerCallContext context)
    {
        var thisYear = clock.GetUtcNow().Year;
        if (request.Year < 2000 || request.Year > thisYear)
        {
            throw RpcErrors.InvalidField("year", "ANNEE_INVALIDE", $"L'année {request.Year} est invalide : de 2000 à {thisYear}.");
        }

        var department = request.DepartmentCode.ToUpperInvariant();
        if (department.Length > 0 && !state.Registry.Exists(new AreaRef(Core.Consolidation.AreaLevel.Department, department)))
        {
            throw RpcErrors.NotFound($"Le département « {Core.Validation.ClientText.Quote(request.DepartmentCode)} » n'existe pas.");
        }

        AccessPolicy.ForReport(context.Caller(), department, state.Registry).OrDeny();

        var ct = context.CancellationToken;
        var messages = Channel.CreateUnbounded<ReportChunk>(new UnboundedChannelOptions { SingleReader = true });
        var output = new MemoryStream();
        var work = Task.Run(
            () =>
            {
                try
                {
                    var steps = 0;
                    var total = department.Length > 0 ? 1 : state.Registry.Regions.Count;
                    var building = new Reporter<string>(m => messages.Writer.TryWrite(Progress(++steps, total, $"Préparation : {m}")));
                    var document = department.Length > 0
                        ? reports.Department(request.Year, department, building)
                        : reports.National(request.Year, building, ct);
                    var writing = new Reporter<Reporting.Document.ReportProgress>(p =>
                        messages.Writer.TryWrite(Progress(p.PagesWritten, Math.Max(p.TotalPages, 1), p.Message)));
                    return new PdfReportWriter(clock).Write(document, output, writing, ct);
                }
                finally
                {
                    messages.Writer.TryComplete();
                }
            },
            ct);

        await foreach (var message in messages.Reader.ReadAllAsync(ct))
        {
            await responseStream.WriteAsync(message, ct);
        }

        var result = await work;
        var bytes = output.ToArray();
        for (var offset = 0; offset < bytes.Length; offset += ChunkSize)
        {
            await responseStream.WriteAsync(new ReportChunk { Data = ByteString.CopyFrom(bytes, offset, Math.Min(ChunkSize, bytes.Length - offset)) }, ct);
        }

        await responseStream.WriteAsync(
            new ReportChunk
            {
                Summary = new ReportSummary
                {
                    Pages = result.PageCount,
                    Bytes = bytes.Length,
                    Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                    FileName = department.Length > 0 ? $"rapport-{request.Year}-{department}.pdf" : $"rapport-annuel-{request.Year}.pdf",
                },
            },
            ct);
    }

    /// <summary>Reports synchronously: Progress&lt;T&gt; posts later, after the channel may be closed.</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static ReportChunk Progress(int step, int total, string message) =>
        new() { Progress = new Protos.V1.ReportProgress { Step = step, TotalSteps = total, Message = message } };
}
