using System.Text.Json;
using Grpc.Core;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Core.Consolidation;
using Observatoire.Data;
using Observatoire.Core.Access;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Audit;
using Observatoire.Server.Campaigns;
using Observatoire.Server.Grpc;
using Observatoire.Server.Infrastructure;
using Observatoire.Server.Telemetry;

namespace Observatoire.Server.Grids;

/// <summary>The result of taking in a grid: its violations, and what storage did when it was valid.</summary>
internal sealed record IntakeResult(ValidationResult Validation, StoreResult? Stored, IReadOnlyList<Violation> Warnings);

/// <summary>
/// Validates a grid in the context of its post (registry, history, today) and, when asked, stores it.
/// </summary>
internal sealed class GridIntake(
    GridValidator validator,
    SchemaCatalog catalog,
    GridStore store,
    ConsolidationState consolidation,
    CampaignDesk campaigns,
    AuditLog audit,
    StorageHealth storage,
    ObservatoireMetrics metrics,
    TimeProvider clock)
{
    private static readonly JsonSerializerOptions WarningJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Task<ValidationResult> ValidateAsync(GridInput grid, CancellationToken ct) =>
        ValidateAsync(grid, consolidation.Registry, ct);

    /// <summary>
    /// Validates against one registry snapshot, the one consolidation uses: a post added or moved at run time is
    /// known to validation and consolidation at once (the snapshot is replaced when the registry changes).
    /// </summary>
    private Task<ValidationResult> ValidateAsync(GridInput grid, RegistrySnapshot registry, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var post = registry.Posts.TryGetValue(grid.PostId, out var info)
            ? new PostContext(info.Id, info.Frequency, info.ActiveFrom, info.ActiveTo)
            : null;
        var schema = catalog.Find(grid.SchemaVersion) ?? catalog.Latest;
        var parsed = Period.TryParse(grid.Period, out var period);
        var history = post is not null && parsed
            ? History(grid.PostId, period, schema.Limits.OutlierHistory)
            : [];
        var sameYear = parsed && period.Kind == PeriodKind.Year ? SameYear(grid.PostId, period) : [];
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return Task.FromResult(validator.Validate(grid, new ValidationContext(today, post, history, sameYear)));
    }

    /// <summary>
    /// The post's current grids of the same period kind before <paramref name="period"/>, newest first: from the
    /// cube, which holds exactly the current revisions the database holds, without a query per submission. Each is
    /// read in place (<see cref="CellValues"/>), not copied.
    /// </summary>
    private List<IReadOnlyDictionary<string, long>> History(string postId, Period period, int count)
    {
        // The cube gives a post's grids in period order (by first month): the last `count` of the kind before the
        // period's first month are the history, and nothing after it needs reading.
        var recent = new CubeGrid[Math.Max(count, 1)];
        var seen = 0;
        var before = period.FirstMonthOrdinal;
        foreach (var grid in consolidation.Cube.GridsOf(postId))
        {
            if (grid.Period.FirstMonthOrdinal >= before)
            {
                break;
            }

            if (grid.Period.Kind == period.Kind)
            {
                recent[seen++ % recent.Length] = grid;
            }
        }

        var history = new List<IReadOnlyDictionary<string, long>>(Math.Min(count, seen));
        for (var i = 1; i <= Math.Min(count, seen); i++)
        {
            var grid = recent[(seen - i) % recent.Length];
            history.Add(catalog.Find(grid.SchemaVersion) is { } schema
                ? new CellValues(schema, grid.Cells)
                : new Dictionary<string, long>());
        }

        return history;
    }

    /// <summary>For a yearly grid, the post's shorter grids of that year, read in place, for the cross-grid coherence warnings.</summary>
    private List<PeriodGrid> SameYear(string postId, Period year)
    {
        var grids = new List<PeriodGrid>();
        foreach (var grid in consolidation.Cube.GridsOf(postId))
        {
            if (grid.Period.Kind != PeriodKind.Year && year.Contains(grid.Period) && catalog.Find(grid.SchemaVersion) is { } schema)
            {
                grids.Add(new PeriodGrid(grid.Period, new CellValues(schema, grid.Cells)));
            }
        }

        return grids;
    }

    /// <summary>
    /// Validates and stores, with the audit line in the same transaction. A closed period is refused
    /// (FAILED_PRECONDITION) before anything is written, except to the administrator.
    /// </summary>
    public async Task<IntakeResult> SubmitAsync(GridInput grid, string submissionId, string clientId, DateTime? receivedAtUtc, CallerScope caller, CancellationToken ct)
    {
        var registry = consolidation.Registry;
        var validation = await ValidateAsync(grid, registry, ct);
        if (validation.Grid is null)
        {
            metrics.GridRefused(validation.Violations);
            return new IntakeResult(validation, null, []);
        }

        var warnings = validation.Warnings.ToList();
        var department = registry.LocationOf(registry.Posts[grid.PostId], validation.Grid.Period);
        if (!caller.IsAdmin)
        {
            try
            {
                await campaigns.EnsureOpenAsync(validation.Grid.Period, grid.PostId, department, ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                metrics.GridRefused(CampaignDesk.ClosedRuleCode);
                throw;
            }
        }

        StoreResult stored;
        try
        {
            stored = await store.StoreAsync(
                validation.Grid,
                department,
                submissionId,
                clientId,
                SerializeWarnings(warnings),
                receivedAtUtc ?? clock.GetUtcNow().UtcDateTime,
                (revision, outcome) => audit.Entry(
                    caller,
                    receivedAtUtc is not null ? AuditActions.HistoricalImport
                        : outcome == StoreOutcome.Created && revision.Revision > 1 ? AuditActions.Revision
                        : AuditActions.Submission,
                    $"{revision.PostId} {revision.Period} r{revision.Revision}",
                    revision.PostId,
                    $"submission_id={submissionId}"),
                ct);
        }
        catch (Exception e) when (StorageGuardInterceptor.IsStorageFailure(e))
        {
            storage.ReportFailure(e);
            throw RpcErrors.Unavailable("La grille n'a pas été enregistrée : la base de données refuse l'écriture. Réessayez plus tard avec le même identifiant de soumission.");
        }

        // Never acknowledge a write the database file does not hold: a file deleted or replaced under the
        // server still accepts commits through connections opened before. One check after the commit covers its batch.
        // From the commit on, the client's token is not heeded: a stored grid goes into the live figures even if its
        // client has gone (a retry with the same submission id is a replay, which adds nothing to them).
        if (await storage.CheckCommittedAsync(stored.CommittedAt, CancellationToken.None) is { } fault)
        {
            throw RpcErrors.Unavailable($"La grille n'a pas pu être enregistrée durablement ({fault}) Réessayez plus tard avec le même identifiant de soumission.");
        }

        if (stored.Outcome == StoreOutcome.Created)
        {
            // Visible to the very next query: the cube is updated before the client hears back.
            var revision = stored.Revision;
            consolidation.Cube.Apply(new CubeGrid(
                revision.PostId,
                validation.Grid.Period,
                revision.SchemaVersion,
                validation.Grid.Cells,
                revision.Revision,
                revision.ReceivedAtUtc,
                revision.ReceivedAtUtc));
            metrics.CubeUpdated(clock.GetUtcNow());
        }

        metrics.GridAccepted(stored.Outcome);

        // A replay answers with what was stored the first time, not with today's re-validation.
        var answered = stored.Outcome == StoreOutcome.Created ? warnings : DeserializeWarnings(stored.Revision.WarningsJson);
        return new IntakeResult(validation, stored, answered);
    }

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static string SerializeWarnings(IReadOnlyList<Violation> warnings) => JsonSerializer.Serialize(warnings, WarningJson);

    public static IReadOnlyList<Violation> DeserializeWarnings(string json) =>
        JsonSerializer.Deserialize<List<Violation>>(json, WarningJson) ?? [];
}
