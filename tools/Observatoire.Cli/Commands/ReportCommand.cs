using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Grpc.Core;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Observatoire.Cli.Commands;

/// <summary>
/// observatoire report: the annual report as a PDF (ReportService.GenerateAnnualReport). The server streams progress
/// messages, then the document in chunks, then a summary. The chunks go to a temporary file next to the output, which
/// takes its final name only once the summary has come and the size and SHA-256 it announces match what was
/// received: an interrupted or altered download never leaves a PDF under the final name.
/// </summary>
public sealed class ReportCommand : AnalysisCommandBase
{
    /// <summary>Extension of the temporary file being received.</summary>
    public const string PartialExtension = ".part";

    /// <summary>Creates the command for a server.</summary>
    public ReportCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <inheritdoc />
    protected override string? RawHint => null;

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var year = new Option<int>("--year", "-y")
        {
            Description = "Année du rapport.",
            HelpName = "ANNÉE",
            Required = true,
        };
        var department = new Option<string>("--department", "-d")
        {
            Description = "Rapport d'un seul département (celui du comité départemental de suivi), par exemple 09. Défaut : le rapport national.",
            HelpName = "CODE",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Fichier PDF, ou dossier où l'écrire. Défaut : le nom donné par le serveur (rapport-annuel-2025.pdf, rapport-2025-09.pdf) dans le dossier courant.",
            HelpName = "FICHIER",
        };
        var command = new Command(
            "report",
            "Produit le rapport annuel en PDF, national ou d'un département, à partir des chiffres publiés ; taille et empreinte SHA-256 du document vérifiées.")
        {
            year,
            department,
            output,
        };
        var instants = new FigureInstant.Options();
        instants.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new GenerateAnnualReportRequest
            {
                Year = parseResult.GetValue(year),
                DepartmentCode = DepartmentCode(parseResult.GetValue(department)),
            };
            var path = parseResult.GetValue(output);
            if (path is not null && string.IsNullOrWhiteSpace(path))
            {
                throw new UsageException("--output : nom de fichier vide.");
            }

