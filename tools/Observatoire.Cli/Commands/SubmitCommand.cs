using System.CommandLine;
using Grpc.Core;
using Observatoire.Cli.Grids;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>
/// observatoire submit: sends grid files to the server, one SubmitGrid call per grid, in file order. Each grid gets a
/// fresh submission id (UUID v7) that is reused when the call is retried after UNAVAILABLE, so a retry never makes a
/// second revision.
/// </summary>
public sealed class SubmitCommand : GridCommandBase
{
    /// <summary>Client id recorded with the revisions when --client-id is not given.</summary>
    public const string DefaultClientId = "observatoire-cli";

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
            Description = "Fichiers de grilles (.json ou .csv) ou dossiers qui en contiennent.",
            Arity = ArgumentArity.OneOrMore,
        };
        var clientId = new Option<string>("--client-id")
        {
            Description = "Nom de l'outil ou de l'opérateur, enregistré avec chaque révision.",
            HelpName = "NOM",
            DefaultValueFactory = _ => DefaultClientId,
        };
        var command = new Command("submit", "Envoie des grilles au serveur, qui les vérifie et les enregistre.")
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

    /// <summary>Reads the files, submits every grid and prints the results; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(IReadOnlyList<string> files, string clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new UsageException("--client-id ne doit pas être vide.");
        }

        var (grids, rejections) = ReadFiles(files);
        var client = new GridService.GridServiceClient(Channel);
        var tally = new Tally { Failed = rejections };

        async Task<Outcome> Submit(GridEntry entry, CancellationToken ct)
        {
            // Made once per grid: every retry of this grid sends the same submission id.
            var request = new SubmitGridRequest
            {
                SubmissionId = Context.Settings.NewSubmissionId().ToString(),
                ClientId = clientId,
                Grid = entry.Grid,
            };
            try
            {
                var response = await CallAsync(c => client.SubmitGridAsync(request, cancellationToken: c).ResponseAsync, ct);
                return new Outcome(request.SubmissionId, response, null);
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
            {
                return new Outcome(request.SubmissionId, null, ex);
            }
        }

        void Report(GridEntry entry, Outcome outcome)
        {
            tally.Processed++;
            if (outcome.Response is { } response)
            {
                tally.Passed++;
                tally.Warnings += response.Warnings.Count;
                var label = GridLabels.Of(
                    string.IsNullOrEmpty(response.PostId) ? entry.Grid.PostId : response.PostId,
                    string.IsNullOrEmpty(response.Period) ? entry.Grid.Period : response.Period);
                var replayed = response.Replayed ? " (déjà reçue)" : "";
                var warningText = response.Warnings.Count > 0
                    ? $", {Labels.Count(response.Warnings.Count, "avertissement", "avertissements")}"
                    : "";
                Console.MarkupLineInterpolated(
                    $"[green]{ViolationRenderer.Ok(Console)} {label} : acceptée, révision {response.Revision}{replayed}{warningText}[/] [grey]({entry.Source})[/]");
                ViolationRenderer.Write(Console, response.Warnings);
            }
            else if (outcome.Failure is { } failure)
            {
                tally.Failed++;
                var reason = failure.StatusCode == StatusCode.InvalidArgument
                    ? "rejetée"
                    : $"refusée par le serveur ({RpcErrors.StatusName(failure.StatusCode)})";
                Console.MarkupLineInterpolated(
                    $"[red]{ViolationRenderer.Ko(Console)} {entry.Label} : {reason}[/] [grey]({entry.Source})[/]");
                var violations = RpcErrors.Violations(failure);
                if (violations.Count == 0 || !string.IsNullOrWhiteSpace(failure.Status.Detail))
                {
                    ViolationRenderer.WriteIndented(Console, Markup.Escape(RpcErrors.Detail(failure)));
                }

                ViolationRenderer.Write(Console, violations);
            }
        }

        return await RunAndSummarizeAsync<Outcome>(
            grids, "Envoi des grilles", Submit, Report, tally, ("acceptée", "acceptées"), ("rejetée", "rejetées"), cancellationToken);
    }

    private sealed record Outcome(string SubmissionId, SubmitGridResponse? Response, RpcException? Failure);
}
