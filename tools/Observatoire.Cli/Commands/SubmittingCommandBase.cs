using Grpc.Core;
using Observatoire.Cli.Grids;
using Observatoire.Cli.Infrastructure;
using Observatoire.Cli.Outbox;
using Observatoire.Protos.V1;
using Spectre.Console;
using Grid = Observatoire.Protos.V1.Grid;

namespace Observatoire.Cli.Commands;

/// <summary>What submit and sync share: sending one grid, reporting the answer, and emptying the outbox.</summary>
public abstract class SubmittingCommandBase : GridCommandBase
{
    /// <summary>Client id recorded with the revisions when --client-id is not given.</summary>
    public const string DefaultClientId = "observatoire-cli";

    /// <summary>Creates a command bound to a context and a server address.</summary>
    protected SubmittingCommandBase(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The user's outbox, or null when the user has no data folder (then nothing can wait).</summary>
    protected GridOutbox? Outbox => GridOutbox.DataFolder(Context.Settings.GetEnvironmentVariable) is null
        ? null
        : GridOutbox.ForUser(Context.Settings.GetEnvironmentVariable);

    /// <summary>
    /// Whether a refusal can only be fixed by changing the grid (or the server's data), so that sending it again is
    /// useless: such an outbox entry is moved aside. Others (access, load, a server fault) are tried again later.
    /// </summary>
    public static bool IsFinal(StatusCode code) => code is StatusCode.InvalidArgument or StatusCode.AlreadyExists
        or StatusCode.FailedPrecondition or StatusCode.OutOfRange or StatusCode.NotFound or StatusCode.Unimplemented;

    /// <summary>Submits a grid under a submission id, with the retry policy; throws <see cref="ServerUnreachableException"/>.</summary>
    protected async Task<(SubmitGridResponse? Response, RpcException? Failure)> SendAsync(
        Grid grid, string submissionId, string clientId, CancellationToken cancellationToken)
    {
        var client = new GridService.GridServiceClient(Channel);
        var request = new SubmitGridRequest { SubmissionId = submissionId, ClientId = clientId, Grid = grid };
        try
        {
            return (await CallAsync(c => client.SubmitGridAsync(request, cancellationToken: c).ResponseAsync, cancellationToken), null);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
        {
            return (null, ex);
        }
    }

    /// <summary>Prints an accepted grid and its warnings, and counts it.</summary>
    protected void ReportAccepted(GridEntry entry, SubmitGridResponse response, Tally tally, string note = "")
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
            $"[green]{ViolationRenderer.Ok(Console)} {label} : acceptée{note}, révision {response.Revision}{replayed}{warningText}[/] [grey]({entry.Source})[/]");
        ViolationRenderer.Write(Console, response.Warnings, entry.Locate);
    }

    /// <summary>Prints a refused grid with the server's reasons, and counts it.</summary>
    protected void ReportRefused(GridEntry entry, RpcException failure, Tally tally, string note = "")
    {
        tally.Failed++;
        var reason = failure.StatusCode == StatusCode.InvalidArgument
            ? "rejetée"
            : $"refusée par le serveur ({RpcErrors.StatusName(failure.StatusCode)})";
        Console.MarkupLineInterpolated(
            $"[red]{ViolationRenderer.Ko(Console)} {entry.Label} : {reason}{note}[/] [grey]({entry.Source})[/]");
        var violations = RpcErrors.Violations(failure);
        if (violations.Count == 0 || !string.IsNullOrWhiteSpace(failure.Status.Detail))
        {
            ViolationRenderer.WriteIndented(Console, Markup.Escape(RpcErrors.Detail(failure)));
        }

        ViolationRenderer.Write(Console, violations, entry.Locate);
    }

