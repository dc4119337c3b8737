using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire query: the consolidated table of an area for a period (AggregateService.Consolidate).</summary>
public sealed class QueryCommand : AnalysisCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public QueryCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var options = AnalysisOptions.Create();
        var instants = new FigureInstant.Options();
        var cells = new Option<string[]>("--cells")
        {
            Description = "Indicateurs ou cellules à afficher (par exemple personnes_nouvelles ou \"personnes_recues[statut=victime]\"), " +
                          "séparés par des espaces ou en répétant l'option. Défaut : toutes les cellules.",
            HelpName = "CELLULE",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command(
            "query",
            "Chiffres consolidés d'une zone (nation, région, département ou poste) pour une période : valeurs, secret statistique, taux et évolution sur un an.");
        options.AddTo(command);
        command.Options.Add(cells);
        instants.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new ConsolidateRequest
            {
                Area = options.Area(parseResult).ToProto(),
                Period = options.PeriodValue(parseResult),
                ExcludePartial = options.ExcludePartialValue(parseResult),
                Disclosure = options.DisclosureValue(parseResult),
            };
            request.Cells.AddRange(CellList(parseResult.GetValue(cells)));
            var instant = instants.Of(parseResult);
            var query = new QueryCommand(context, ServerOf(parseResult, serverOption));
            return query.AtInstantAsync(instant, asOf => request.AsOf = asOf, () => query.ExecuteAsync(request, options.Target(parseResult), cancellationToken), cancellationToken);
        });
        return command;
    }

    /// <summary>Asks for the table and writes it; returns the exit code.</summary>
    public Task<int> ExecuteAsync(ConsolidateRequest request, OutputTarget target, CancellationToken cancellationToken) =>
        QueryAndWriteAsync(
            ct => Aggregates.ConsolidateAsync(request, cancellationToken: ct),
            $"Chiffres non obtenus ({new AreaSelection(request.Area.Level, request.Area.Code)}, {request.Period})",
            target,
            response => ToCsv(response, target.Separator),
            (console, response) => Render(console, response, Context.Settings.TimeZone),
            cancellationToken);

    /// <summary>The figures as CSV: cell;label;value;status;confidentiality;rate_per_100k;change_percent.</summary>
    public static CsvTable ToCsv(ConsolidateResponse response, char separator)
    {
        var table = new CsvTable(separator, "cell", "label", "value", "status", "confidentiality", "rate_per_100k", "change_percent");
        foreach (var figure in response.Figures)
        {
            table.AddRow(
                figure.Cell,
                figure.Label,
                table.Integer(figure.HasValue ? figure.Value : null),
                AnalysisLabels.StatusCode(figure.Status),
                AnalysisLabels.ConfidentialityCode(figure.Confidentiality),
                table.Decimal(figure.HasRatePer100K ? figure.RatePer100K : null),
                table.Decimal(figure.HasChangePercent ? figure.ChangePercent : null));
        }

        return table;
    }

    /// <summary>Splits the --cells values: each token is a cell (cell paths contain commas, so no comma splitting).</summary>
    internal static IEnumerable<string> CellList(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split([' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct();

    private static void Render(IAnsiConsole console, ConsolidateResponse response, TimeZoneInfo timeZone)
    {
        var disclosure = response.Disclosure == Disclosure.Raw
            ? "chiffres bruts"
            : $"chiffres publiables (secret statistique en dessous de {Labels.Number(response.SuppressionThreshold)})";
        console.MarkupLineInterpolated($"[bold]{AnalysisLabels.Area(response.Area)} — période {response.Period}[/]");
        var population = response.Area is { Population: > 0 } area
            ? $"population : {Labels.Number(area.Population)} habitants · "
            : "";
        console.MarkupLineInterpolated($"[grey]{population}schéma {response.SchemaVersion} · {disclosure}[/]");

        if (response.Provenance is { } provenance)
        {
            var asOf = provenance.DataAsOf is { } timestamp
                ? $" · données au {Labels.DateTime(timestamp, timeZone)}"
                : "";
            var missingStyle = provenance.MissingCount > 0 ? "yellow" : "default";
            console.MarkupLine(
                $"Provenance : {Markup.Escape(Labels.Count(provenance.ContributingPosts, "poste contributeur", "postes contributeurs"))} " +
                $"sur {Labels.Number(provenance.DuePosts)} attendu{(provenance.DuePosts > 1 ? "s" : "")} · " +
                $"{Markup.Escape(Labels.Count(provenance.GridsUsed, "grille", "grilles"))} · " +
                $"[{missingStyle}]{Markup.Escape(Labels.Count(provenance.MissingCount, "grille manquante", "grilles manquantes"))}[/]" +
                Markup.Escape(asOf));
            if (provenance.YearlyBilans > 0 || provenance.MissingBilansCount > 0)
            {
                var bilanStyle = provenance.MissingBilansCount > 0 ? "yellow" : "default";
                console.MarkupLine(
                    $"Bilans annuels : {Markup.Escape(Labels.Count(provenance.YearlyBilans, "bilan utilisé", "bilans utilisés"))} · " +
                    $"[{bilanStyle}]{Markup.Escape(Labels.Count(provenance.MissingBilansCount, "bilan manquant", "bilans manquants"))}[/]");
            }
        }

        if (response.Coverage is { } coverage)
        {
            var text = $"Couverture : {Labels.Count(coverage.ActivePosts, "poste actif", "postes actifs")} · {AnalysisLabels.Decimal(coverage.Fte, 2)} ETP";
            if (response.Area?.Level is not AreaLevel.Post && response.Area?.Population > 0)
            {
                text += $" · {AnalysisLabels.Decimal(coverage.PostsPer150K, 2)} poste pour 150 000 habitants " +
                        $"(objectif : 1, soit {AnalysisLabels.Decimal(coverage.TargetPosts, 1)} poste{(coverage.TargetPosts >= 2 ? "s" : "")})";
            }

            var style = response.Area?.Level is not AreaLevel.Post && coverage.PostsPer150K < 1 && response.Area?.Population > 0 ? "yellow" : "default";
            console.MarkupLineInterpolated($"[{style}]{text}[/]");
        }

        console.WriteLine();
        if (response.Figures.Count == 0)
        {
            console.MarkupLine("Aucun chiffre.");
        }
        else
        {
            console.Write(FiguresTable(response));
            if (response.Figures.Any(f => f.Status == FigureStatus.Partial))
            {
                console.MarkupLine("[grey]* chiffre partiel : des grilles attendues manquent.[/]");
            }
        }

        WriteNotes(console, response.Notes);
    }

    private static Table FiguresTable(ConsolidateResponse response)
    {
        var withRates = response.Area?.Level is not AreaLevel.Post;
        var table = NewTable();
        table.AddColumn(new TableColumn("Libellé"));
        table.AddColumn(new TableColumn("Valeur").RightAligned().NoWrap());
        if (withRates)
        {
            table.AddColumn(new TableColumn("Taux pour 100 000 hab.").RightAligned().NoWrap());
        }

        table.AddColumn(new TableColumn("Évolution sur un an").RightAligned().NoWrap());
        foreach (var figure in response.Figures)
        {
            var value = AnalysisLabels.FigureValue(figure.HasValue ? figure.Value : null, figure.Status, figure.Confidentiality);
            var valueStyle = figure.Confidentiality is Confidentiality.Primary or Confidentiality.Secondary or Confidentiality.Suppressed or Confidentiality.Pending or Confidentiality.Withheld || !figure.HasValue ? "grey" : "default";
            var label = figure.Cell.Contains('[', StringComparison.Ordinal)
                ? new Markup($"  {Markup.Escape(figure.Label)}")
                : new Markup($"[bold]{Markup.Escape(figure.Label)}[/]");
            var cells = new List<Spectre.Console.Rendering.IRenderable>
            {
                label,
                new Markup($"[{valueStyle}]{Markup.Escape(value)}[/]"),
            };
            if (withRates)
            {
                cells.Add(new Text(figure.HasRatePer100K ? AnalysisLabels.Decimal(figure.RatePer100K) : "—"));
            }

            cells.Add(new Text(AnalysisLabels.Change(figure.HasChange ? figure.Change : null, figure.HasChangePercent ? figure.ChangePercent : null)));
            table.AddRow(cells);
        }

        return table;
    }
}
