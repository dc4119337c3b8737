using System.CommandLine;
using Grpc.Core;
using Observatoire.Cli.Grids;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire validate: has the server check grid files without storing anything.</summary>
public sealed class ValidateCommand : GridCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public ValidateCommand(CliContext context, string server)
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
        var command = new Command("validate", "Fait vérifier des grilles par le serveur, sans rien enregistrer.")
        {
            files,
        };
        command.SetAction((parseResult, cancellationToken) =>
            new ValidateCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(
                parseResult.GetRequiredValue(files),
                cancellationToken));
        return command;
    }

    /// <summary>Reads the files, validates every grid and prints the results; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var (grids, rejections) = ReadFiles(files);
        try
        {
            var (checkedGrids, refused) = await CheckWorkbookSchemasAsync(grids, cancellationToken);
            grids = checkedGrids;
            rejections += refused;
        }
        catch (ServerUnreachableException ex)
        {
            ReportUnreachable(ex, grids.Count);
            return ExitCodes.Unreachable;
        }

        var client = new GridService.GridServiceClient(Channel);
        var tally = new Tally { Failed = rejections };

        async Task<Outcome> Validate(GridEntry entry, CancellationToken ct)
        {
            var request = new ValidateGridRequest { Grid = entry.Grid };
            try
            {
                var response = await CallAsync(c => client.ValidateGridAsync(request, cancellationToken: c).ResponseAsync, ct);
                return new Outcome(response, null);
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
            {
                return new Outcome(null, ex);
            }
        }

        void Report(GridEntry entry, Outcome outcome)
        {
            tally.Processed++;
            if (outcome.Response is { } response)
            {
                var gridWarnings = response.Violations.Count(v => v.Severity == Severity.Warning);
                tally.Warnings += gridWarnings;
                if (response.Valid)
                {
                    tally.Passed++;
                    var suffix = gridWarnings > 0 ? $", {Labels.Count(gridWarnings, "avertissement", "avertissements")}" : "";
                    Console.MarkupLineInterpolated(
                        $"[green]{ViolationRenderer.Ok(Console)} {entry.Label} : valide{suffix}[/] [grey]({entry.Source})[/]");
                }
                else
                {
                    tally.Failed++;
                    Console.MarkupLineInterpolated(
                        $"[red]{ViolationRenderer.Ko(Console)} {entry.Label} : invalide[/] [grey]({entry.Source})[/]");
                }

                ViolationRenderer.Write(Console, response.Violations, entry.Locate);
            }
            else if (outcome.Failure is { } failure)
            {
                tally.Failed++;
                Console.MarkupLineInterpolated(
                    $"[red]{ViolationRenderer.Ko(Console)} {entry.Label} : refusée par le serveur ({RpcErrors.StatusName(failure.StatusCode)})[/] [grey]({entry.Source})[/]");
                ViolationRenderer.WriteIndented(Console, Markup.Escape(RpcErrors.Detail(failure)));
                ViolationRenderer.Write(Console, RpcErrors.Violations(failure), entry.Locate);
            }
        }

        return await RunAndSummarizeAsync<Outcome>(
            grids, "Validation des grilles", Validate, Report, tally, ("valide", "valides"), ("invalide", "invalides"), cancellationToken);
    }

    private sealed record Outcome(ValidateGridResponse? Response, RpcException? Failure);
}
