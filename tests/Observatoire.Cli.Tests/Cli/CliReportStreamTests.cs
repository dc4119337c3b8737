using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observatoire.Cli;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Cli;

/// <summary>
/// observatoire report against a scripted ReportService: whatever the stream does (ends early, lies about the size or
/// the hash, fails midway, delivers progress out of order), nothing but a verified document ever gets the final name,
/// and no temporary file is left behind. Also the usage errors of chart and report, which never reach a server.
/// </summary>
public class CliReportStreamTests
{
    private static readonly byte[] Document = [.. "%PDF-1.7\n"u8, .. Enumerable.Range(0, 150_000).Select(i => (byte)(i * 7 % 251)), .. "\n%%EOF\n"u8];

    [Fact]
    public async Task A_sound_stream_is_written_under_the_summarys_file_name_whatever_the_order_of_progress()
    {
        await using var server = await ScriptedReportServer.StartAsync(async (request, stream) =>
        {
            // Preparation over 3 regions, one message late; then writing over 5 pages, out of order.
            await stream.WriteAsync(Progress(1, 3, "Préparation : Synthèse nationale"));
            await stream.WriteAsync(Progress(3, 3, "Préparation : [Bretagne]"));
            await stream.WriteAsync(Progress(2, 3, "Préparation : Occitanie"));
            await stream.WriteAsync(Progress(0, 1, "Mise en page : section 1 sur 2"));
            await stream.WriteAsync(Progress(2, 5, "Écriture de la page 2 sur 5"));
            await stream.WriteAsync(Progress(1, 5, "Écriture de la page 1 sur 5"));
            await stream.WriteAsync(Progress(5, 5, "Rapport terminé : 5 pages"));
            await WriteDocumentAsync(stream, Document, Summary(Document, $"../rapport-annuel-{request.Year}.pdf"));
        });
        using var folder = CliHarness.TempFolder();
        var settings = new CliSettings { RetryDelays = [], ShowProgress = true };

        var run = await CliHarness.RunAsync(_ => server.CreateChannel(), settings, "report", "--year", "2025", "-o", folder.Path);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var path = folder.File("rapport-annuel-2025.pdf");
        Assert.Equal([path], Directory.GetFileSystemEntries(folder.Path));
        Assert.Equal(Document, File.ReadAllBytes(path));
        Assert.Contains($"Rapport annuel national 2025 : 5 pages, {CliHarness.Normalize(Labels.Size(Document.Length))} ({CliHarness.Normalize(Labels.Number(Document.Length))} octets), écrit dans {path}", run.Output);
        Assert.Equal(new GenerateAnnualReportRequest { Year = 2025 }, Assert.Single(server.Requests));
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "truncated", "octets reçus au lieu des" },
        { "hash", "Empreinte SHA-256 du document reçu" },
        { "no-summary", "Le flux s'est terminé sans récapitulatif" },
        { "data-after-summary", "octets reçus au lieu des" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task A_broken_stream_exits_one_keeps_the_previous_file_and_leaves_no_temporary_file(string how, string message)
    {
        await using var server = await ScriptedReportServer.StartAsync(async (_, stream) =>
        {
            await stream.WriteAsync(Progress(1, 1, "Préparation : Ain"));
            var summary = Summary(Document, "rapport-2025-01.pdf");
            switch (how)
            {
                case "truncated":
                    await WriteDocumentAsync(stream, Document[..100_000], summary);
                    break;
                case "hash":
                    var altered = Document.ToArray();
                    altered[^20] ^= 0xFF;
                    await WriteDocumentAsync(stream, altered, summary);
                    break;
                case "no-summary":
                    await WriteDocumentAsync(stream, Document, null);
                    break;
                default:
                    await WriteDocumentAsync(stream, Document, summary);
                    await stream.WriteAsync(new ReportChunk { Data = ByteString.CopyFromUtf8("junk") });
                    break;
            }
        });
        using var folder = CliHarness.TempFolder();
        var path = folder.File("rapport.pdf");
        File.WriteAllText(path, "previous report");

        var run = await CliHarness.RunAsync(_ => server.CreateChannel(), null, "report", "--year", "2025", "--department", "01", "-o", path);

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        Assert.Contains("Rapport annuel 2025 du département 01 : document non enregistré.", run.Error);
        Assert.Contains(message, run.Error);
        Assert.Equal([path], Directory.GetFileSystemEntries(folder.Path));
        Assert.Equal("previous report", File.ReadAllText(path));
    }

    [Fact]
    public async Task A_stream_failing_midway_exits_one_with_the_message_and_leaves_nothing()
    {
        await using var server = await ScriptedReportServer.StartAsync(async (_, stream) =>
        {
            await stream.WriteAsync(Progress(3, 12, "Écriture de la page 3 sur 12"));
            await stream.WriteAsync(new ReportChunk { Data = ByteString.CopyFrom(Document, 0, 1000) });
            throw new RpcException(new Status(StatusCode.Internal, "Les polices DejaVu ne sont pas installées."));
        });
        using var folder = CliHarness.TempFolder();

        var run = await CliHarness.RunAsync(_ => server.CreateChannel(), null, "report", "--year", "2025", "-o", folder.Path);

        Assert.True(run.ExitCode == ExitCodes.Rejected, run.ToString());
        Assert.Contains("Rapport annuel national 2025 non obtenu : requête refusée par le serveur (erreur interne du serveur) — Les polices DejaVu ne sont pas installées.", run.Error);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task An_unreachable_server_exits_three_and_leaves_no_temporary_file()
    {
        using var folder = CliHarness.TempFolder();

        var report = await CliHarness.RunAsync(
            _ => GrpcChannel.ForAddress("http://127.0.0.1:9"), null, "report", "--year", "2025", "-o", folder.Path, "--server", "http://127.0.0.1:9");
        var chart = await CliHarness.RunAsync(
            _ => GrpcChannel.ForAddress("http://127.0.0.1:9"), null, "chart", "--kind", "carte", "--period", "2025", "-o", folder.Path, "--server", "http://127.0.0.1:9");

        Assert.True(report.ExitCode == ExitCodes.Unreachable, report.ToString());
        Assert.Contains("Serveur injoignable à l'adresse http://127.0.0.1:9", report.Error);
        Assert.True(chart.ExitCode == ExitCodes.Unreachable, chart.ToString());
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("chart", "--period", "2025")]
    [InlineData("chart", "--kind", "camembert", "--period", "2025")]
    [InlineData("chart", "--kind", "serie")]
    [InlineData("chart", "--kind", "ventilation", "--period", "2025")]
    [InlineData("chart", "--kind", "pyramide", "--period", "2025", "--cell", "personnes_recues")]
    [InlineData("chart", "--kind", "carte", "--period", "2025", "--from", "2024")]
    [InlineData("chart", "--kind", "classement", "--period", "2025", "--granularity", "mois")]
    [InlineData("chart", "--kind", "serie", "--period", "2025", "--granularity", "annee")]
    [InlineData("chart", "--kind", "serie", "--period", "2025", "--width", "0")]
    [InlineData("chart", "--kind", "serie", "--period", "2025", "--height", "5000")]
    [InlineData("chart", "--kind", "serie", "--period", "2025", "--format", "gif")]
    [InlineData("chart", "--kind", "serie", "--period", "2025", "--format", "svg", "-o", "graphique.png")]
    [InlineData("chart", "--kind", "serie", "--period", "2025", "-o", "graphique.gif")]
    [InlineData("chart", "--kind", "serie", "--period", "2025", "--code", "09")]
    [InlineData("report")]
    [InlineData("report", "--year", "deux-mille")]
    [InlineData("report", "--year", "2025", "--department", " ")]
    [InlineData("report", "--year", "2025", "en-trop")]
    [InlineData("report", "--year", "2025", "--output", "")]
    public Task Usage_errors_exit_two_without_calling_the_server(params string[] args) =>
        CliHarness.AssertUsageErrorWithoutServerAsync(args);

    [Fact]
    public void Progress_follows_the_phases_and_never_goes_back_within_one()
    {
        var progress = new PhasedProgress();

        Assert.True(progress.Update(1, 18));
        Assert.False(progress.Update(3, 18));
        Assert.False(progress.Update(2, 18));
        Assert.Equal((1, 3, 18), (progress.Phase, progress.Value, progress.Total));

        // Layout: total 1, step 0; then the pages, whose total is only known now.
        Assert.True(progress.Update(0, 1));
        Assert.Equal((2, 0, 1), (progress.Phase, progress.Value, progress.Total));
        Assert.True(progress.Update(4, 40));
        Assert.False(progress.Update(3, 40));
        Assert.Equal((3, 4, 40), (progress.Phase, progress.Value, progress.Total));
        Assert.False(progress.Update(99, 40));
        Assert.Equal(40, progress.Value);

        // An unknown total: indeterminate.
        Assert.True(progress.Update(2, 0));
        Assert.Equal((4, 2, 0), (progress.Phase, progress.Value, progress.Total));
    }

    private static ReportChunk Progress(int step, int total, string message) =>
        new() { Progress = new ReportProgress { Step = step, TotalSteps = total, Message = message } };

    private static ReportSummary Summary(byte[] document, string fileName) => new()
    {
        Pages = 5,
        Bytes = document.Length,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(document)),
        FileName = fileName,
    };

    private static async Task WriteDocumentAsync(IServerStreamWriter<ReportChunk> stream, byte[] document, ReportSummary? summary)
    {
        for (var offset = 0; offset < document.Length; offset += 64 * 1024)
        {
            await stream.WriteAsync(new ReportChunk { Data = ByteString.CopyFrom(document, offset, Math.Min(64 * 1024, document.Length - offset)) });
        }

        if (summary is not null)
        {
            await stream.WriteAsync(new ReportChunk { Summary = summary });
        }
    }
}

/// <summary>An in-process gRPC server whose ReportService.GenerateAnnualReport plays a script.</summary>
public sealed class ScriptedReportServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedReportServer(WebApplication app, Script script)
    {
        _app = app;
        Calls = script;
    }

