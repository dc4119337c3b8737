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
using Observatoire.Server.Exports;
using Observatoire.Server.Reports;
using Observatoire.Server.Security;

namespace Observatoire.Server.Grpc;

/// <summary>Charts on demand, the annual report and a post's bilan, streamed; what each caller gets is the access policy's decision.</summary>
[Authorize(Policy = Rights.Read)]
internal sealed class ReportGrpcService(
    ChartRequests charts,
    AnnualReportRequests reports,
    PostBilanRequests bilans,
    RenderGate gate,
    FigureExports exports,
    AggregateQueries queries,
    StreamedAnswers answers,
    TimeProvider clock)
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
        var ct = context.CancellationToken;
        using var answer = answers.Begin(responseStream, context, OpenStreamKind.Documents, OpenStreamKind.Reports);
        responseStream = answer.Writer;
        var area = string.IsNullOrEmpty(request.DepartmentCode) ? AreaRef.National : new AreaRef(Core.Consolidation.AreaLevel.Department, request.DepartmentCode);
        var figures = await queries.FiguresAsync(request.AsOf, context.Caller(), area, null, ct);
        var report = reports.Prepare(context.Caller(), request.Year, request.DepartmentCode, figures);
        await StreamAsync(progress => report.Build(progress, ct), report.DocumentClock, report.PreparationSteps, report.FileName, responseStream, ct);
    }

    public override async Task GeneratePostBilan(
        GeneratePostBilanRequest request,
        IServerStreamWriter<ReportChunk> responseStream,
        ServerCallContext context)
    {
        using var answer = answers.Begin(responseStream, context, OpenStreamKind.Documents, OpenStreamKind.Reports);
        responseStream = answer.Writer;
        var bilan = await bilans.PrepareAsync(context.Caller(), request.PostId, request.Year, request.Texte, "GeneratePostBilan", context.CancellationToken);
        await StreamAsync(
            bilan.Build,
            clock,
            1,
            bilan.FileName,
            responseStream,
            context.CancellationToken);
    }

    /// <summary>Builds a document and streams it: progress messages, the PDF in chunks, then its summary.</summary>
    private async Task StreamAsync(
        Func<IProgress<string>, ReportDocument> build,
        TimeProvider documentClock,
        int preparationSteps,
        string fileName,
        IServerStreamWriter<ReportChunk> responseStream,
        CancellationToken ct)
    {
        var messages = Channel.CreateUnbounded<ReportChunk>(new UnboundedChannelOptions { SingleReader = true });
        var output = new MemoryStream();
        var work = gate.RunAsync(
            () =>
            {
                try
                {
                    var steps = 0;
                    var building = new Reporter<string>(m => messages.Writer.TryWrite(Progress(++steps, preparationSteps, $"Préparation : {m}")));
                    var document = build(building);
                    var writing = new Reporter<Reporting.Document.ReportProgress>(p =>
                        messages.Writer.TryWrite(Progress(p.PagesWritten, Math.Max(p.TotalPages, 1), p.Message)));
                    return new PdfReportWriter(documentClock).Write(document, output, writing, ct);
                }
                finally
                {
                    messages.Writer.TryComplete();
                }
            },
            ct,
            "pdf");

        await foreach (var message in messages.Reader.ReadAllAsync(ct))
        {
            await responseStream.WriteAsync(message, ct);
        }

        var result = await work;
        await SendDocumentAsync(output.ToArray(), result.PageCount, fileName, responseStream, ct);
    }

    public override async Task ExportFigures(ExportFiguresRequest request, IServerStreamWriter<ReportChunk> responseStream, ServerCallContext context)
    {
        using var answer = answers.Begin(responseStream, context, OpenStreamKind.Documents);
        var file = await exports.ExportAsync(request, context.Caller(), context.CancellationToken);
        await SendDocumentAsync(file.Bytes, 0, file.FileName, answer.Writer, context.CancellationToken);
    }

    /// <summary>A document in chunks, then its summary: size, SHA-256 and name, which the client checks before keeping it.</summary>
    private static async Task SendDocumentAsync(byte[] bytes, int pages, string fileName, IServerStreamWriter<ReportChunk> responseStream, CancellationToken ct)
    {
        for (var offset = 0; offset < bytes.Length; offset += ChunkSize)
        {
            await responseStream.WriteAsync(new ReportChunk { Data = ByteString.CopyFrom(bytes, offset, Math.Min(ChunkSize, bytes.Length - offset)) }, ct);
        }

        await responseStream.WriteAsync(
            new ReportChunk
            {
                Summary = new ReportSummary
                {
                    Pages = pages,
                    Bytes = bytes.Length,
                    Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                    FileName = fileName,
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
