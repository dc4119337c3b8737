using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>
/// observatoire compare-edition: what was revised since an edition (EditionService.CompareEdition): the published figures
/// of the edition against today's, by area, with the difference; a figure secret in either version shows as secret.
/// </summary>
public sealed class CompareEditionCommand : AnalysisCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public CompareEditionCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <inheritdoc />
    protected override string? RawHint => null;

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var options = AnalysisOptions.Create(periodRequired: false, disclosure: false);
        var edition = new Option<string>("--edition", "-e") { Description = "L'édition comparée, par exemple 2026-03.", HelpName = "ÉDITION", Required = true };
        var cells = new Option<string[]>("--cells")
        {
            Description = "Indicateurs ou cellules comparés (par exemple personnes_nouvelles). Défaut : toutes les cellules.",
            HelpName = "CELLULE",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command(
            "compare-edition",
            "Compare une édition aux chiffres d'aujourd'hui : les territoires et chiffres publiés révisés depuis sa date d'arrêt, et de combien. "
            + "Sans --level explicite : nation, régions et départements ; sans --period : l'année de l'édition.")
        {
            edition,
            cells,
        };
        options.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new CompareEditionRequest { Edition = parseResult.GetRequiredValue(edition).Trim(), Period = options.PeriodValue(parseResult) };
            if (parseResult.GetResult(options.Level) is { Implicit: false })
            {
                AnalysisLabels.TryParseLevel(parseResult.GetValue(options.Level), out var level);
                request.Level = level == AreaLevel.Post
                    ? throw new UsageException("--level : une édition se compare au niveau national, region ou departement.")
                    : level;
            }

            if (parseResult.GetValue(options.Code) is { Length: > 0 })
            {
                throw new UsageException("--code : la comparaison porte sur tous les territoires d'un niveau ; ne donnez que --level.");
            }

            request.Cells.AddRange(QueryCommand.CellList(parseResult.GetValue(cells)));
            return new CompareEditionCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(request, options.Target(parseResult), cancellationToken);
        });
        return command;
    }

    /// <summary>Asks for the comparison and writes it; returns the exit code.</summary>
    public Task<int> ExecuteAsync(CompareEditionRequest request, OutputTarget target, CancellationToken cancellationToken)
    {
        var client = new EditionService.EditionServiceClient(Channel);
        return QueryAndWriteAsync(
            ct => client.CompareEditionAsync(request, cancellationToken: ct),
            $"Comparaison avec l'édition {request.Edition} non obtenue",
            target,
            response => ToCsv(response, target.Separator),
            (console, response) => Render(console, response, Context.Settings.TimeZone),
            cancellationToken);
    }

    /// <summary>One line per revised figure: level;code;area;cell;label;edition;today;change;change_percent;edition_confidentiality;today_confidentiality.</summary>
    public static CsvTable ToCsv(CompareEditionResponse response, char separator)
    {
        ArgumentNullException.ThrowIfNull(response);
        var table = new CsvTable(separator, "level", "code", "area", "cell", "label", "edition", "today", "change", "change_percent", "edition_confidentiality", "today_confidentiality");
        foreach (var r in response.Revisions)
        {
            table.AddRow(
                AnalysisLabels.LevelCode(r.Area.Level),
                r.Area.Code,
                r.Area.Name,
                r.Cell,
                r.Label,
                table.Integer(r.Edition.HasValue ? r.Edition.Value : null),
                table.Integer(r.Today.HasValue ? r.Today.Value : null),
                table.Integer(r.HasChange ? r.Change : null),
                table.Decimal(r.HasChangePercent ? r.ChangePercent : null),
                AnalysisLabels.ConfidentialityCode(r.Edition.Confidentiality),
                AnalysisLabels.ConfidentialityCode(r.Today.Confidentiality));
        }

        return table;
    }

    private static void Render(IAnsiConsole console, CompareEditionResponse response, TimeZoneInfo timeZone)
    {
        var edition = response.Edition;
        console.MarkupLineInterpolated($"[bold]Édition {edition.Name} — période {response.Period}, chiffres arrêtés au {Labels.DateTime(edition.CutOff, timeZone)}[/]");
        console.MarkupLineInterpolated(
            $"[grey]Comparée aux chiffres d'aujourd'hui (dernière grille reçue : {Labels.DateTime(response.TodayAsOf, timeZone)}) : {Labels.Count(response.RevisedCount, "chiffre révisé", "chiffres révisés")} sur {Labels.Number(response.ComparedFigures)} publiés, dans {Labels.Count(response.Areas.Count, "territoire", "territoires")}.[/]");
        if (response.Revisions.Count == 0)
        {
            console.MarkupLine("Aucun chiffre publié n'a été révisé depuis cette édition.");
            return;
        }

        var table = NewTable();
        table.AddColumn("Territoire");
        table.AddColumn("Chiffre");
        table.AddColumn(new TableColumn("Édition").RightAligned());
        table.AddColumn(new TableColumn("Aujourd'hui").RightAligned());
        table.AddColumn(new TableColumn("Révision").RightAligned());
        foreach (var r in response.Revisions)
        {
            table.AddRow(
                Markup.Escape(AnalysisLabels.Area(r.Area)),
                Markup.Escape(r.Label),
                Markup.Escape(r.Secret ? "secret" : Shown(r.Edition)),
                Markup.Escape(r.Secret ? "secret" : Shown(r.Today)),
                Markup.Escape(Revision(r)));
        }

        console.Write(table);
        if (response.RevisedCount > response.Revisions.Count)
        {
            console.MarkupLineInterpolated($"[grey]{Labels.Number(response.Revisions.Count)} premiers chiffres révisés affichés sur {Labels.Number(response.RevisedCount)} (précisez --level, --period ou --cells).[/]");
        }

        console.MarkupLine("[grey]secret : chiffre masqué par le secret statistique dans l'une des deux versions ; ni sa valeur ni l'écart ne sont donnés.[/]");
    }

    /// <summary>"+30 (+4,3 %)", "secret", or "—" when a value appeared or went.</summary>
    private static string Revision(EditionRevision revision) =>
        revision.Secret ? "secret"
        : !revision.HasChange ? "—"
        : AnalysisLabels.SignedNumber(revision.Change) + (revision.HasChangePercent ? $" ({AnalysisLabels.SignedPercent(revision.ChangePercent)})" : "");

    private static string Shown(EditionValue value) =>
        AnalysisLabels.FigureValue(value.HasValue ? value.Value : null, value.Status, value.Confidentiality);
}
