using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>What the analyst verbs share: the aggregate client, the refusal report and the result writer.</summary>
public abstract class AnalysisCommandBase : CommandBase
{
    /// <summary>Creates an analyst command bound to a context and a server address.</summary>
    protected AnalysisCommandBase(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The aggregate service client.</summary>
    protected AggregateService.AggregateServiceClient Aggregates => new(Channel);

    /// <summary>
    /// Runs an aggregate call with the retry policy. A refusal (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED...) is printed
    /// in French on the error console and gives null; UNAVAILABLE after the retries propagates (exit code 3).
    /// </summary>
    protected async Task<T?> QueryAsync<T>(Func<CancellationToken, AsyncUnaryCall<T>> call, string what, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await CallAsync(ct => call(ct).ResponseAsync, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Unavailable or StatusCode.Cancelled))
        {
            ReportRefusal(ex, what);
            return null;
        }
    }

    /// <summary>
    /// Runs an aggregate call and writes its answer in the target's format (JSON, CSV or a French table);
    /// returns the exit code (rejected when the server refused).
    /// </summary>
    protected async Task<int> QueryAndWriteAsync<T>(
        Func<CancellationToken, AsyncUnaryCall<T>> call,
        string what,
        OutputTarget target,
        Func<T, CsvTable> toCsv,
        Action<IAnsiConsole, T> render,
        CancellationToken cancellationToken)
        where T : class, Google.Protobuf.IMessage
    {
        var response = await QueryAsync(call, what, cancellationToken);
        if (response is null)
        {
            return ExitCodes.Rejected;
        }

        var writer = Writer(target);
        return target.Format switch
        {
            AnalysisOptions.Json => writer.Json(response),
            AnalysisOptions.Csv => writer.Csv(toCsv(response)),
            _ => writer.Text(console => render(console, response)),
        };
    }

    /// <summary>"Requête refusée par le serveur (introuvable) : message", with the field violations.</summary>
    protected void ReportRefusal(RpcException exception, string what)
    {
        Context.Error.MarkupLineInterpolated(
            $"[red]{what} : requête refusée par le serveur ({RpcErrors.StatusName(exception.StatusCode)})[/] — {RpcErrors.Detail(exception)}");
        ViolationRenderer.Write(Context.Error, RpcErrors.Violations(exception));
        if (exception.StatusCode == StatusCode.PermissionDenied && RawHint is { } hint)
        {
            Context.Error.MarkupLineInterpolated($"[grey]{hint}[/]");
        }
    }

    /// <summary>A hint printed after a PERMISSION_DENIED refusal (e.g. how to ask for raw figures); null for none.</summary>
    protected virtual string? RawHint => "Les chiffres bruts (--raw) sont réservés à l'administration nationale ; sans --raw, les chiffres publiables ne descendent pas au niveau du poste.";

    /// <summary>The writer of the command line's output target.</summary>
    protected ReportWriter Writer(OutputTarget target) => new(Context, target);

    /// <summary>Writes notes as a list ("Notes :" then one bullet each); nothing when there are none.</summary>
    protected static void WriteNotes(IAnsiConsole console, IReadOnlyCollection<string> notes)
    {
        if (notes.Count == 0)
        {
            return;
        }

        console.WriteLine();
        console.MarkupLine("[bold]Notes[/]");
        foreach (var note in notes)
        {
            console.MarkupLineInterpolated($"  [grey]-[/] {note}");
        }
    }

    /// <summary>
    /// The instant to read the figures at: --as-of as given, or the cut-off of the edition named by --edition (asked of
    /// the server). Null for today's figures; the refusal is printed and false returned when the edition is unknown.
    /// </summary>
    protected internal async Task<(bool Found, Timestamp? AsOf)> InstantAsync(FigureInstant instant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instant);
        if (instant.Edition is not { } name)
        {
            return (true, instant.AsOf);
        }

        var editions = new EditionService.EditionServiceClient(Channel);
        var named = await QueryAsync(ct => editions.ListEditionsAsync(new ListEditionsRequest { Edition = name }, cancellationToken: ct), $"Édition « {name} » non trouvée", cancellationToken);
        if (named is null)
        {
            return (false, null);
        }

        if (named.Editions.FirstOrDefault() is { } edition)
        {
            return (true, edition.CutOff);
        }

        var latest = await QueryAsync(ct => editions.ListEditionsAsync(new ListEditionsRequest { Limit = 10 }, cancellationToken: ct), $"Édition « {name} » non trouvée", cancellationToken);
        if (latest is null)
        {
            return (false, null);
        }

        var names = latest.Editions.Count == 0 ? "aucune" : string.Join(", ", latest.Editions.Select(e => e.Name)) + (latest.Truncated ? "… (observatoire editions les liste toutes)" : "");
        Context.Error.MarkupLineInterpolated($"[red]L'édition « {name} » n'existe pas.[/] Les éditions publiées : {names}.");
        return (false, null);
    }

    /// <summary>Runs a read at the instant of --as-of or --edition: <paramref name="set"/> puts it in the request first.</summary>
    protected internal async Task<int> AtInstantAsync(FigureInstant instant, Action<Timestamp?> set, Func<Task<int>> run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(run);
        var (found, asOf) = await InstantAsync(instant, cancellationToken);
        if (!found)
        {
            return ExitCodes.Rejected;
        }

        set(asOf);
        return await run();
    }

    /// <summary>A new table in the house style.</summary>
    protected static Table NewTable() => new Table().Border(TableBorder.Rounded);
}
