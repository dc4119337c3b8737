using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire sync: sends the grids waiting in the outbox (see <see cref="Outbox.GridOutbox"/>).</summary>
public sealed class SyncCommand : SubmittingCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public SyncCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var command = new Command("sync", "Envoie les grilles qui attendent dans la boîte d'envoi (gardées par submit sans réseau).");
        command.SetAction((parseResult, cancellationToken) =>
            new SyncCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(cancellationToken));
        return command;
    }

    /// <summary>Sends the outbox and prints the results; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var outbox = Outbox ?? throw new UsageException(
            $"aucun dossier de données pour la boîte d'envoi : indiquez-en un avec la variable {Observatoire.Cli.Outbox.GridOutbox.DataFolderEnvironmentVariable}.");
        var tally = new Tally();
        var unreachable = await SendOutboxAsync(outbox, tally, cancellationToken);
        var waiting = outbox.Pending().Entries.Count;
        if (unreachable is not null)
        {
            Context.Error.MarkupLineInterpolated($"[yellow]{RpcErrors.Unreachable(Server, unreachable.Rpc)}[/]");
        }

        if (tally.Passed + tally.Failed == 0 && waiting == 0)
        {
            Console.MarkupLine("[green]Boîte d'envoi vide : rien à envoyer.[/]");
            return ExitCodes.Success;
        }

        Console.WriteLine();
        var style = tally.Failed > 0 ? "red" : waiting > 0 ? "yellow" : "green";
        Console.MarkupLineInterpolated(
            $"[{style}]Bilan : {Labels.Count(tally.Passed, "acceptée", "acceptées")}, {Labels.Count(tally.Failed, "refusée", "refusées")}, {Labels.Count(tally.Warnings, "avertissement", "avertissements")}, {Labels.Count(waiting, "toujours en attente", "toujours en attente")}.[/]");
        return unreachable is not null ? ExitCodes.Unreachable
            : tally.Failed > 0 ? ExitCodes.Rejected
            : ExitCodes.Success;
    }
}
