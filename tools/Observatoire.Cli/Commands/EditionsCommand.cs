using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire editions: the published editions with their cut-off and the checksums of their files (EditionService.ListEditions).</summary>
public sealed class EditionsCommand : AnalysisCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public EditionsCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <inheritdoc />
    protected override string? RawHint => null;

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var year = new Option<int>("--year", "-y") { Description = "Seulement les éditions de cette année.", HelpName = "ANNÉE" };
        var limit = new Option<int>("--limit") { Description = "Au plus ce nombre d'éditions, les plus récentes (100 par défaut, 1000 au plus).", HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "Écrit la réponse en JSON (noms de champs du contrat)." };
        var command = new Command("editions", "Liste les éditions publiées : date d'arrêt, auteur et empreintes SHA-256 des fichiers produits.") { year, limit, json };
        command.SetAction((parseResult, cancellationToken) =>
            new EditionsCommand(context, ServerOf(parseResult, serverOption))
                .ExecuteAsync(parseResult.GetValue(year), parseResult.GetValue(json), cancellationToken, parseResult.GetValue(limit)));
        return command;
    }

    /// <summary>Lists the editions; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(int year, bool json, CancellationToken cancellationToken, int limit = 0)
    {
        var client = new EditionService.EditionServiceClient(Channel);
        var response = await QueryAsync(ct => client.ListEditionsAsync(new ListEditionsRequest { Year = year, Limit = limit }, cancellationToken: ct), "Éditions non obtenues", cancellationToken);
        if (response is null)
        {
            return ExitCodes.Rejected;
        }

        if (json)
        {
            return Writer(new OutputTarget(AnalysisOptions.Json, ';', null)).Json(response);
        }

        if (response.Editions.Count == 0)
        {
            Console.MarkupLine("Aucune édition publiée.");
            return ExitCodes.Success;
        }

        foreach (var edition in response.Editions)
        {
            Console.MarkupLineInterpolated(
                $"[bold]{edition.Name}[/] — chiffres {edition.Year} arrêtés au {Labels.DateTime(edition.CutOff, Context.Settings.TimeZone)} [grey](publiée le {Labels.DateTime(edition.CreatedAt, Context.Settings.TimeZone)} par la clé {edition.CreatedBy})[/]");
            Console.Write(FilesTable(edition));
        }

        if (response.Truncated)
        {
            Console.MarkupLineInterpolated($"[grey]Les {response.Editions.Count} plus récentes ; d'autres, plus anciennes, sont publiées (--limit pour en voir plus, --year pour une année).[/]");
        }

        return ExitCodes.Success;
    }

    /// <summary>The files of an edition with their size and SHA-256.</summary>
    public static Table FilesTable(Edition edition)
    {
        ArgumentNullException.ThrowIfNull(edition);
        var table = NewTable();
        table.AddColumn("Fichier");
        table.AddColumn(new TableColumn("Taille").RightAligned());
        table.AddColumn("SHA-256");
        foreach (var file in edition.Files)
        {
            table.AddRow(Markup.Escape(file.FileName), Markup.Escape(Labels.Size(file.Bytes)), file.Sha256);
        }

        return table;
    }
}
