using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Cli.Workbooks;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Commands;

/// <summary>
/// observatoire export: the published figures of every area of a level for a period, as SDMX-CSV 2.0, SDMX-JSON 2.0 or
/// a French CSV (ReportService.ExportFigures). The file is received and checked (size, SHA-256) like a report. xlsx asks
/// for the French CSV (same call, same access checks) and converts the checked file into a workbook.
/// </summary>
public sealed class ExportCommand : AnalysisCommandBase
{
    private ExportCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The --format converted by the CLI from the server's French CSV.</summary>
    public const string WorkbookFormat = "xlsx";

    /// <summary>The accepted --format values and the format each asks the server for.</summary>
    public static readonly IReadOnlyDictionary<string, ExportFormat> Formats = new Dictionary<string, ExportFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["sdmx-csv"] = ExportFormat.SdmxCsv,
        ["sdmx-json"] = ExportFormat.SdmxJson,
        ["csv"] = ExportFormat.Csv,
        ["sdmx-structure"] = ExportFormat.SdmxStructure,
        [WorkbookFormat] = ExportFormat.Csv,
    };

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = "Format du fichier : sdmx-csv (SDMX-CSV 2.0), sdmx-json (SDMX-JSON 2.0), csv (tableur français), sdmx-structure (la DSD de la grille de la période, SDMX-JSON) ou xlsx (classeur Excel des chiffres du csv).",
            HelpName = string.Join('|', Formats.Keys),
            Required = true,
        };
        format.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !Formats.ContainsKey(value.Trim()))
            {
                result.AddError($"--format : « {value} » inconnu ; attendu {string.Join(", ", Formats.Keys)}.");
            }
        });
        var level = new Option<string>("--level", "-l")
        {
            Description = "Niveau : tous les territoires de ce niveau (national, region, departement ; jamais les postes).",
            HelpName = "national|region|departement",
            Required = true,
        };
        level.Validators.Add(result =>
        {
            if (!AnalysisLabels.TryParseLevel(result.GetValueOrDefault<string>(), out var parsed) || parsed == AreaLevel.Post)
            {
                result.AddError("--level : attendu national, region ou departement.");
            }
        });
        var period = new Option<string>("--period", "-p")
        {
            Description = "Période : 2025, 2025-T1 ou 2025-03.",
            HelpName = "PÉRIODE",
            Required = true,
        };
        var cells = new Option<string[]>("--cell", "-c")
        {
            Description = "Indicateur ou cellule à exporter (répétable). Défaut : toutes les cellules de la grille.",
            HelpName = "CELLULE",
            AllowMultipleArgumentsPerToken = true,
        };
        var excludePartial = new Option<bool>("--exclude-partial")
        {
            Description = "Exporte les chiffres partiels sans valeur.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Fichier, ou dossier où l'écrire. Défaut : le nom donné par le serveur (chiffres-departement-2025.sdmx.csv) dans le dossier courant.",
            HelpName = "FICHIER",
        };
        var command = new Command(
            "export",
            "Exporte les chiffres publiés (secret statistique appliqué) d'un niveau et d'une période en SDMX-CSV, SDMX-JSON, CSV ou classeur Excel ; taille et empreinte SHA-256 vérifiées.")
        {
            format,
            level,
            period,
            cells,
            excludePartial,
            output,
        };
        var instants = new FigureInstant.Options();
        instants.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            AnalysisLabels.TryParseLevel(parseResult.GetValue(level), out var parsedLevel);
            var request = new ExportFiguresRequest
            {
                Level = parsedLevel,
                Period = parseResult.GetValue(period)!.Trim(),
                Format = Formats[parseResult.GetValue(format)!.Trim()],
                ExcludePartial = parseResult.GetValue(excludePartial),
            };
            request.Cells.AddRange(parseResult.GetValue(cells) ?? []);
            var path = parseResult.GetValue(output);
            if (path is not null && string.IsNullOrWhiteSpace(path))
            {
                throw new UsageException("--output : nom de fichier vide.");
            }

            var formatName = parseResult.GetValue(format)!.Trim().ToLowerInvariant();
            var title = $"Export {formatName} {AnalysisLabels.Level(parsedLevel)} {request.Period}";
            var defaultName = $"chiffres-{request.Period}{Extension(request.Format)}";
            var server = ServerOf(parseResult, serverOption);
            var instant = instants.Of(parseResult);
            ReportCommand.DownloadConversion? conversion = null;
            if (formatName == WorkbookFormat)
            {
                // Dated when converted: by then the request holds the instant of --as-of or of the --edition's cut-off.
                conversion = new ReportCommand.DownloadConversion(".xlsx", "CSV reçu", (csv, stream) => ExportWorkbookWriter.Write(
                    csv,
                    new ExportWorkbookInfo(
                        server, AnalysisLabels.Level(parsedLevel), request.Period, [.. request.Cells], request.ExcludePartial, request.AsOf?.ToDateTimeOffset() ?? context.Settings.Clock.GetUtcNow()),
                    stream));
            }

            var download = new ReportCommand(context, server);
            return download.AtInstantAsync(
                instant,
                asOf => request.AsOf = asOf,
                () => download.ExecuteAsync(title, defaultName, path, (client, ct) => client.ExportFigures(request, cancellationToken: ct), cancellationToken, conversion),
                cancellationToken);
        });
        return command;
    }

    private static string Extension(ExportFormat format) => format switch
    {
        ExportFormat.SdmxCsv => ".sdmx.csv",
        ExportFormat.SdmxJson => ".sdmx.json",
        ExportFormat.SdmxStructure => ".structure.json",
        _ => ".csv",
    };
}