    /// <summary>What the server writes for a request.</summary>
    public delegate Task Play(GenerateAnnualReportRequest request, IServerStreamWriter<ReportChunk> stream);

    /// <summary>The requests received.</summary>
    public IReadOnlyList<GenerateAnnualReportRequest> Requests => Calls.Requests;

    private Script Calls { get; }

    /// <summary>Starts a server playing <paramref name="play"/>.</summary>
    public static async Task<ScriptedReportServer> StartAsync(Play play)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var script = new Script(play);
        builder.Services.AddSingleton(script);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<Service>();
        await app.StartAsync();
        return new ScriptedReportServer(app, script);
    }

    /// <summary>A channel to the server.</summary>
    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(_app.GetTestServer().BaseAddress, new GrpcChannelOptions { HttpHandler = _app.GetTestServer().CreateHandler() });

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Script(Play play)
    {
        private readonly List<GenerateAnnualReportRequest> _requests = [];

        public IReadOnlyList<GenerateAnnualReportRequest> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public Task PlayAsync(GenerateAnnualReportRequest request, IServerStreamWriter<ReportChunk> stream)
        {
            lock (_requests)
            {
                _requests.Add(request);
            }

            return play(request, stream);
        }
    }

    private sealed class Service(Script script) : ReportService.ReportServiceBase
    {
        public override Task GenerateAnnualReport(GenerateAnnualReportRequest request, IServerStreamWriter<ReportChunk> responseStream, ServerCallContext context) =>
            script.PlayAsync(request, responseStream);
    }
}
