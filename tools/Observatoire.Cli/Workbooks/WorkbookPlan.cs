using Observatoire.Protos.V1;

namespace Observatoire.Cli.Workbooks;

/// <summary>What a workbook is generated for: a year, a post (or none: the post fills its id), and one schema per period.</summary>
/// <param name="Year">The year of the grids.</param>
/// <param name="PostId">The post, when known: written and locked; otherwise an input cell.</param>
/// <param name="PostName">The post's name, when known.</param>
/// <param name="Frequency">The post's reporting frequency: which period sheets the workbook has.</param>
/// <param name="Sheets">Each period with the schema version covering it, in order (sub-periods, then the year).</param>
/// <param name="Generator">The tool that made the workbook, written in the metadata.</param>
/// <param name="GeneratedAt">When, written in the metadata.</param>
/// <param name="Prefill">Grids already known, by period, written into their sheets (cells of their schema only).</param>
public sealed record WorkbookPlan(
    int Year,
    string? PostId,
    string? PostName,
    ReportingFrequency Frequency,
    IReadOnlyList<(WorkbookPeriod Period, Schema Schema)> Sheets,
    string Generator,
    DateTimeOffset GeneratedAt,
    IReadOnlyDictionary<string, Grid>? Prefill = null);
