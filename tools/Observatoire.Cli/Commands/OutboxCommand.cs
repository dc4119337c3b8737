using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Cli.Outbox;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire outbox: lists the grids waiting in the outbox and those moved aside, with why.</summary>
public sealed class OutboxCommand
{
    /// <summary>The verb: local, it never calls the server.</summary>
    public const string Name = "outbox";

    private readonly CliContext _context;

    /// <summary>Creates the command.</summary>
    public OutboxCommand(CliContext context)
    {
        _context = context;
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command(Name, "Liste les grilles de la boîte d'envoi : en attente d'envoi, et mises de côté avec la raison du refus.");
        command.SetAction(_ => new OutboxCommand(context).Execute());
        return command;
    }

    /// <summary>Prints the outbox; returns the exit code.</summary>
    public int Execute()
    {
        var console = _context.Console;
        var outbox = GridOutbox.ForUser(_context.Settings.GetEnvironmentVariable);
        var (pending, unreadable) = outbox.Pending();
        var (refused, unreadableAside) = outbox.Refused();
        console.MarkupLineInterpolated($"Boîte d'envoi : {outbox.Folder}");
        if (pending.Count == 0 && unreadable.Count == 0)
        {
            console.MarkupLine("[green]Aucune grille en attente.[/]");
        }
        else
        {
            var table = new Table().Title($"En attente d'envoi ({pending.Count})")
                .AddColumns("Poste", "Période", "Gardée le", "Essais", "Dernière erreur", "Serveur", "Origine", "Identifiant de soumission");
            foreach (var entry in pending)
            {
                table.AddRow(
                    Cell(entry.Grid.PostId),
                    Cell(entry.Grid.Period),
                    Cell(Labels.DateTime(Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(entry.QueuedAt), _context.Settings.TimeZone)),
                    Cell(entry.Attempts.ToString(Labels.French)),
                    Cell(entry.LastError ?? ""),
                    Cell(entry.Server),
                    Cell(entry.Source),
                    Cell(entry.SubmissionId));
            }

            console.Write(table);
            foreach (var file in unreadable)
            {
                console.MarkupLineInterpolated($"[red]Fichier illisible (sera mis de côté au prochain envoi) : {file}[/]");
            }

            console.MarkupLine("Envoi : [bold]observatoire sync[/] (ou au prochain submit).");
        }

        if (refused.Count > 0 || unreadableAside.Count > 0)
        {
            console.WriteLine();
            console.MarkupLineInterpolated($"[red]Mises de côté ({refused.Count + unreadableAside.Count}) : refusées par le serveur pour une raison qu'un nouvel envoi ne corrige pas ; corrigez la grille et renvoyez-la.[/] {outbox.RefusedFolder}");
            foreach (var entry in refused)
            {
                console.MarkupLineInterpolated(
                    $"[red]{ViolationRenderer.Ko(console)} {Grids.GridLabels.Of(entry.Grid.PostId, entry.Grid.Period)}[/] [grey]({entry.Source}, le {Labels.DateTime(Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(entry.RefusedAt ?? entry.QueuedAt), _context.Settings.TimeZone)})[/]");
                foreach (var line in (entry.RefusedReason ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    ViolationRenderer.WriteIndented(console, Markup.Escape(line));
                }
            }

            foreach (var file in unreadableAside)
            {
                console.MarkupLineInterpolated($"[red]{ViolationRenderer.Ko(console)} fichier illisible : {file}[/]");
            }
        }

        return ExitCodes.Success;
    }

    private static Markup Cell(string text) => new(Markup.Escape(text));
}
