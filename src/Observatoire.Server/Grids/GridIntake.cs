using System.Text.Json;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Core.Consolidation;
using Observatoire.Data;
using Observatoire.Server.Aggregates;

namespace Observatoire.Server.Grids;

/// <summary>The result of taking in a grid: its violations, and what storage did when it was valid.</summary>
internal sealed record IntakeResult(ValidationResult Validation, StoreResult? Stored, IReadOnlyList<Violation> Warnings);

/// <summary>
/// Validates a grid in the context of its post (registry, history, today) and, when asked, stores it.
/// </summary>
internal sealed class GridIntake(GridValidator validator, SchemaCatalog catalog, GridStore store, ConsolidationState consolidation, TimeProvider clock)
{
    private static readonly JsonSerializerOptions WarningJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<ValidationResult> ValidateAsync(GridInput grid, CancellationToken ct)
    {
        var post = await store.FindPostAsync(grid.PostId, ct);
        var schema = catalog.Find(grid.SchemaVersion) ?? catalog.Latest;
        var history = post is not null && Period.TryParse(grid.Period, out var period)
            ? await store.HistoryAsync(grid.PostId, period, schema.Limits.OutlierHistory, catalog, ct)
            : [];
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return validator.Validate(grid, new ValidationContext(today, post, history, SameYear(grid)));
    }

    /// <summary>For a yearly grid, the post's shorter grids of that year, for the cross-grid coherence warnings.</summary>
    private IReadOnlyList<PeriodGrid> SameYear(GridInput grid)
    {
        if (!Period.TryParse(grid.Period, out var year) || year.Kind != PeriodKind.Year)
        {
            return [];
        }

        return [.. consolidation.Cube.GridsOf(grid.PostId)
            .Where(g => g.Period.Kind != PeriodKind.Year && year.Contains(g.Period))
            .Select(g => catalog.Find(g.SchemaVersion) is { } schema
                ? new PeriodGrid(g.Period, NormalizedGrid.ToValues(schema, g.Cells))
                : null)
            .OfType<PeriodGrid>()];
    }

    public async Task<IntakeResult> SubmitAsync(GridInput grid, string submissionId, string clientId, DateTime? receivedAtUtc, CancellationToken ct)
    {
        var validation = await ValidateAsync(grid, ct);
        if (validation.Grid is null)
        {
            return new IntakeResult(validation, null, []);
        }

        var warnings = validation.Warnings.ToList();
        var registry = consolidation.Registry;
        var stored = await store.StoreAsync(
            validation.Grid,
            registry.LocationOf(registry.Posts[grid.PostId], validation.Grid.Period),
            submissionId,
            clientId,
            SerializeWarnings(warnings),
            receivedAtUtc ?? clock.GetUtcNow().UtcDateTime,
            ct);

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
        }

        // A replay answers with what was stored the first time, not with today's re-validation.
        var answered = stored.Outcome == StoreOutcome.Created ? warnings : DeserializeWarnings(stored.Revision.WarningsJson);
        return new IntakeResult(validation, stored, answered);
    }

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static string SerializeWarnings(IReadOnlyList<Violation> warnings) => JsonSerializer.Serialize(warnings, WarningJson);

    public static IReadOnlyList<Violation> DeserializeWarnings(string json) =>
        JsonSerializer.Deserialize<List<Violation>>(json, WarningJson) ?? [];
}
