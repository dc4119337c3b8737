using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire chart: one chart as a PNG or SVG file (ReportService.RenderChart).</summary>
public sealed class ChartCommand : AnalysisCommandBase
{
    /// <summary>Default width in pixels (the contract's).</summary>
    public const int DefaultWidth = 1000;

    /// <summary>Default height in pixels (the contract's).</summary>
    public const int DefaultHeight = 600;

    /// <summary>Largest width or height the contract allows.</summary>
    public const int MaxSize = 4000;

    /// <summary>The cell of a map that draws the coverage (posts per 150,000 inhabitants).</summary>
    public const string CoverageCell = "couverture";

    /// <summary>Creates the command for a server.</summary>
    public ChartCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var options = AnalysisOptions.Create(disclosure: true);
        options.Period!.Description = "Période des chiffres (2025-03, 2025-T1 ou 2025) ; pour une série, la dernière période.";
        options.Level.Description = "Niveau de la zone : national (défaut), region, departement ou poste (region, department, post acceptés). Un classement porte sur les subdivisions de la zone ; la carte est toujours nationale.";
        var kind = new Option<ChartKind>("--kind", "-k")
        {
            Description = "Type de graphique : serie, classement, ventilation, pyramide, completude ou carte (series, ranking, breakdown, pyramid, completeness, map acceptés).",
            HelpName = ChartKinds.Help,
            Required = true,
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (ChartKinds.TryParse(token, out var value))
                {
                    return value;
                }

                result.AddError($"Type de graphique inconnu : « {token} » (attendu : serie, classement, ventilation, pyramide, completude ou carte).");
                return ChartKind.Unspecified;
            },
        };
        var cell = new Option<string>("--cell")
        {
            Description = "Série, classement : indicateur ou cellule (défaut personnes_nouvelles). Ventilation (obligatoire) : indicateur.ventilation, " +
                          "par exemple problematiques.problematique, personnes_recues.statut, personnes_nouvelles.origine, orientations.orientation. " +
                          "Carte : couverture (défaut, postes pour 150 000 habitants) ou un indicateur, en taux pour 100 000 habitants.",
            HelpName = "CELLULE",
        };
        var from = new Option<string>("--from")
        {
            Description = "Série : première période (défaut : onze points avant --period).",
            HelpName = "PÉRIODE",
        };
        var granularity = new Option<Granularity>("--granularity", "-g")
        {
            Description = "Série : pas mois (défaut) ou trimestre (month, quarter acceptés). Défaut : trimestre si --from ou --period est un trimestre.",
            HelpName = "mois|trimestre",
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (AnalysisLabels.TryParseGranularity(token, out var value) && value is Granularity.Month or Granularity.Quarter)
                {
                    return value;
                }

                result.AddError($"Pas de série inconnu pour un graphique : « {token} » (attendu : mois ou trimestre).");
                return Granularity.Unspecified;
            },
        };
        var width = Size("--width", "Largeur de l'image en pixels", DefaultWidth);
        var height = Size("--height", "Hauteur de l'image en pixels", DefaultHeight);
        var format = new Option<string>("--format", "-f")
        {
            Description = "Format de l'image : png ou svg. Défaut : celui de l'extension de --output, sinon png.",
            HelpName = "png|svg",
        };
        format.AcceptOnlyFromAmong("png", "svg");
        var output = new Option<string>("--output", "-o")
        {
            Description = "Fichier de l'image, ou dossier où l'écrire. Défaut : nom tiré du type, de la zone et de la période (serie-national-2025.png) dans le dossier courant.",
            HelpName = "FICHIER",
        };

        var command = new Command(
            "chart",
            "Dessine un graphique des chiffres publiés (série, classement, ventilation, pyramide des âges, complétude, carte) et l'écrit en PNG ou SVG.")
        {
            kind,
            options.Level,
            options.Code,
            options.Period!,
            cell,
            from,
            granularity,
            width,
            height,
            format,
            options.Raw!,
            output,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var chartKind = parseResult.GetValue(kind);
            var cellValue = parseResult.GetValue(cell)?.Trim();
            var fromValue = parseResult.GetValue(from)?.Trim();
            var granularityGiven = parseResult.GetResult(granularity) is { Implicit: false };
            var name = ChartKinds.Name(chartKind);
            if (cellValue is not null && !ChartKinds.TakesCell(chartKind))
            {
                throw new UsageException($"--cell ne s'applique pas au graphique {name} (seulement serie, classement, ventilation et carte).");
            }

            if (chartKind != ChartKind.TimeSeries && (fromValue is not null || granularityGiven))
            {
                throw new UsageException($"{(fromValue is not null ? "--from" : "--granularity")} ne s'applique qu'au graphique serie.");
            }

            if (chartKind == ChartKind.Breakdown && string.IsNullOrEmpty(cellValue))
            {
                throw new UsageException("--cell est obligatoire pour une ventilation : indicateur.ventilation, par exemple --cell problematiques.problematique ou --cell personnes_recues.statut.");
            }

            if (cellValue is { Length: 0 })
            {
                throw new UsageException("--cell : cellule vide.");
            }

            var period = options.PeriodValue(parseResult);
            var area = options.Area(parseResult);
            var request = new RenderChartRequest
            {
                Kind = chartKind,
                Area = area.ToProto(),
                Period = period,
                Cell = cellValue ?? (chartKind == ChartKind.Map ? CoverageCell : ""),
                Width = parseResult.GetValue(width),
                Height = parseResult.GetValue(height),
                Disclosure = options.DisclosureValue(parseResult),
            };
            if (chartKind == ChartKind.TimeSeries)
            {
                request.From = fromValue ?? "";
                request.Granularity = granularityGiven
                    ? parseResult.GetValue(granularity)
                    : AnalysisLabels.GranularityOf(fromValue ?? period) == Granularity.Quarter ? Granularity.Quarter : Granularity.Month;
            }

            var (imageFormat, path) = Target(parseResult.GetValue(format), parseResult.GetValue(output), request, cellValue);
            request.Format = imageFormat;
            return new ChartCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(request, path, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The format and the file of the image: --format, or the extension of --output (png by default); the file is
    /// --output, or the default name (<see cref="DefaultFileName"/>) in the current folder or in the folder --output names.
    /// Throws a <see cref="UsageException"/> when --format and the extension disagree, or the extension is unknown.
    /// </summary>
    public static (ImageFormat Format, string Path) Target(string? format, string? output, RenderChartRequest request, string? explicitCell)
    {
        if (output is not null && string.IsNullOrWhiteSpace(output))
        {
            throw new UsageException("--output : nom de fichier vide.");
        }

        ImageFormat? asked = format?.ToLowerInvariant() switch
        {
            "png" => ImageFormat.Png,
            "svg" => ImageFormat.Svg,
            _ => null,
        };
        var isFile = output is not null && !OutputFiles.IsFolder(output);
        var extension = isFile ? Path.GetExtension(output)!.ToLowerInvariant() : "";
        ImageFormat? fromExtension = extension switch
        {
            ".png" => ImageFormat.Png,
            ".svg" => ImageFormat.Svg,
            _ => null,
        };
        if (asked is { } a && fromExtension is { } e && a != e)
        {
            throw new UsageException($"--format {format!.ToLowerInvariant()} et l'extension de « {output} » ne concordent pas.");
        }

        if (asked is null && fromExtension is null && extension.Length > 0)
        {
            throw new UsageException($"Format de « {output} » inconnu : nommez le fichier .png ou .svg, ou précisez --format png ou --format svg.");
        }

        var chosen = asked ?? fromExtension ?? ImageFormat.Png;
        var path = OutputFiles.Resolve(output, DefaultFileName(request, explicitCell, chosen));
        return (chosen, path);
    }

    /// <summary>"serie-national-2025.png", "ventilation-problematiques.problematique-departement-09-2025-T1.svg": kind, cell when given, area, period.</summary>
    public static string DefaultFileName(RenderChartRequest request, string? explicitCell, ImageFormat format)
    {
        var parts = new List<string> { ChartKinds.Name(request.Kind) };
        if (!string.IsNullOrEmpty(explicitCell))
        {
            parts.Add(OutputFiles.Safe(explicitCell));
        }

        var area = request.Area ?? new Area { Level = AreaLevel.National };
        parts.Add(area.Level switch
        {
            AreaLevel.Region => $"region-{area.Code}",
            AreaLevel.Department => $"departement-{area.Code}",
            AreaLevel.Post => $"poste-{area.Code}",
            _ => "national",
        });
        parts.Add(request.Period);
        var name = OutputFiles.Safe(string.Join('-', parts.Where(p => p.Length > 0)));
        return $"{name}.{Extension(format)}";
    }

    /// <summary>Asks for the chart and writes the image; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(RenderChartRequest request, string path, CancellationToken cancellationToken)
    {
        var client = new ReportService.ReportServiceClient(Channel);
        var area = new AreaSelection(request.Area.Level, request.Area.Code);
        var response = await QueryAsync(
            ct => client.RenderChartAsync(request, cancellationToken: ct),
            $"Graphique non obtenu ({ChartKinds.Name(request.Kind)}, {area}, {request.Period})",
            cancellationToken);
        if (response is null)
        {
            return ExitCodes.Rejected;
        }

        try
        {
            OutputFiles.CreateFolderOf(path);
            await File.WriteAllBytesAsync(path, response.Image.Memory, cancellationToken);
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            Context.Error.MarkupLineInterpolated($"[red]Écriture impossible dans « {path} » :[/] {ex.Message}");
            return ExitCodes.Rejected;
        }

        var format = response.ContentType == "image/svg+xml" ? "SVG" : response.ContentType == "image/png" ? "PNG" : response.ContentType;
        if (!string.IsNullOrEmpty(response.Title))
        {
            Console.MarkupLineInterpolated($"[bold]{response.Title}[/]");
        }

        Console.MarkupLineInterpolated(
            $"[green]{ViolationRenderer.Ok(Console)}[/] Graphique écrit dans {path} : {format} {request.Width} × {request.Height} pixels, {Labels.Size(response.Image.Length)}.");
        return ExitCodes.Success;
    }

    private static string Extension(ImageFormat format) => format == ImageFormat.Svg ? "svg" : "png";

    private static Option<int> Size(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name)
        {
            Description = $"{description} (défaut {defaultValue}, au plus {MaxSize}).",
            HelpName = "PIXELS",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is <= 0 or > MaxSize)
            {
                result.AddError($"{name} : attendu un nombre de pixels de 1 à {MaxSize}, trouvé {value}.");
            }
        });
        return option;
    }
}
