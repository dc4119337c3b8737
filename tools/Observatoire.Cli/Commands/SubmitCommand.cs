using System.CommandLine;
using Observatoire.Cli.Grids;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Grpc.Core;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>
/// observatoire submit: sends grid files to the server, one SubmitGrid call per grid, in file order. Each grid gets a
/// submission id (UUID v7) that it keeps when the call is retried after UNAVAILABLE, so a retry never makes a second
/// revision. The outbox goes first; when the server cannot be reached, the grids not sent wait in the outbox under
/// their submission ids (<see cref="Outbox.GridOutbox"/>).
/// </summary>
public sealed class SubmitCommand : SubmittingCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public SubmitCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var files = new Argument<string[]>("FICHIER")
        {
            Description = "Fichiers de grilles (.json, .csv, ou classeur .xlsx de observatoire modele) ou dossiers qui en contiennent.",
            Arity = ArgumentArity.OneOrMore,
        };
        var clientId = new Option<string>("--client-id")
        {
            Description = "Nom de l'outil ou de l'opérateur, enregistré avec chaque révision.",
            HelpName = "NOM",
            DefaultValueFactory = _ => DefaultClientId,
        };
        var command = new Command(
            "submit",
            "Envoie des grilles au serveur, qui les vérifie et les enregistre ; sans réseau, elles attendent dans la boîte d'envoi.")
        {
            files,
            clientId,
        };
        command.SetAction((parseResult, cancellationToken) =>
            new SubmitCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(
                parseResult.GetRequiredValue(files),
                parseResult.GetValue(clientId) ?? DefaultClientId,
                cancellationToken));
        return command;
    }

    /// <summary>Reads the files, sends the outbox then every grid, and prints the results; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(IReadOnlyList<string> files, string clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new UsageException("--client-id ne doit pas être vide.");
        }

        var (grids, rejections) = ReadFiles(files);
        var outbox = Outbox;
        var tally = new Tally { Failed = rejections };
        var unreachable = await SendOutboxAsync(outbox, tally, cancellationToken);
        if (unreachable is null)
        {
            try
            {
                var (checkedGrids, refused) = await CheckWorkbookSchemasAsync(grids, cancellationToken);
                grids = checkedGrids;
                tally.Failed += refused;
            }
            catch (ServerUnreachableException ex)
            {
                unreachable = ex;
            }
        }

        // Made once per grid, before any call: every retry, and every later send from the outbox, reuses it.
        var ids = new Dictionary<GridEntry, string>(ReferenceEqualityComparer.Instance);
        foreach (var grid in grids)
        {
            ids[grid] = Context.Settings.NewSubmissionId().ToString();
        }

        if (unreachable is null)
        {
            try
            {
                await RunAsync(grids, "Envoi des grilles", (entry, ct) => SendAsync(entry.Grid, ids[entry], clientId, ct), Report, cancellationToken);
            }
            catch (ServerUnreachableException ex)
            {
                unreachable = ex;
            }
        }

        var queued = 0;
        var lost = 0;
        if (unreachable is not null)
        {
            var remaining = grids.Skip(tally.Processed).Select(g => (g, ids[g])).ToList();
            queued = Queue(outbox, remaining, clientId, unreachable);
            lost = remaining.Count - queued;
        }

        Console.WriteLine();
        var style = tally.Failed > 0 ? "red" : queued > 0 ? "yellow" : "green";
        var waiting = (queued > 0 ? $", {Labels.Count(queued, "gardée dans la boîte d'envoi", "gardées dans la boîte d'envoi")}" : "")
            + (lost > 0 ? $", {Labels.Count(lost, "non envoyée", "non envoyées")}" : "");
        Console.MarkupLineInterpolated(
            $"[{style}]Bilan : {Labels.Count(tally.Passed, "acceptée", "acceptées")}, {Labels.Count(tally.Failed, "rejetée", "rejetées")}, {Labels.Count(tally.Warnings, "avertissement", "avertissements")}{waiting}.[/]");
        return unreachable is not null ? ExitCodes.Unreachable
            : tally.Failed > 0 ? ExitCodes.Rejected
            : ExitCodes.Success;

        void Report(GridEntry entry, (SubmitGridResponse? Response, RpcException? Failure) outcome)
        {
            tally.Processed++;
            if (outcome.Response is { } response)
            {
                ReportAccepted(entry, response, tally);
            }
            else if (outcome.Failure is { } failure)
            {
                ReportRefused(entry, failure, tally);
            }
        }
    }
}
