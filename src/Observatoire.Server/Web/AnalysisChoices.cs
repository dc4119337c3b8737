using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Server.Aggregates;

namespace Observatoire.Server.Web;

/// <summary>The period and indicator an analysis page shows: from its query, else the last finished month and the schema's first total.</summary>
internal sealed class AnalysisChoices(SchemaCatalog catalog, ConsolidationState state, TimeProvider clock)
{
    public RegistrySnapshot Registry => state.Registry;

    public (Period Period, string Indicator) Resolve(string? periodText, string? indicatorText)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var period = Period.TryParse(periodText, out var p) && p.Year is >= 2000 && p.Year <= today.Year + AggregateQueries.HorizonYears
            ? p
            : Period.Containing(today, PeriodKind.Month).Previous();
        var indicators = Indicators(period);
        var indicator = indicators.Any(i => i.Code == indicatorText) ? indicatorText! : indicators[0].Code;
        return (period, indicator);
    }

    /// <summary>The indicators with a total in the schema of the period (the schema is data: nothing here names one).</summary>
    public IReadOnlyList<(string Code, string Label)> Indicators(Period period) =>
        [.. (catalog.Covering(period) ?? catalog.Latest).Indicators.Where(i => i.HasTotal).Select(i => (i.Code, i.Label))];

    public string LabelOf(Period period, string indicator) =>
        Indicators(period).FirstOrDefault(i => i.Code == indicator).Label ?? indicator;
}
