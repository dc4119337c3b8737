using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire outliers: suspicious grids by modified z-score (AggregateService.ListOutliers).</summary>
public sealed class OutliersCommand : AnalysisCommandBase
{
    /// <summary>Default modified z-score threshold (that of the server).</summary>
    public const double DefaultThreshold = 3.5;

    /// <summary>Creates the command for a server.</summary>
    public OutliersCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var options = AnalysisOptions.Create(periodRequired: false, disclosure: false);
        options.Period!.Description = "Seulement les grilles de cette période (2025-03, 2025-T1, 2025 : les grilles qu'elle contient). Défaut : toutes.";
        var cells = new Option<string[]>("--cells")
        {
            Description = "Indicateurs ou cellules examinés, séparés par des espaces ou en répétant l'option. Défaut : le total de chaque indicateur.",
            HelpName = "CELLULE",
            AllowMultipleArgumentsPerToken = true,
        };
        var threshold = new Option<double>("--threshold")
        {
            Description = "Seuil du score z modifié (défaut 3,5) : une valeur est signalée au-delà.",
            HelpName = "SEUIL",
            DefaultValueFactory = _ => DefaultThreshold,
        };
        threshold.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (!double.IsFinite(value) || value <= 0)
            {
                result.AddError($"--threshold doit être un nombre positif (trouvé : {value}).");
            }
        });
        var command = new Command(
            "outliers",
            "Grilles atypiques : score z modifié par rapport à l'historique du poste et aux autres postes du département.")
        {
            cells,
            threshold,
        };
        var instants = new FigureInstant.Options();
        options.AddTo(command);
        instants.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new ListOutliersRequest
            {
                Area = options.Area(parseResult).ToProto(),
                Period = options.PeriodValue(parseResult),
                Threshold = parseResult.GetValue(threshold),
            };
            request.Cells.AddRange(QueryCommand.CellList(parseResult.GetValue(cells)));
            var instant = instants.Of(parseResult);
            var outliers = new OutliersCommand(context, ServerOf(parseResult, serverOption));
            return outliers.AtInstantAsync(instant, asOf => request.AsOf = asOf, () => outliers.ExecuteAsync(request, options.Target(parseResult), cancellationToken), cancellationToken);
        });
        return command;
    }

    /// <inheritdoc />
    protected override string? RawHint => null;

    /// <summary>Asks for the outliers and writes them; returns the exit code.</summary>
    public Task<int> ExecuteAsync(ListOutliersRequest request, OutputTarget target, CancellationToken cancellationToken)
    {
        var period = string.IsNullOrEmpty(request.Period) ? "toutes périodes" : request.Period;
        return QueryAndWriteAsync(
            ct => Aggregates.ListOutliersAsync(request, cancellationToken: ct),
            $"Valeurs atypiques non obtenues ({new AreaSelection(request.Area.Level, request.Area.Code)}, {period})",
            target,
            response => ToCsv(response, target.Separator),
            (console, response) => Render(console, request, response, Context.Settings.TimeZone),
            cancellationToken);
    }

    /// <summary>The outliers as CSV, one row each.</summary>
    public static CsvTable ToCsv(ListOutliersResponse response, char separator)
    {
        var table = new CsvTable(
            separator,
            "post_id", "post_name", "department", "period", "cell", "value", "reference", "median", "mad", "modified_z", "reference_count");
        foreach (var outlier in response.Outliers)
        {
            table.AddRow(
                outlier.PostId,
                outlier.PostName,
                outlier.DepartmentCode,
                outlier.Period,
                outlier.Cell,
                table.Integer(outlier.Value),
                outlier.Reference,
                table.Decimal(outlier.Median),
                table.Decimal(outlier.Mad),
                table.Decimal(outlier.ModifiedZ, 2),
                table.Integer(outlier.ReferenceCount));
        }

        return table;
    }

    private static void Render(IAnsiConsole console, ListOutliersRequest request, ListOutliersResponse response, TimeZoneInfo timeZone)
    {
        var area = new AreaSelection(request.Area.Level, request.Area.Code);
        var period = string.IsNullOrEmpty(request.Period) ? "toutes périodes" : $"période {request.Period}";
        console.MarkupLineInterpolated($"[bold]Valeurs atypiques — {area} — {period}[/]");
        if (request.AsOf is not null)
        {
            console.MarkupLineInterpolated($"[grey]grilles telles qu'elles étaient le {Labels.DateTime(request.AsOf, timeZone)}[/]");
        }

        var method = $"score z modifié (médiane et écart absolu médian) au-delà de {AnalysisLabels.Decimal(response.Threshold, 2)}, " +
                     "par rapport à l'historique du poste ou aux autres postes du département";
        console.MarkupLine($"[grey]{Markup.Escape(method)}[/]");
        console.WriteLine();
        if (response.Outliers.Count == 0)
        {
            console.MarkupLine("[green]Aucune valeur atypique.[/]");
            return;
        }

        var table = NewTable();
        table.AddColumn(new TableColumn("Poste").NoWrap());
        table.AddColumn(new TableColumn("Dép.").NoWrap());
        table.AddColumn(new TableColumn("Période").NoWrap());
        table.AddColumn(new TableColumn("Cellule"));
        table.AddColumn(new TableColumn("Valeur").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("Comparée à").NoWrap());
        table.AddColumn(new TableColumn("Médiane").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("MAD").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("z mod.").RightAligned().NoWrap());
        foreach (var outlier in response.Outliers)
        {
            var z = Math.Abs(outlier.ModifiedZ) >= 1e8 ? (outlier.ModifiedZ > 0 ? "+∞" : "-∞") : AnalysisLabels.SignedDecimal(outlier.ModifiedZ, 1);
            var reference = outlier.Reference switch
            {
                "historique" => $"historique ({outlier.ReferenceCount})",
                "departement" => $"département ({outlier.ReferenceCount})",
                _ => $"{outlier.Reference} ({outlier.ReferenceCount})",
            };
            table.AddRow(
                new Text(outlier.PostId),
                new Text(outlier.DepartmentCode),
                new Text(outlier.Period),
                new Text(outlier.Cell),
                new Markup($"[bold]{Markup.Escape(Labels.Number(outlier.Value))}[/]"),
                new Text(reference),
                new Text(AnalysisLabels.Decimal(outlier.Median, 1)),
                new Text(AnalysisLabels.Decimal(outlier.Mad, 1)),
                new Markup($"[{(outlier.ModifiedZ > 0 ? "red" : "yellow")}]{Markup.Escape(z)}[/]"));
        }

        console.Write(table);
        console.MarkupLineInterpolated(
            $"{Labels.Count(response.Outliers.Count, "valeur atypique", "valeurs atypiques")} ; entre parenthèses, le nombre de valeurs de référence.");
    }
}