    /// <summary>
    /// Sends the outbox's grids meant for this server, oldest first, each under its own submission id: an accepted grid
    /// (or one the server already had) leaves the outbox, a grid refused for good is moved aside with the reason, any
    /// other failure leaves it waiting. Returns the exception that stopped it when the server could not be reached.
    /// </summary>
    protected async Task<ServerUnreachableException?> SendOutboxAsync(GridOutbox? outbox, Tally tally, CancellationToken cancellationToken)
    {
        if (outbox is null)
        {
            return null;
        }

        var (entries, unreadable) = outbox.Pending();
        foreach (var file in unreadable)
        {
            var moved = outbox.MoveUnreadableAside(file);
            tally.Failed++;
            Console.MarkupLineInterpolated($"[red]{ViolationRenderer.Ko(Console)} Boîte d'envoi : fichier illisible, mis de côté tel quel : {moved}[/]");
        }

        var mine = entries.Where(e => SameServer(e.Server, Server)).ToList();
        if (entries.Count > mine.Count)
        {
            Console.MarkupLineInterpolated(
                $"[yellow]Boîte d'envoi : {Labels.Count(entries.Count - mine.Count, "grille attend", "grilles attendent")} un autre serveur ({string.Join(", ", entries.Except(mine).Select(e => e.Server).Distinct())}) : non envoyées ici.[/]");
        }

        if (mine.Count == 0)
        {
            return null;
        }

        Console.MarkupLineInterpolated($"Boîte d'envoi : {Labels.Count(mine.Count, "grille en attente", "grilles en attente")}, envoyées d'abord.");
        foreach (var waiting in mine)
        {
            var entry = new GridEntry(waiting.Grid, waiting.Source, 0, 0)
            {
                Description = $"boîte d'envoi, {waiting.Source}",
                Locate = path => waiting.Places.GetValueOrDefault(path),
            };
            waiting.Attempts++;
            SubmitGridResponse? response;
            RpcException? failure;
            try
            {
                (response, failure) = await SendAsync(waiting.Grid, waiting.SubmissionId, waiting.ClientId, cancellationToken);
            }
            catch (ServerUnreachableException ex)
            {
                waiting.LastError = RpcErrors.StatusName(StatusCode.Unavailable);
                outbox.Save(waiting);
                return ex;
            }

            if (response is not null)
            {
                ReportAccepted(entry, response, tally, " (depuis la boîte d'envoi)");

                // Removed only now that the server has answered: a crash before this line sends it again, under the
                // same submission id, and the server answers with the revision it already stored.
                outbox.Remove(waiting);
            }
            else if (failure is not null && IsFinal(failure.StatusCode))
            {
                ReportRefused(entry, failure, tally);
                outbox.MoveAside(waiting, RefusalText(failure), Context.Settings.Clock.GetUtcNow());
                ViolationRenderer.WriteIndented(Console, Markup.Escape($"Mise de côté (un nouvel envoi n'y changerait rien) : {outbox.RefusedFolder}"));
            }
            else if (failure is not null)
            {
                ReportRefused(entry, failure, tally, " ; elle reste dans la boîte d'envoi");
                waiting.LastError = $"{RpcErrors.StatusName(failure.StatusCode)} : {RpcErrors.Detail(failure)}";
                outbox.Save(waiting);
            }
        }

        return null;
    }

    /// <summary>Puts grids in the outbox under their submission ids and says where.</summary>
    /// <returns>How many grids wait in the outbox (fewer than given when it cannot be written).</returns>
    protected int Queue(GridOutbox? outbox, IReadOnlyList<(GridEntry Entry, string SubmissionId)> grids, string clientId, ServerUnreachableException reason)
    {
        Context.Error.MarkupLineInterpolated($"[yellow]{RpcErrors.Unreachable(Server, reason.Rpc)}[/]");
        if (outbox is null)
        {
            Context.Error.MarkupLineInterpolated(
                $"[red]{Labels.Count(grids.Count, "grille non envoyée", "grilles non envoyées")} et non gardée(s) : aucun dossier de données pour la boîte d'envoi (variable {GridOutbox.DataFolderEnvironmentVariable}). Relancez la commande une fois le serveur disponible.[/]");
            return 0;
        }

        var count = 0;
        foreach (var (entry, submissionId) in grids)
        {
            var places = new Dictionary<string, string>(StringComparer.Ordinal);
            if (entry.Locate is { } locate)
            {
                foreach (var path in entry.Grid.Values.Keys.Concat(["comment", "post_id", "period"]))
                {
                    if (locate(path) is { } place)
                    {
                        places[path] = place;
                    }
                }
            }

            var waiting = new OutboxEntry
            {
                SubmissionId = submissionId,
                ClientId = clientId,
                Server = Server,
                Source = entry.Source,
                QueuedAt = Context.Settings.Clock.GetUtcNow(),
                Grid = entry.Grid,
                Places = places,
                Attempts = 1,
                LastError = RpcErrors.StatusName(StatusCode.Unavailable),
            };
            try
            {
                outbox.Save(waiting);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Context.Error.MarkupLineInterpolated(
                    $"[red]{entry.Label} : non envoyée et non gardée, écriture impossible dans la boîte d'envoi ({outbox.Folder}) : {ex.Message}[/]");
                continue;
            }

            Console.MarkupLineInterpolated($"[yellow]↻ {entry.Label} : gardée dans la boîte d'envoi[/] [grey]({entry.Source})[/]");
            count++;
        }

        if (count > 0)
        {
            Context.Error.MarkupLineInterpolated(
                $"[yellow]{Labels.Count(count, "grille gardée", "grilles gardées")} dans la boîte d'envoi ({outbox.Folder}) : envoi au prochain submit, ou avec observatoire sync.[/]");
        }

        return count;
    }

    private static string RefusalText(RpcException failure)
    {
        var lines = new List<string> { $"{RpcErrors.StatusName(failure.StatusCode)} : {RpcErrors.Detail(failure)}" };
        lines.AddRange(RpcErrors.Violations(failure).Select(v => $"{Labels.Severity(v.Severity)} {v.RuleCode} {v.Path} : {v.Message}"));
        return string.Join('\n', lines);
    }

    private static bool SameServer(string a, string b) => Normalize(a) == Normalize(b);

    private static string Normalize(string server) =>
        Uri.TryCreate(server, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path).TrimEnd('/').ToLowerInvariant() : server;
}
