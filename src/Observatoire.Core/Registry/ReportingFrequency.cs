using Observatoire.Core.Periods;

namespace Observatoire.Core.Registry;

/// <summary>How often a post files its grid.</summary>
public enum ReportingFrequency
{
    Month = 1,
    Quarter = 2,
    Year = 3,
}

/// <summary>Which force the post works with.</summary>
public enum Zone
{
    Police = 1,
    Gendarmerie = 2,
    Mixte = 3,
}

/// <summary>Maps reporting frequencies to period kinds.</summary>
public static class ReportingFrequencyExtensions
{
    public static PeriodKind PeriodKind(this ReportingFrequency frequency) => frequency switch
    {
        ReportingFrequency.Month => Periods.PeriodKind.Month,
        ReportingFrequency.Quarter => Periods.PeriodKind.Quarter,
        _ => Periods.PeriodKind.Year,
    };
}
