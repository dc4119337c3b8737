namespace Observatoire.Reporting.Charts;

/// <summary>
/// A value as published: <see cref="Value"/> is null when the figure is not shown, and
/// <see cref="Flag"/> says why ("C", or "A" and "D" where their distinction is published, for statistical secrecy; "N" withheld; "ND" not derivable, "NC" no data).
/// <see cref="Partial"/> marks a value that covers only the grids received.
/// </summary>
public sealed record PublishedNumber(double? Value, string? Flag = null, bool Partial = false)
{
    public static PublishedNumber Of(double value) => new(value);

    /// <summary>Masked by secrecy: suppressed (C; or A, a small count, and D, a secondary cell, where flags are published), or withheld without a plan (N).</summary>
    public bool IsSecret => Flag is "C" or "A" or "D" or "N";
}

/// <summary>What every chart carries: size, title, source and period footnote.</summary>
public sealed record ChartFrame(string Title, string PeriodLabel, int Width = 1000, int Height = 600, string? Subtitle = null)
{
    /// <summary>Source footnote printed under every chart.</summary>
    public string Source { get; init; } = "Source : Observatoire national des ISCG, grilles statistiques transmises par les postes";
}

/// <summary>
/// Any chart: <see cref="ChartRenderer"/> renders every kind to PNG, SVG or an <c>SKCanvas</c>.
/// Units (<c>Unit</c> parameters) are plural nouns of what is counted ("personnes", "orientations"),
/// or a phrase that already names the quantity ("%", "taux pour 100 000 habitants").
/// </summary>
public abstract record Chart(ChartFrame Frame);

/// <summary>One point of a time series.</summary>
public sealed record SeriesPoint(string PeriodLabel, PublishedNumber Number);

/// <summary>
/// Least-squares trend line through the series, x = point index (0 for the first point);
/// the slope interval is at <see cref="ConfidenceLevel"/>.
/// </summary>
public sealed record TrendInfo(double Slope, double Intercept, double SlopeCiLow, double SlopeCiHigh, double ConfidenceLevel = 0.95);

/// <summary>A monthly or quarterly series of an indicator, with the previous year aligned point by point.</summary>
public sealed record TimeSeriesChart(
    ChartFrame Frame,
    string IndicatorLabel,
    string Unit,
    IReadOnlyList<SeriesPoint> Points,
    IReadOnlyList<SeriesPoint>? PreviousYear,
    TrendInfo? Trend) : Chart(Frame);

/// <summary>One child area in a ranking.</summary>
public sealed record RankingRow(string Code, string Name, PublishedNumber Value, PublishedNumber RatePer100k);

/// <summary>The children of an area ranked for an indicator, raw and per 100,000 inhabitants.</summary>
public sealed record RankingChart(ChartFrame Frame, string IndicatorLabel, string Unit, IReadOnlyList<RankingRow> Rows) : Chart(Frame);

/// <summary>One category of a breakdown.</summary>
public sealed record BreakdownRow(string Label, PublishedNumber Value);

/// <summary>
/// A breakdown as sorted horizontal bars with percentages of <see cref="Base"/> (the total, or
/// the sum of the categories for multi-valued indicators).
/// </summary>
public sealed record BreakdownChart(ChartFrame Frame, string Unit, IReadOnlyList<BreakdownRow> Rows, PublishedNumber Base, bool MultiValued) : Chart(Frame);

/// <summary>
/// Sex × age pyramid: women and men per age band (index-aligned, youngest band first), and the
/// unknowns; <see cref="Unit"/> is what is counted.
/// </summary>
public sealed record PyramidChart(
    ChartFrame Frame,
    IReadOnlyList<string> AgeBands,
    IReadOnlyList<PublishedNumber> Women,
    IReadOnlyList<PublishedNumber> Men,
    PublishedNumber SexUnknown,
    string Unit = "personnes") : Chart(Frame);

/// <summary>Expected, on-time, late and missing grids of one area for one month.</summary>
public sealed record CompletenessCell(int Expected, int OnTime, int Late, int Missing);

/// <summary>Heat map: rows are areas (departments), columns are months.</summary>
public sealed record CompletenessHeatmap(
    ChartFrame Frame,
    IReadOnlyList<string> RowLabels,
    IReadOnlyList<string> ColumnLabels,
    IReadOnlyList<IReadOnlyList<CompletenessCell>> Cells) : Chart(Frame);

/// <summary>One department's mark on the map.</summary>
public sealed record MapMark(string Code, string Name, double Latitude, double Longitude, PublishedNumber Value);

/// <summary>Map of France: each department a mark at its position, coloured by a rate; overseas in insets.</summary>
public sealed record FranceMap(ChartFrame Frame, string ValueLabel, IReadOnlyList<MapMark> Marks) : Chart(Frame);
