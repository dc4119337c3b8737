using Grpc.Core;
using Observatoire.Cli.Grids;
using Observatoire.Cli.Infrastructure;
using Observatoire.Cli.Workbooks;
using Observatoire.Protos.V1;
using Observatoire.Workbooks;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>What validate and submit share: reading grid files, reporting their errors, running calls with a progress bar.</summary>
public abstract class GridCommandBase : CommandBase
{
    /// <summary>Creates a grid command bound to a context and a server address.</summary>
    protected GridCommandBase(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>Reads every file (a folder stands for its .json and .csv files) and prints the problems found.</summary>
    /// <returns>The grids to send, and the number of rejections the file problems count for.</returns>
    protected (IReadOnlyList<GridEntry> Grids, int Rejections) ReadFiles(IEnumerable<string> paths)
    {
        var grids = new List<GridEntry>();
        var rejections = 0;
        foreach (var path in GridFileReader.ExpandPaths(paths))
        {
            var result = GridFileReader.Read(path);
            grids.AddRange(result.Grids);
            rejections += result.RejectionCount;
            foreach (var error in result.Errors)
            {
                Console.MarkupLineInterpolated($"[red]{ViolationRenderer.Ko(Console)} Fichier {error.ToString()}[/]");
            }
        }

        if (rejections > 0)
        {
            Console.MarkupLineInterpolated(
                $"[red]{Labels.Count(rejections, "rejet", "rejets")} pour erreur de lecture : les grilles en cause ne sont pas envoyées.[/]");
        }

        return (grids, rejections);
    }

    /// <summary>
    /// Keeps the grids of workbooks only when their sheet was generated for the schema the server now serves for their
    /// period (same version, same cells); prints why the others are refused. Grids from other files pass through.
    /// Throws <see cref="ServerUnreachableException"/> when the server cannot be asked.
    /// </summary>
    protected async Task<(IReadOnlyList<GridEntry> Grids, int Rejections)> CheckWorkbookSchemasAsync(
        IReadOnlyList<GridEntry> grids, CancellationToken cancellationToken)
    {
        if (grids.All(g => g.SchemaFingerprint is null))
        {
            return (grids, 0);
        }

        var client = new SchemaService.SchemaServiceClient(Channel);
        var byPeriod = new Dictionary<string, (Schema? Schema, string? Failure)>(StringComparer.Ordinal);
        var kept = new List<GridEntry>();
        var rejections = 0;
        foreach (var grid in grids)
        {
            if (grid.SchemaFingerprint is not { } fingerprint)
            {
                kept.Add(grid);
                continue;
            }

            var period = grid.Grid.Period;
            if (!byPeriod.TryGetValue(period, out var answer))
            {
                try
                {
                    answer = (await CallAsync(
                        ct => client.GetSchemaAsync(new GetSchemaRequest { Period = period }, cancellationToken: ct).ResponseAsync,
                        cancellationToken), null);
                }
                catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
                {
                    answer = (null, $"le serveur n'a aucune grille pour la période {period}.");
                }
                catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
                {
                    answer = (null, $"grille de la période {period} non obtenue ({RpcErrors.StatusName(ex.StatusCode)} : {RpcErrors.Detail(ex)}).");
                }

                byPeriod[period] = answer;
            }

            var served = answer.Schema;
            var problem = served is null
                ? answer.Failure
                : served.Version != grid.Grid.SchemaVersion
                    ? $"classeur généré pour la grille {grid.Grid.SchemaVersion}, mais le serveur attend la grille {served.Version} pour la période {period}."
                    : SchemaCells.Fingerprint(served) != fingerprint
                        ? $"la grille {served.Version} du serveur n'a plus les cases de ce classeur."
                        : null;
            if (problem is null)
            {
                kept.Add(grid);
                continue;
            }

            rejections++;
            Console.MarkupLineInterpolated(
                $"[red]{ViolationRenderer.Ko(Console)} {grid.Label} : refusée, {problem} Générez un nouveau classeur (observatoire modele --year {period[..Math.Min(4, period.Length)]}) et reportez-y vos chiffres.[/] [grey]({grid.Source})[/]");
        }

        return (kept, rejections);
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on each grid in order and reports each outcome. With more grids than the
    /// threshold on an interactive console, a progress bar is shown and the outcomes are reported once it is done.
    /// A <see cref="ServerUnreachableException"/> stops the run after reporting the outcomes already known.
    /// </summary>
    protected async Task RunAsync<TOutcome>(
        IReadOnlyList<GridEntry> grids,
        string description,
        Func<GridEntry, CancellationToken, Task<TOutcome>> operation,
        Action<GridEntry, TOutcome> report,
        CancellationToken cancellationToken)
    {
        var settings = Context.Settings;
        var useProgress = grids.Count > settings.ProgressThreshold
            && (settings.ShowProgress ?? Console.Profile.Capabilities.Interactive);
        if (!useProgress)
        {
            foreach (var grid in grids)
            {
                report(grid, await operation(grid, cancellationToken));
            }

            return;
        }

        var done = new List<(GridEntry Grid, TOutcome Outcome)>();
        try
        {
            await Console.Progress()
                .AutoClear(true)
                .Columns(
                    new TaskDescriptionColumn(),
                    new ProgressBarColumn(),
                    new PercentageColumn(),
                    new RemainingTimeColumn(),
                    new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(description, maxValue: grids.Count);
                    foreach (var grid in grids)
                    {
                        done.Add((grid, await operation(grid, cancellationToken)));
                        task.Increment(1);
                    }
                });
        }
        finally
        {
            foreach (var (grid, outcome) in done)
            {
                report(grid, outcome);
            }
        }
    }

    /// <summary>Counts of a validate or submit run.</summary>
    protected sealed class Tally
    {
        public int Passed { get; set; }

        public int Failed { get; set; }

        public int Warnings { get; set; }

        public int Processed { get; set; }
    }

    /// <summary>
    /// Runs every grid, then prints the summary ("Bilan : ...") with the given words for passed and failed grids;
    /// returns the exit code (unreachable when the server went away, rejected when any grid failed).
    /// </summary>
    protected async Task<int> RunAndSummarizeAsync<TOutcome>(
        IReadOnlyList<GridEntry> grids,
        string description,
        Func<GridEntry, CancellationToken, Task<TOutcome>> operation,
        Action<GridEntry, TOutcome> report,
        Tally tally,
        (string One, string Many) passed,
        (string One, string Many) failed,
        CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(grids, description, operation, report, cancellationToken);
        }
        catch (ServerUnreachableException ex)
        {
            WriteSummary();
            ReportUnreachable(ex, grids.Count - tally.Processed);
            return ExitCodes.Unreachable;
        }

        WriteSummary();
        return tally.Failed > 0 ? ExitCodes.Rejected : ExitCodes.Success;

        void WriteSummary()
        {
            Console.WriteLine();
            var style = tally.Failed > 0 ? "red" : "green";
            Console.MarkupLineInterpolated(
                $"[{style}]Bilan : {Labels.Count(tally.Passed, passed.One, passed.Many)}, {Labels.Count(tally.Failed, failed.One, failed.Many)}, {Labels.Count(tally.Warnings, "avertissement", "avertissements")}.[/]");
        }
    }

    /// <summary>Prints why the run stopped when the server became unreachable.</summary>
    protected void ReportUnreachable(ServerUnreachableException exception, int remaining)
    {
        Context.Error.MarkupLineInterpolated($"[red]{RpcErrors.Unreachable(Server, exception.Rpc)}[/]");
        if (remaining > 0)
        {
            Context.Error.MarkupLineInterpolated(
                $"[red]{Labels.Count(remaining, "grille non traitée", "grilles non traitées")}.[/] Relancez la commande une fois le serveur disponible.");
        }
    }
}
