using System.CommandLine;
using Grpc.Core;
using Observatoire.Cli.Grids;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire history: lists the revisions of a post's grid for a period.</summary>
public sealed class HistoryCommand : CommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public HistoryCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var post = new Option<string>("--post")
        {
            Description = "Identifiant du poste, par exemple P-09-001.",
            HelpName = "POSTE",
            Required = true,
        };
        var period = new Option<string>("--period")
        {
            Description = "Période : 2025-03 (mois), 2025-T1 (trimestre) ou 2025 (année).",
            HelpName = "PÉRIODE",
            Required = true,
        };
        var format = CommonOptions.Format();
        var command = new Command("history", "Affiche l'historique des révisions de la grille d'un poste pour une période.")
        {
            post,
            period,
            format,
        };
        command.SetAction((parseResult, cancellationToken) =>
            new HistoryCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(
                parseResult.GetRequiredValue(post),
                parseResult.GetRequiredValue(period),
                parseResult.GetValue(format) ?? CommonOptions.Text,
                cancellationToken));
        return command;
    }

    /// <summary>Fetches the revisions and prints them; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(string postId, string period, string format, CancellationToken cancellationToken)
    {
        var client = new GridService.GridServiceClient(Channel);
        var request = new ListRevisionsRequest { PostId = postId, Period = period };
        ListRevisionsResponse response;
        try
        {
            response = await CallAsync(ct => client.ListRevisionsAsync(request, cancellationToken: ct).ResponseAsync, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
        {
            Context.Error.MarkupLineInterpolated(
                $"[red]Historique non obtenu pour {GridLabels.Of(postId, period)} : {RpcErrors.StatusName(ex.StatusCode)}[/] — {RpcErrors.Detail(ex)}");
            ViolationRenderer.Write(Context.Error, RpcErrors.Violations(ex));
            return ExitCodes.Rejected;
        }

        if (format == CommonOptions.Json)
        {
            Context.WriteRaw(CommonOptions.JsonFormatter.Format(response) + Environment.NewLine);
            return ExitCodes.Success;
        }

        if (response.Revisions.Count == 0)
        {
            Console.MarkupLineInterpolated($"Aucune révision reçue pour {GridLabels.Of(postId, period)}.");
            return ExitCodes.Success;
        }

        Console.MarkupLineInterpolated(
            $"[bold]Révisions de la grille {GridLabels.Of(postId, period)}[/] ({Labels.Count(response.Revisions.Count, "révision", "révisions")})");
        if (Console.Profile.Width >= WideConsole)
        {
            Console.Write(Table(response));
        }
        else
        {
            WriteBlocks(response);
        }

        return ExitCodes.Success;
    }

    /// <summary>Console width from which revisions are shown as a table rather than one block each.</summary>
    public const int WideConsole = 130;

    private static string ShortHash(string hash) => hash.Length > 12 ? hash[..12] : hash;

    private static RevisionInfo? Current(ListRevisionsResponse response) => response.Revisions.MaxBy(r => r.Revision);

    private void WriteBlocks(ListRevisionsResponse response)
    {
        var current = Current(response);
        foreach (var revision in response.Revisions)
        {
            var isCurrent = ReferenceEquals(revision, current);
            Console.WriteLine();
            var currentMark = isCurrent ? " [green](actuelle)[/]" : "";
            Console.MarkupLine(
                $"[bold]Révision {revision.Revision}[/]{currentMark} — reçue le {Labels.DateTime(revision.ReceivedAt, Context.Settings.TimeZone)}");
            Console.MarkupLineInterpolated($"  client : {revision.ClientId}");
            Console.MarkupLineInterpolated($"  soumission : {revision.SubmissionId}");
            Console.MarkupLineInterpolated($"  empreinte : {ShortHash(revision.ContentHash)} · schéma : {revision.SchemaVersion}");
            var warningStyle = revision.WarningCount > 0 ? "yellow" : "default";
            Console.MarkupLineInterpolated(
                $"  [{warningStyle}]{Labels.Count(revision.WarningCount, "avertissement", "avertissements")}[/]");
        }
    }

    private Table Table(ListRevisionsResponse response)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("Rév.").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("Reçue le").NoWrap());
        table.AddColumn(new TableColumn("Client").NoWrap());
        table.AddColumn(new TableColumn("Soumission").NoWrap());
        table.AddColumn(new TableColumn("Empreinte").NoWrap());
        table.AddColumn(new TableColumn("Schéma").NoWrap());
        table.AddColumn(new TableColumn("Avert.").RightAligned());
        table.AddColumn(new TableColumn("").NoWrap());

        var current = Current(response);
        foreach (var revision in response.Revisions)
        {
            var isCurrent = ReferenceEquals(revision, current);
            table.AddRow(
                new Markup(isCurrent ? $"[bold]{revision.Revision}[/]" : revision.Revision.ToString(Labels.French)),
                new Text(Labels.DateTime(revision.ReceivedAt, Context.Settings.TimeZone)),
                new Text(revision.ClientId),
                new Text(revision.SubmissionId),
                new Text(ShortHash(revision.ContentHash)),
                new Text(revision.SchemaVersion),
                new Markup(revision.WarningCount > 0 ? $"[yellow]{revision.WarningCount}[/]" : "0"),
                new Markup(isCurrent ? "[green]actuelle[/]" : ""));
        }

        return table;
    }
}
