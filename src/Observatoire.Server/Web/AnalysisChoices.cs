using System.Globalization;
using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Server.Aggregates;

namespace Observatoire.Server.Web;

/// <summary>
/// The period and indicator an analysis page shows: from its query, else the last finished month and the schema's first
/// total; and the instant of its figures (« Données arrêtées au »), today's when none is given.
/// </summary>
internal sealed class AnalysisChoices(SchemaCatalog catalog, ConsolidationState state, FigureViews views, TimeProvider clock)
{
    /// <summary>Longest text taken in the « Données arrêtées au » field.</summary>
    private const int MaxCutOffLength = 40;

    public RegistrySnapshot Registry => state.Registry;

    public (Period Period, string Indicator) Resolve(string? periodText, string? indicatorText)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var period = Period.TryParse(periodText, out var p) && p.Year is >= 2000 && p.Year <= today.Year + AggregateArguments.HorizonYears
            ? p
            : Period.Containing(today, PeriodKind.Month).Previous();
        var indicators = Indicators(period);
        var indicator = indicators.Any(i => i.Code == indicatorText) ? indicatorText! : indicators[0].Code;
        return (period, indicator);
    }

    /// <summary>The indicators with a total in the schema of the period (the schema is data: nothing here names one).</summary>
    public IReadOnlyList<(string Code, string Label)> Indicators(Period period) =>
        [.. (catalog.Covering(period) ?? catalog.Latest).Indicators.Where(i => i.HasTotal).Select(i => (i.Code, i.Label))];

    /// <summary>
    /// The view a page or a download designates: a level name and a code (the caller's home area when no level is
    /// given), the indicator and the month; null for an unknown level. Whether the area exists and may be read is the
    /// services' decision.
    /// </summary>
    public Analysis.AnalysisView? View(CallerScope caller, string? level, string? code, string? indicator, string? period, DateTime? asOf = null)
    {
        var (month, cell) = Resolve(period, indicator);
        if (string.IsNullOrEmpty(level))
        {
            return new Analysis.AnalysisView(DepartmentMap.HomeArea(caller) ?? AreaRef.National, cell, month, asOf);
        }

        if (Analysis.AnalysisView.LevelOf(level) is not { } parsed || (parsed != AreaLevel.National && string.IsNullOrWhiteSpace(code)) || code?.Length > 64)
        {
            return null;
        }

        var area = parsed switch
        {
            AreaLevel.National => AreaRef.National,
            AreaLevel.Post => new AreaRef(parsed, code!.Trim()),
            _ => new AreaRef(parsed, code!.Trim().ToUpperInvariant()),
        };
        return new Analysis.AnalysisView(area, cell, month, asOf);
    }

    /// <summary>
    /// The « Données arrêtées au » field: empty for today's figures, else a date and time in UTC (2026-03-31T12:00, seconds
    /// optional), neither in the future nor before the first version of the grid. Returns the French message to show
    /// beside the field, or null with the instant (null for today's figures).
    /// </summary>
    public string? CutOff(string? text, out DateTime? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Length > MaxCutOffLength
            || !DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return $"« {ClientText.Quote(text, MaxCutOffLength)} » n'est pas une date et une heure : attendu AAAA-MM-JJ HH:MM (UTC), par exemple 2026-03-31 12:00.";
        }

        if (views.Problem(parsed) is { } problem)
        {
            return problem.Message;
        }

        instant = parsed;
        return null;
    }

    /// <summary>
    /// The « Données arrêtées au » field for this caller: the instant asked (<see cref="CutOff"/>), and what the field
    /// offers. A caller who may ask any instant (the administration, <see cref="AccessPolicy.ReadsAnyInstant"/>) types
    /// a date and time; any other chooses among the published editions' cut-offs, the only instants whose published
    /// figures it may read, and another instant is refused beside the field.
    /// </summary>
    public async Task<CutOffChoice> CutOffAsync(CallerScope caller, string? text, CancellationToken ct)
    {
        var error = CutOff(text, out var instant);
        if (AccessPolicy.ReadsAnyInstant(caller, AreaRef.National, state.Registry))
        {
            return new CutOffChoice(instant, error, null);
        }

        var editions = await views.CutOffsAsync(ct);
        if (error is null && instant is { } asked && !editions.Any(e => e.Is(asked)))
        {
            error = editions.Count == 0
                ? "Aucune édition n'est encore publiée : seuls les chiffres d'aujourd'hui se lisent."
                : "Les chiffres publiés se lisent à ce jour ou à la date d'arrêté d'une édition publiée : choisissez-en une dans la liste.";
        }

        return new CutOffChoice(error is null ? instant : null, error, editions);
    }

    public string LabelOf(Period period, string indicator) =>
        Indicators(period).FirstOrDefault(i => i.Code == indicator).Label ?? indicator;
}

/// <summary>The « Données arrêtées au » field's outcome: the instant (null: today), why it was refused, the editions offered (null: any instant).</summary>
internal sealed record CutOffChoice(DateTime? AsOf, string? Error, IReadOnlyList<PublishedCutOff>? Editions);
