using System.Globalization;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Workbooks;

/// <summary>A period of the workbook, with its sheet name and French label.</summary>
/// <param name="Code">The period as the server reads it: "2025-03", "2025-T1", "2025".</param>
/// <param name="SheetName">The sheet holding its grid: "Mars", "1er trimestre", "Année 2025".</param>
/// <param name="Label">"mars 2025", "1er trimestre 2025", "année 2025".</param>
public sealed record WorkbookPeriod(string Code, string SheetName, string Label)
{
    /// <summary>Whether this is the yearly grid.</summary>
    public bool IsYear => !Code.Contains('-', StringComparison.Ordinal);
}

/// <summary>The periods a post fills in a year, by reporting frequency.</summary>
public static class WorkbookPeriods
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>
    /// The sub-periods of the frequency (12 months or 4 quarters, none for a yearly post), then the year itself: every
    /// post writes a yearly bilan whatever its frequency.
    /// </summary>
    public static IReadOnlyList<WorkbookPeriod> Of(int year, ReportingFrequency frequency)
    {
        var periods = new List<WorkbookPeriod>();
        if (frequency == ReportingFrequency.Month)
        {
            for (var month = 1; month <= 12; month++)
            {
                var name = French.DateTimeFormat.GetMonthName(month);
                periods.Add(new WorkbookPeriod(
                    $"{year:D4}-{month:D2}",
                    char.ToUpper(name[0], French) + name[1..],
                    $"{name} {year}"));
            }
        }
        else if (frequency == ReportingFrequency.Quarter)
        {
            for (var quarter = 1; quarter <= 4; quarter++)
            {
                var name = quarter == 1 ? "1er trimestre" : $"{quarter}e trimestre";
                periods.Add(new WorkbookPeriod($"{year:D4}-T{quarter}", name, $"{name} {year}"));
            }
        }

        periods.Add(new WorkbookPeriod($"{year:D4}", $"Année {year}", $"année {year}"));
        return periods;
    }

    /// <summary>"mensuelle", "trimestrielle", "annuelle".</summary>
    public static string FrequencyLabel(ReportingFrequency frequency) => frequency switch
    {
        ReportingFrequency.Month => "mensuelle",
        ReportingFrequency.Quarter => "trimestrielle",
        _ => "annuelle",
    };
}
