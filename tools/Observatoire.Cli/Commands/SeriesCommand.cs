using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire series: one figure of an area over a range of periods, with the trend line (AggregateService.GetSeries).</summary>
public sealed class SeriesCommand : AnalysisCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public SeriesCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var options = AnalysisOptions.Create(period: false);
        var instants = new FigureInstant.Options();
        var cell = new Option<string>("--cell")
        {
            Description = "Indicateur ou cellule, par exemple personnes_nouvelles ou \"personnes_recues[statut=victime]\".",
            HelpName = "CELLULE",
            Required = true,
        };
        var from = new Option<string>("--from")
        {
            Description = "Première période de la série (2024-01, 2024-T1 ou 2024).",
            HelpName = "PÉRIODE",
            Required = true,
        };
        var to = new Option<string>("--to")
        {
            Description = "Dernière période de la série (2025-12, 2025-T4 ou 2025).",
            HelpName = "PÉRIODE",
            Required = true,
        };
        var granularity = new Option<Granularity>("--granularity", "-g")
        {
            Description = "Pas de la série : mois, trimestre ou annee (month, quarter, year acceptés). Défaut : celui de --from.",
            HelpName = AnalysisLabels.GranularityHelp,
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (AnalysisLabels.TryParseGranularity(token, out var value))
                {
                    return value;
                }

                result.AddError($"Granularité inconnue : « {token} » (attendu : mois, trimestre ou annee).");
                return Granularity.Unspecified;
            },
        };
        var command = new Command(
            "series",
            "Série d'un chiffre d'une zone sur plusieurs périodes, avec les évolutions et la droite de tendance (pente, IC à 95 %, R²).")
        {
            cell,
            from,
            to,
            granularity,
        };
        options.AddTo(command);
        instants.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var fromValue = parseResult.GetRequiredValue(from).Trim();
            var step = parseResult.GetResult(granularity) is { Implicit: false }
                ? parseResult.GetValue(granularity)
                : AnalysisLabels.GranularityOf(fromValue) ?? Granularity.Month;
            var request = new GetSeriesRequest
            {
                Area = options.Area(parseResult).ToProto(),
                Cell = parseResult.GetRequiredValue(cell).Trim(),
                From = fromValue,
                To = parseResult.GetRequiredValue(to).Trim(),
                Granularity = step,
                ExcludePartial = options.ExcludePartialValue(parseResult),
                Disclosure = options.DisclosureValue(parseResult),
            };
            var instant = instants.Of(parseResult);
            var series = new SeriesCommand(context, ServerOf(parseResult, serverOption));
            return series.AtInstantAsync(instant, asOf => request.AsOf = asOf, () => series.ExecuteAsync(request, options.Target(parseResult), cancellationToken), cancellationToken);
        });
        return command;
    }

    /// <summary>Asks for the series and writes it; returns the exit code.</summary>
    public Task<int> ExecuteAsync(GetSeriesRequest request, OutputTarget target, CancellationToken cancellationToken) =>
        QueryAndWriteAsync(
            ct => Aggregates.GetSeriesAsync(request, cancellationToken: ct),
            $"Série non obtenue ({request.Cell}, {new AreaSelection(request.Area.Level, request.Area.Code)}, {request.From} à {request.To})",
            target,
            response => ToCsv(response, target.Separator),
            (console, response) => Render(console, request, response),
            cancellationToken);

    /// <summary>The points as CSV, one row per period.</summary>
    public static CsvTable ToCsv(GetSeriesResponse response, char separator)
    {
        var table = new CsvTable(
            separator,
            "period", "value", "status", "confidentiality", "contributing_posts", "expected_posts",
            "change", "change_percent", "year_over_year_change", "year_over_year_percent");
        foreach (var point in response.Points)
        {
            table.AddRow(
                point.Period,
                table.Integer(point.HasValue ? point.Value : null),
                AnalysisLabels.StatusCode(point.Status),
                AnalysisLabels.ConfidentialityCode(point.Confidentiality),
                table.Integer(point.ContributingPosts),
                table.Integer(point.ExpectedPosts),
                table.Integer(point.HasChange ? point.Change : null),
                table.Decimal(point.HasChangePercent ? point.ChangePercent : null),
                table.Integer(point.HasYearOverYearChange ? point.YearOverYearChange : null),
                table.Decimal(point.HasYearOverYearPercent ? point.YearOverYearPercent : null));
        }

        return table;
    }

    /// <summary>"Tendance : +1,3 par mois (IC à 95 % : -0,4 à +3), R² = 0,42, 12 points", or why there is none.</summary>
    public static string TrendText(Trend? trend, Granularity granularity)
    {
        if (trend is null)
        {
            return "Tendance : non calculée (moins de 3 points publiés).";
        }

        var unit = AnalysisLabels.GranularityName(granularity);
        var significant = trend.SlopeCiLow > 0 || trend.SlopeCiHigh < 0;
        var reading = significant
            ? trend.Slope > 0 ? "hausse significative" : "baisse significative"
            : "pas de tendance significative";
        return $"Tendance : {AnalysisLabels.SignedDecimal(trend.Slope, 2)} par {unit} " +
               $"(IC à 95 % : {AnalysisLabels.SignedDecimal(trend.SlopeCiLow, 2)} à {AnalysisLabels.SignedDecimal(trend.SlopeCiHigh, 2)}), " +
               $"R² = {AnalysisLabels.Decimal(trend.RSquared, 2)}, {Labels.Count(trend.Points, "point", "points")} : {reading}.";
    }

    private static void Render(IAnsiConsole console, GetSeriesRequest request, GetSeriesResponse response)
    {
        var label = string.IsNullOrEmpty(response.Label) ? response.Cell : $"{response.Label} ({response.Cell})";
        console.MarkupLineInterpolated($"[bold]{label} — {AnalysisLabels.Area(response.Area)}[/]");
        var disclosure = request.Disclosure == Disclosure.Raw ? "chiffres bruts" : "chiffres publiables";
        console.MarkupLineInterpolated(
            $"[grey]série par {AnalysisLabels.GranularityName(request.Granularity)} de {request.From} à {request.To} · {disclosure}[/]");
        console.WriteLine();

        if (response.Points.Count == 0)
        {
            console.MarkupLine("Aucun point.");
        }
        else
        {
            var table = NewTable();
            table.AddColumn(new TableColumn("Période").NoWrap());
            table.AddColumn(new TableColumn("Valeur").RightAligned().NoWrap());
            table.AddColumn(new TableColumn("Postes contrib./attendus").RightAligned().NoWrap());
            table.AddColumn(new TableColumn("Évolution").RightAligned().NoWrap());
            table.AddColumn(new TableColumn("Sur un an").RightAligned().NoWrap());
            foreach (var point in response.Points)
            {
                var value = AnalysisLabels.FigureValue(point.HasValue ? point.Value : null, point.Status, point.Confidentiality);
                table.AddRow(
                    new Text(point.Period),
                    new Markup(point.HasValue ? Markup.Escape(value) : $"[grey]{Markup.Escape(value)}[/]"),
                    new Text($"{Labels.Number(point.ContributingPosts)} / {Labels.Number(point.DuePosts)}"),
                    new Text(AnalysisLabels.Change(point.HasChange ? point.Change : null, point.HasChangePercent ? point.ChangePercent : null)),
                    new Text(AnalysisLabels.Change(
                        point.HasYearOverYearChange ? point.YearOverYearChange : null,
                        point.HasYearOverYearPercent ? point.YearOverYearPercent : null)));
            }

            console.Write(table);
            if (response.Points.Any(p => p.Status == FigureStatus.Partial))
            {
                console.MarkupLine("[grey]* chiffre partiel : des grilles attendues manquent.[/]");
            }
        }

        console.WriteLine();
        console.MarkupLineInterpolated($"{TrendText(response.Trend, request.Granularity)}");
        WriteNotes(console, response.Notes);
    }
}
