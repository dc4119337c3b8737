using System.Collections.Frozen;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Schemas;

/// <summary>How an indicator consolidates across time.</summary>
public enum Aggregation
{
    /// <summary>A flow: sub-periods add up.</summary>
    Sum = 1,

    /// <summary>A stock: the value of the last sub-period.</summary>
    Last = 2,

    /// <summary>Distinct persons: not derivable from sub-periods.</summary>
    None = 3,
}

/// <summary>How serious a rule violation is.</summary>
public enum Severity
{
    Error = 1,
    Warning = 2,
}

/// <summary>One version of the Ministry statistical grid, loaded from a data file.</summary>
public sealed class GridSchema
{
    internal GridSchema(
        string version,
        string title,
        DateOnly validFrom,
        DateOnly? validTo,
        SchemaLimits limits,
        IReadOnlyList<Section> sections,
        IReadOnlyList<Indicator> indicators,
        IReadOnlyList<BuiltInCheck> checks)
    {
        Version = version;
        Title = title;
        ValidFrom = validFrom;
        ValidTo = validTo;
        Limits = limits;
        Sections = sections;
        Indicators = indicators;
        Checks = checks;
        IndicatorsByCode = indicators.ToFrozenDictionary(i => i.Code, StringComparer.Ordinal);
        ChecksByKind = checks.ToFrozenDictionary(c => c.Kind);
        Layout = new CellLayout(this);
    }

    public string Version { get; }

    public string Title { get; }

    public DateOnly ValidFrom { get; }

    public DateOnly? ValidTo { get; }

    public SchemaLimits Limits { get; }

    public IReadOnlyList<Section> Sections { get; }

    public IReadOnlyList<Indicator> Indicators { get; }

    public IReadOnlyList<BuiltInCheck> Checks { get; }

    /// <summary>The yearly bilan every post sends whatever its frequency, when the schema declares one.</summary>
    public YearlyBilan? YearlyBilan { get; internal set; }

    /// <summary>Declared rules, bound to this schema's layout by the loader.</summary>
    public IReadOnlyList<SchemaRule> Rules { get; internal set; } = [];

    public FrozenDictionary<string, Indicator> IndicatorsByCode { get; }

    public FrozenDictionary<CheckKind, BuiltInCheck> ChecksByKind { get; }

    /// <summary>Every cell of the grid in a fixed order: the storage and consolidation layout.</summary>
    public CellLayout Layout { get; }

    /// <summary>True when the schema applies to every day of the period.</summary>
    public bool Covers(Period period) =>
        period.Start >= ValidFrom && (ValidTo is null || period.End <= ValidTo.Value);

    public BuiltInCheck Check(CheckKind kind) => ChecksByKind[kind];

    public Indicator Indicator(string code) => IndicatorsByCode[code];
}

/// <summary>Numeric limits of a schema version.</summary>
public sealed record SchemaLimits(long MaxValue, int MaxCommentLength, double OutlierFactor, int OutlierHistory, int OutlierMinHistory)
{
    /// <summary>Most UTF-8 bytes of a comment: four per character, what any ordinary text needs.</summary>
    public int MaxCommentBytes => MaxCommentLength * 4;
}

/// <summary>A section of the paper form (A. Activité, B. Public reçu...).</summary>
public sealed record Section(string Code, string Label);

/// <summary>A counted quantity of the grid.</summary>
public sealed record Indicator(
    string Code,
    string Section,
    string Label,
    string Description,
    string Unit,
    Aggregation Aggregation,
    bool HasTotal,
    IReadOnlyList<Breakdown> Breakdowns)
{
    /// <summary>Finds the breakdown whose dimensions are exactly these (in any order).</summary>
    public Breakdown? BreakdownFor(IReadOnlyCollection<string> dimensionCodes) =>
        Breakdowns.FirstOrDefault(b =>
            b.Dimensions.Count == dimensionCodes.Count && b.Dimensions.All(d => dimensionCodes.Contains(d.Code)));
}

/// <summary>A disaggregation of an indicator by one or more category dimensions.</summary>
public sealed record Breakdown(
    string Code,
    string Section,
    string Label,
    IReadOnlyList<Dimension> Dimensions,
    bool SumsToTotal,
    Aggregation Aggregation);

/// <summary>A category with its options.</summary>
public sealed record Dimension(string Code, string Label, IReadOnlyList<DimensionOption> Options)
{
    public bool HasOption(string code) => Options.Any(o => o.Code == code);
}

/// <summary>One option of a dimension.</summary>
public sealed record DimensionOption(string Code, string Label);

/// <summary>The engine checks every schema must configure (message and severity come from the file).</summary>
public enum CheckKind
{
    UnknownPost,
    InactivePost,
    PeriodFormat,
    FuturePeriod,
    PostFrequency,
    SchemaVersion,
    UnknownIndicator,
    UnknownOption,
    MalformedCell,
    RequiredTotal,
    ValueRange,
    CommentLength,
    PersonalDataEmail,
    PersonalDataPhone,
    PersonalDataNir,
    PersonalDataBirthDate,
    PersonalDataAddress,
    PersonalDataName,
    MedianOutlier,
}

/// <summary>A built-in check with its rule code, severity and French message template.</summary>
public sealed record BuiltInCheck(string Code, CheckKind Kind, string Name, Severity Severity, string Message);

/// <summary>
/// The grid of a whole year (period AAAA), sent by every post whatever its reporting frequency: it
/// carries what only the year can say, the distinct persons of the year first. Checked against the
/// post's months or quarters of the same year by its coherence checks.
/// </summary>
public sealed record YearlyBilan(string Label, string Description, IReadOnlyList<CoherenceCheck> Coherence);

/// <summary>How a yearly bilan's cell is compared with the post's grids of the same year, by the cell's aggregation.</summary>
public enum CoherenceKind
{
    /// <summary>A flow equals the sum of the sub-periods when they cover the whole year.</summary>
    FlowEqualsSum,

    /// <summary>A flow is at least the sum of the sub-periods received so far.</summary>
    FlowAtLeastSum,

    /// <summary>Distinct persons of the year are at least those of any sub-period.</summary>
    DistinctAtLeastMax,

    /// <summary>Distinct persons of the year are at most the sum of the sub-periods covering the year.</summary>
    DistinctAtMostSum,

    /// <summary>A stock at the end of the year equals the one of the last sub-period.</summary>
    StockEqualsLast,
}

/// <summary>A cross-grid coherence check of the yearly bilan, with its rule code, severity and French message.</summary>
public sealed record CoherenceCheck(string Code, CoherenceKind Kind, Severity Severity, string Message);

/// <summary>A rule declared in the schema's expression form.</summary>
public sealed record SchemaRule(string Code, Severity Severity, string Message, string Path, RuleExpression Expression);
