using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>
/// observatoire publish: publishes an edition (EditionService.PublishEdition), a year's figures frozen at a cut-off; the
/// server makes the national report and the open data package at that instant and keeps their SHA-256.
/// </summary>
public sealed class PublishCommand : AnalysisCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public PublishCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <inheritdoc />
    protected override string? RawHint => "La publication d'une édition demande une clé rapport ou admin.";

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var year = new Option<int>("--year", "-y") { Description = "Année des chiffres.", HelpName = "ANNÉE", Required = true };
        var edition = new Option<string>("--edition", "-e")
        {
            Description = "Nom de l'édition, par exemple 2026-03 (a-z, 0-9, « - » et « . », 32 caractères au plus) ; une édition publiée ne change plus.",
            HelpName = "ÉDITION",
            Required = true,
        };
        var asOf = new Option<string>("--as-of")
        {
            Description = "Date d'arrêt des chiffres (ISO 8601, par exemple 2026-03-31T12:00:00Z). Défaut : maintenant.",
            HelpName = "INSTANT",
        };
        var command = new Command(
            "publish",
            "Publie une édition : les chiffres d'une année arrêtés à une date, dont le rapport annuel national et les données ouvertes se reproduisent ensuite à l'identique (clé rapport ou admin).")
        {
            year,
            edition,
            asOf,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new PublishEditionRequest { Year = parseResult.GetValue(year), Edition = parseResult.GetRequiredValue(edition).Trim() };
            if (parseResult.GetValue(asOf) is { } instant)
            {
                request.AsOf = FigureInstant.Parse(instant);
            }

            return new PublishCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(request, cancellationToken);
        });
        return command;
    }

    /// <summary>Publishes and prints the edition; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(PublishEditionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Console.MarkupLineInterpolated($"[bold]Édition {request.Edition} ({request.Year})[/] [grey]: production du rapport, des données ouvertes et des exports par le serveur…[/]");
        var client = new EditionService.EditionServiceClient(Channel);
        var edition = await QueryAsync(ct => client.PublishEditionAsync(request, cancellationToken: ct), $"Édition {request.Edition} non publiée", cancellationToken);
        if (edition is null)
        {
            return ExitCodes.Rejected;
        }

        Console.MarkupLineInterpolated($"[green]Édition {edition.Name} publiée[/] : chiffres {edition.Year} arrêtés au {Labels.DateTime(edition.CutOff, Context.Settings.TimeZone)}.");
        Console.Write(EditionsCommand.FilesTable(edition));
        Console.MarkupLineInterpolated(
            $"[grey]Pour les reproduire : observatoire report --year {edition.Year} --edition {edition.Name} ; observatoire opendata --year {edition.Year} --edition {edition.Name} ; observatoire export --format sdmx-csv|sdmx-json|csv --level national|region|departement --period {edition.Year} --edition {edition.Name}.[/]");
        return ExitCodes.Success;
    }
}
