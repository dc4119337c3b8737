using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Observatoire.Core.Access;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Data;
using Observatoire.Protos.V1;
using Observatoire.Server.Audit;
using Observatoire.Server.Grids;
using Observatoire.Server.Infrastructure;
using Observatoire.Server.Security;

namespace Observatoire.Server.Grpc;

/// <summary>Receives grids: validation, submission (one or many), revisions. A post key acts for its own posts only.</summary>
internal sealed class GridGrpcService(
    GridIntake intake,
    IServiceScopeFactory scopes,
    GridStore store,
    SchemaCatalog catalog,
    AuditLog audit,
    IOptions<ObservatoireOptions> options,
    StorageHealth storage,
    ApiKeyStore keys,
    StreamedAnswers streamedAnswers,
    IOptions<SecurityOptions> security,
    TimeProvider clock,
    ILogger<GridGrpcService> logger) : GridService.GridServiceBase
{
    private const int MaxIdLength = 128;

    /// <summary>Grids of one stream validated and written at once, answered in order: enough to fill a group commit, bounded.</summary>
    private const int MaxGridsInFlight = 32;

    private static readonly Timestamp EarliestReception = Timestamp.FromDateTime(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    private static readonly Timestamp LatestTimestamp = Timestamp.FromDateTime(new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc));

    [Authorize(Policy = Rights.Submit)]
    public override async Task<ValidateGridResponse> ValidateGrid(ValidateGridRequest request, ServerCallContext context)
    {
        var grid = CheckGrid(request.Grid);
        AccessPolicy.ForSubmission(context.Caller(), grid.PostId, historical: false).OrDeny();
        var result = await intake.ValidateAsync(ProtoMapping.ToDomain(grid), context.CancellationToken);
        return new ValidateGridResponse
        {
            Valid = result.IsValid,
            Violations = { result.Violations.Take(options.Value.MaxReportedViolations).Select(ProtoMapping.ToProto) },
        };
    }

    [Authorize(Policy = Rights.Submit)]
    public override Task<SubmitGridResponse> SubmitGrid(SubmitGridRequest request, ServerCallContext context) =>
        SubmitAsync(intake, request, context.Caller(), context.CancellationToken);

    /// <summary>
    /// Several grids in flight (at most <see cref="MaxGridsInFlight"/>), each in its own scope, so that a stream's
    /// grids share group commits; answered in the order they came. A rejected or failed grid never ends the stream.
    /// </summary>
    [Authorize(Policy = Rights.Submit)]
    public override async Task SubmitGrids(
        IAsyncStreamReader<SubmitGridRequest> requestStream,
        IServerStreamWriter<SubmitGridResult> responseStream,
        ServerCallContext context)
    {
        var caller = context.Caller();
        using var answer = streamedAnswers.Begin(responseStream, context, OpenStreamKind.Grids);
        responseStream = answer.Writer;
        var key = OpenCallKey.Of(context, keys, clock);
        RpcException? withdrawn = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);

        // The wait for the next grid is bounded (not the work on one): an idle stream is closed, every grid answered.
        var idleSeconds = security.Value.StreamIdleSeconds;
        var idleAfter = idleSeconds > 0 ? TimeSpan.FromSeconds(idleSeconds) : Timeout.InfiniteTimeSpan;
        using var idle = new CancellationTokenSource();
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, idle.Token);
        var inFlight = Channel.CreateBounded<Task<SubmitGridResult>>(new BoundedChannelOptions(MaxGridsInFlight) { SingleReader = true, SingleWriter = true });
        var answers = Task.Run(async () =>
        {
            try
            {
                await foreach (var answer in inFlight.Reader.ReadAllAsync(stop.Token))
                {
                    await responseStream.WriteAsync(await answer, stop.Token);
                }
            }
            catch
            {
                // The reading loop must not wait for room that will never come.
                await stop.CancelAsync();
                throw;
            }
        });

        // Grids of the stream for the same post and period, or with the same submission id, are taken in the
        // order sent (a correction after its original stays the current revision); the others overlap.
        var latest = new Dictionary<string, Task>(StringComparer.Ordinal);
        try
        {
            idle.CancelAfter(idleAfter);
            await foreach (var request in requestStream.ReadAllAsync(reading.Token))
            {
                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                // A key revoked or expired while the stream is open ends it here: what came before is answered.
                if (await key.RefusalAsync(stop.Token) is { } refusal)
                {
                    withdrawn = refusal;
                    break;
                }

                string[] order = [$"g\n{request.Grid?.PostId}\n{request.Grid?.Period}", $"s\n{request.SubmissionId}"];
                var before = Task.WhenAll(order.Select(k => latest.GetValueOrDefault(k) ?? Task.CompletedTask));
                var submitted = SubmitInStreamAsync(request, before, caller, context);
                if (latest.Count >= 4 * MaxGridsInFlight)
                {
                    // At most MaxGridsInFlight are unfinished: the finished ones order nothing any more.
                    foreach (var done in latest.Where(l => l.Value.IsCompleted).Select(l => l.Key).ToList())
                    {
                        latest.Remove(done);
                    }
                }

                foreach (var k in order)
                {
                    latest[k] = submitted;
                }

                await inFlight.Writer.WriteAsync(submitted, stop.Token);
                idle.CancelAfter(idleAfter);
            }
        }
        catch (OperationCanceledException) when (answers.IsFaulted)
        {
            // The answering side failed first: its error is the one to report.
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException && idle.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            withdrawn = new RpcException(new Status(
                StatusCode.Unavailable,
                $"Flux de grilles fermé après {idleSeconds} s sans grille reçue ; chaque grille envoyée a reçu sa réponse. Ouvrez un nouveau flux pour en envoyer d'autres."));
        }
        finally
        {
            inFlight.Writer.TryComplete();
        }

        await answers;
        if (withdrawn is not null)
        {
            throw withdrawn;
        }
    }

    private async Task<SubmitGridResult> SubmitInStreamAsync(SubmitGridRequest request, Task before, CallerScope caller, ServerCallContext context)
    {
        var result = new SubmitGridResult { SubmissionId = ClientText.Quote(request.SubmissionId, MaxIdLength), Status = StatusNames.Of(StatusCode.OK) };
        try
        {
            await before;
            if (RequestTextGuard.Refusal(request) is { } refusal)
            {
                throw refusal;
            }

            await using var scope = scopes.CreateAsyncScope();
            result.Response = await SubmitAsync(scope.ServiceProvider.GetRequiredService<GridIntake>(), request, caller, context.CancellationToken);
            result.Message = result.Response.Replayed ? "Grille déjà reçue" : "Grille enregistrée";
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            var error = e as RpcException
                ?? (StorageErrors.Classify(e) is not StorageErrorKind.None
                    ? StorageGuardInterceptor.Translate(e, storage, logger)
                    : UnexpectedErrorInterceptor.Internal(logger, e, context.Method));
            result.Status = StatusNames.Of(error.StatusCode);
            result.Message = error.Status.Detail;
            if (error.GetRpcStatus()?.GetDetail<ValidateGridResponse>() is { } detail)
            {
                result.Violations.AddRange(detail.Violations);
            }
        }

        return result;
    }

    [Authorize(Policy = Rights.Read)]
    public override async Task<StoredGrid> GetGrid(GetGridRequest request, ServerCallContext context)
    {
        await AuthorizeGridReadAsync(context, request.PostId, $"{request.PostId} {request.Period} r{request.Revision}", "GetGrid");
        var stored = await store.GetAsync(request.PostId, request.Period, request.Revision, context.CancellationToken)
            ?? throw RpcErrors.NotFound(request.Revision == 0
                ? $"Aucune grille du poste « {ClientText.Quote(request.PostId)} » pour la période « {ClientText.Quote(request.Period)} »."
                : $"La révision {request.Revision} de la grille du poste « {ClientText.Quote(request.PostId)} » pour « {ClientText.Quote(request.Period)} » n'existe pas.");
        var revision = stored.Revision;
        var warnings = GridIntake.DeserializeWarnings(revision.WarningsJson);
        return new StoredGrid
        {
            Grid = ProtoMapping.ToProto(revision, catalog.Find(revision.SchemaVersion)),
            Revision = ProtoMapping.ToRevisionInfo(revision, warnings.Count),
            Warnings = { warnings.Select(ProtoMapping.ToProto) },
            Current = stored.IsCurrent,
        };
    }

    [Authorize(Policy = Rights.Read)]
    public override async Task<ListRevisionsResponse> ListRevisions(ListRevisionsRequest request, ServerCallContext context)
    {
        await AuthorizeGridReadAsync(context, request.PostId, $"{request.PostId} {request.Period}", "ListRevisions");
        var revisions = await store.ListRevisionsAsync(request.PostId, request.Period, context.CancellationToken);
        return new ListRevisionsResponse
        {
            Revisions = { revisions.Select(r => ProtoMapping.ToRevisionInfo(r, GridIntake.DeserializeWarnings(r.WarningsJson).Count)) },
        };
    }

    /// <summary>A post's stored grids are raw figures: for the post itself and the administrator, audited.</summary>
    private async Task AuthorizeGridReadAsync(ServerCallContext context, string postId, string target, string rpc)
    {
        var caller = context.Caller();
        AccessPolicy.ForPostGrids(caller, postId).OrDeny();
        await audit.RecordAsync(caller, AuditActions.RawRead, target, postId, rpc, context.CancellationToken);
    }

    private async Task<SubmitGridResponse> SubmitAsync(GridIntake scoped, SubmitGridRequest request, CallerScope caller, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.SubmissionId) || request.SubmissionId.Length > MaxIdLength)
        {
            throw RpcErrors.InvalidField("submission_id", "IDENTIFIANT_SOUMISSION", $"L'identifiant de soumission est obligatoire et compte au plus {MaxIdLength} caractères.");
        }

        if (request.ClientId.Length > MaxIdLength)
        {
            throw RpcErrors.InvalidField("client_id", "IDENTIFIANT_CLIENT", $"L'identifiant du client compte au plus {MaxIdLength} caractères.");
        }

        var grid = CheckGrid(request.Grid);

        // received_at is honoured for the administrator only; any other caller stating it is refused, not ignored,
        // so that an import tool never believes its dates were kept.
        AccessPolicy.ForSubmission(caller, grid.PostId, historical: request.ReceivedAt is not null).OrDeny();
        var result = await scoped.SubmitAsync(
            ProtoMapping.ToDomain(grid),
            request.SubmissionId,
            request.ClientId.Length > 0 ? request.ClientId : "inconnu",
            HistoricalReception(request),
            caller,
            ct);
        if (result.Stored is not { } stored)
        {
            throw RpcErrors.Rejected(result.Validation.Violations, options.Value.MaxReportedViolations);
        }

        SubmissionConflict.ThrowIfAny(stored, caller, request.SubmissionId);

        return new SubmitGridResponse
        {
            PostId = stored.Revision.PostId,
            Period = stored.Revision.Period,
            Revision = stored.Revision.Revision,
            ContentHash = stored.Revision.ContentHash,
            ReceivedAt = ProtoMapping.ToRevisionInfo(stored.Revision, 0).ReceivedAt,
            Warnings = { result.Warnings.Select(ProtoMapping.ToProto) },
            Replayed = stored.Outcome != StoreOutcome.Created,
        };
    }

    private DateTime? HistoricalReception(SubmitGridRequest request)
    {
        if (request.ReceivedAt is null)
        {
            return null;
        }

        if (!options.Value.AllowHistoricalImport)
        {
            throw RpcErrors.InvalidField("received_at", "IMPORT_HISTORIQUE_INTERDIT", "Ce serveur n'accepte pas de date de réception fournie par le client.");
        }

        // Timestamp.ToDateTime throws outside years 1 to 9999 or on bad nanoseconds: check the fields first.
        var stamp = request.ReceivedAt;
        if (stamp.Nanos is < 0 or > 999_999_999 || stamp.Seconds < EarliestReception.Seconds || stamp.Seconds > LatestTimestamp.Seconds)
        {
            throw RpcErrors.InvalidField("received_at", "RECEPTION_HORS_LIMITES", "La date de réception doit être comprise entre le 1er janvier 2000 et aujourd'hui.");
        }

        var receivedAt = stamp.ToDateTime();
        if (receivedAt > intake.Now.AddMinutes(5))
        {
            throw RpcErrors.InvalidField("received_at", "RECEPTION_FUTURE", "La date de réception ne peut pas être dans le futur.");
        }

        if (Core.Periods.Period.TryParse(request.Grid?.Period, out var period) && DateOnly.FromDateTime(receivedAt) <= period.End)
        {
            throw RpcErrors.InvalidField("received_at", "RECEPTION_AVANT_FIN_PERIODE", $"Une grille ne peut pas avoir été reçue avant la fin de sa période ({period.End:yyyy-MM-dd}).");
        }

        return receivedAt;
    }

    private Grid CheckGrid(Grid? grid)
    {
        if (grid is null)
        {
            throw RpcErrors.InvalidField("grid", "GRILLE_ABSENTE", "La grille est obligatoire.");
        }

        if (grid.Values.Count > options.Value.MaxCellsPerGrid)
        {
            throw RpcErrors.InvalidField("grid.values", "TROP_DE_CELLULES", $"La grille compte {grid.Values.Count} cellules : {options.Value.MaxCellsPerGrid} au plus.");
        }

        if (grid.PostId.Length > MaxIdLength)
        {
            throw RpcErrors.InvalidField("grid.post_id", "POSTE_INCONNU", $"L'identifiant de poste compte au plus {MaxIdLength} caractères.");
        }

        return grid;
    }
}