            var instant = instants.Of(parseResult);
            var report = new ReportCommand(context, ServerOf(parseResult, serverOption));
            return report.AtInstantAsync(instant, asOf => request.AsOf = asOf, () => report.ExecuteAsync(request, path, cancellationToken), cancellationToken);
        });
        return command;
    }

    /// <summary>The department code of --department: trimmed, upper case, "9" standing for "09"; empty without the option.</summary>
    public static string DepartmentCode(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var code = text.Trim().ToUpperInvariant();
        if (code.Length == 0)
        {
            throw new UsageException("--department : code vide (par exemple --department 09 ; sans l'option, le rapport est national).");
        }

        return code.Length == 1 && char.IsAsciiDigit(code[0]) ? "0" + code : code;
    }

    /// <summary>"Rapport annuel national 2025", "Rapport annuel 2025 du département 09".</summary>
    public static string Title(GenerateAnnualReportRequest request) =>
        request.DepartmentCode.Length == 0
            ? $"Rapport annuel national {request.Year}"
            : $"Rapport annuel {request.Year} du département {request.DepartmentCode}";

    /// <summary>The name the server gives the report, used if its summary has none: "rapport-annuel-2025.pdf", "rapport-2025-09.pdf".</summary>
    public static string DefaultFileName(GenerateAnnualReportRequest request) =>
        request.DepartmentCode.Length == 0
            ? $"rapport-annuel-{request.Year}.pdf"
            : $"rapport-{request.Year}-{OutputFiles.Safe(request.DepartmentCode)}.pdf";

    /// <summary>The temporary file of a download: in the folder of the output, named after it, with a random part.</summary>
    public static string TemporaryPath(string? output, GenerateAnnualReportRequest request) => TemporaryPath(output, DefaultFileName(request));

    /// <summary>The temporary file of a download of a document whose default name is given.</summary>
    public static string TemporaryPath(string? output, string defaultFileName)
    {
        string folder;
        string name;
        if (output is null || OutputFiles.IsFolder(output))
        {
            folder = output ?? "";
            name = defaultFileName;
        }
        else
        {
            folder = Path.GetDirectoryName(output) ?? "";
            name = Path.GetFileName(output);
        }

        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return Path.Combine(folder, $".{name}.{random}{PartialExtension}");
    }

    /// <summary>Asks for the report, receives it, checks it and gives it its name; returns the exit code.</summary>
    public Task<int> ExecuteAsync(GenerateAnnualReportRequest request, string? output, CancellationToken cancellationToken) =>
        ExecuteAsync(Title(request), DefaultFileName(request), output, (client, ct) => client.GenerateAnnualReport(request, cancellationToken: ct), cancellationToken);

    /// <summary>Asks for a streamed document (the annual report, a post's bilan), receives it, checks it and gives it its name.</summary>
    public async Task<int> ExecuteAsync(
        string title,
        string defaultFileName,
        string? output,
        Func<ReportService.ReportServiceClient, CancellationToken, AsyncServerStreamingCall<ReportChunk>> open,
        CancellationToken cancellationToken,
        DownloadConversion? conversion = null)
    {
        var temporary = TemporaryPath(output, defaultFileName);
        string? converted = null;
        try
        {
            OutputFiles.CreateFolderOf(temporary);
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            Context.Error.MarkupLineInterpolated($"[red]Écriture impossible dans « {Path.GetDirectoryName(Path.GetFullPath(temporary))} » :[/] {ex.Message}");
            return ExitCodes.Rejected;
        }

        Console.MarkupLineInterpolated($"[bold]{title}[/] [grey]: production par le serveur…[/]");
        var client = new ReportService.ReportServiceClient(Channel);
        try
        {
            Download download;
            try
            {
                var settings = Context.Settings;
                if (settings.ShowProgress ?? Console.Profile.Capabilities.Interactive)
                {
                    download = await Console.Progress()
                        .AutoClear(true)
                        .Columns(
                            new TaskDescriptionColumn { Alignment = Justify.Left },
                            new ProgressBarColumn(),
                            new PercentageColumn(),
                            new StepColumn(),
                            new ElapsedTimeColumn(),
                            new SpinnerColumn())
                        .StartAsync(async progress =>
                        {
                            var task = progress.AddTask("Demande du rapport", maxValue: 1);
                            task.IsIndeterminate = true;
                            return await CallAsync(ct => DownloadAsync(client, open, temporary, task, ct), cancellationToken);
                        });
                }
                else
                {
                    download = await CallAsync(ct => DownloadAsync(client, open, temporary, null, ct), cancellationToken);
                }
            }
            catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Unavailable or StatusCode.Cancelled))
            {
                ReportRefusal(ex, $"{title} non obtenu");
                return ExitCodes.Rejected;
            }
            catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
            {
                Context.Error.MarkupLineInterpolated($"[red]Écriture impossible dans « {temporary} » :[/] {ex.Message}");
                return ExitCodes.Rejected;
            }

            if (Verify(download) is { } problem)
            {
                Context.Error.MarkupLineInterpolated($"[red]{title} : document non enregistré.[/] {problem}");
                return ExitCodes.Rejected;
            }

            var summary = download.Summary!;
            var fileName = Path.GetFileName(summary.FileName.Trim());
            if (string.IsNullOrEmpty(fileName))
            {
                fileName = defaultFileName;
            }

            if (conversion is not null)
            {
                fileName = Path.ChangeExtension(fileName, conversion.Extension);
            }

            var path = OutputFiles.Resolve(output, fileName);
            var source = temporary;
            if (conversion is not null)
            {
                converted = TemporaryPath(output, fileName);
                try
                {
                    await using (var stream = new FileStream(converted, FileMode.Create, FileAccess.Write, FileShare.None))
                    {
                        conversion.Convert(await File.ReadAllTextAsync(temporary, cancellationToken), stream);
                    }

                    source = converted;
                }
                catch (FormatException ex)
                {
                    Context.Error.MarkupLineInterpolated($"[red]{title} : document non enregistré.[/] {ex.Message}");
                    return ExitCodes.Rejected;
                }
                catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
                {
                    Context.Error.MarkupLineInterpolated($"[red]Écriture impossible dans « {converted} » :[/] {ex.Message}");
                    return ExitCodes.Rejected;
                }
            }

            var bytes = conversion is null ? summary.Bytes : new FileInfo(source).Length;
            try
            {
                File.Move(source, path, overwrite: true);
            }
            catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
            {
                Context.Error.MarkupLineInterpolated($"[red]Écriture impossible dans « {path} » :[/] {ex.Message}");
                return ExitCodes.Rejected;
            }

            Console.MarkupLineInterpolated(
                $"[green]{ViolationRenderer.Ok(Console)}[/] {title} : {(summary.Pages > 0 ? Labels.Count(summary.Pages, "page", "pages") + ", " : "")}{Labels.Size(bytes)} ({Labels.Number(bytes)} octets), écrit dans {path}");
            Console.MarkupLineInterpolated($"[grey]  {(conversion is null ? "" : conversion.SourceLabel + " : ")}taille et empreinte SHA-256 vérifiées : {download.Sha256}[/]");
            return ExitCodes.Success;
        }
        finally
        {
            TryDelete(temporary);
            if (converted is not null)
            {
                TryDelete(converted);
            }
        }
    }

    /// <summary>Why a download cannot be kept (no summary, size or SHA-256 not as announced); null when it is sound.</summary>
    public static string? Verify(Download download)
    {
        if (download.Summary is not { } summary)
        {
            return $"Le flux s'est terminé sans récapitulatif : document incomplet ({Labels.Number(download.Bytes)} octets reçus).";
        }

        if (download.Bytes != summary.Bytes)
        {
            return $"{Labels.Number(download.Bytes)} octets reçus au lieu des {Labels.Number(summary.Bytes)} annoncés : document incomplet ou altéré.";
        }

        if (!string.Equals(download.Sha256, summary.Sha256.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return $"Empreinte SHA-256 du document reçu ({download.Sha256}) différente de celle annoncée ({summary.Sha256}) : document altéré.";
        }

        return null;
    }

    /// <summary>Reads the stream: progress to the bar, chunks to the temporary file (and the hash), the summary kept.</summary>
    private static async Task<Download> DownloadAsync(
        ReportService.ReportServiceClient client,
        Func<ReportService.ReportServiceClient, CancellationToken, AsyncServerStreamingCall<ReportChunk>> open,
        string temporary,
        ProgressTask? task,
        CancellationToken cancellationToken)
    {
        var phases = new PhasedProgress();
        using var call = open(client, cancellationToken);
        await using var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long received = 0;
        ReportSummary? summary = null;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            switch (chunk.ContentCase)
            {
                case ReportChunk.ContentOneofCase.Progress:
                    phases.Update(chunk.Progress.Step, chunk.Progress.TotalSteps);
                    if (task is not null)
                    {
                        Show(task, phases, chunk.Progress.Message);
                    }

                    break;
                case ReportChunk.ContentOneofCase.Data:
                    // Data after the summary is written too: the size check then fails.
                    await file.WriteAsync(chunk.Data.Memory, cancellationToken);
                    hash.AppendData(chunk.Data.Span);
                    received += chunk.Data.Length;
                    if (task is not null)
                    {
                        task.IsIndeterminate = false;
                        task.Value = task.MaxValue;
                        task.Description = Markup.Escape($"Réception du document : {Labels.Size(received)}");
                    }

                    break;
                case ReportChunk.ContentOneofCase.Summary:
                    summary = chunk.Summary;
                    break;
            }
        }

        await file.FlushAsync(cancellationToken);
        return new Download(summary, received, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static void Show(ProgressTask task, PhasedProgress phases, string message)
    {
        if (phases.Total > 0)
        {
            task.IsIndeterminate = false;
            task.MaxValue = phases.Total;
            task.Value = phases.Value;
        }
        else
        {
            task.IsIndeterminate = true;
        }

        if (!string.IsNullOrWhiteSpace(message))
        {
            task.Description = Markup.Escape(message);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            // Left behind: harmless, it never bears the final name.
        }
    }

    /// <summary>
    /// A conversion of the received and verified document before it takes its name (export --format xlsx): the
    /// extension of the converted file, what the received document was, and the conversion of its text into a stream.
    /// Convert throws <see cref="FormatException"/> for a document it cannot convert; nothing is then written.
    /// </summary>
    public sealed record DownloadConversion(string Extension, string SourceLabel, Action<string, Stream> Convert);

    /// <summary>What a download received: the summary (null when the stream ended without one), the bytes and their SHA-256.</summary>
    public sealed record Download(ReportSummary? Summary, long Bytes, string Sha256);

    /// <summary>"5 / 12" steps of the current phase.</summary>
    private sealed class StepColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            task.IsIndeterminate
                ? new Text("")
                : new Text(string.Create(CultureInfo.InvariantCulture, $"{(long)task.Value} / {(long)task.MaxValue}"), new Style(Color.Grey));
    }
}
