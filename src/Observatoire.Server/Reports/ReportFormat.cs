using System.Globalization;
using Observatoire.Core.Statistics;
using Observatoire.Reporting.Charts;

namespace Observatoire.Server.Reports;

/// <summary>French formatting of the figures a report prints.</summary>
internal static class ReportFormat
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>"1 234", "1 234 *" when partial, "n.d.", "secret" (or "secret (A)"/"(D)" where the flags are published), "non publié" without a suppression plan, or "—" without data.</summary>
    public static string Show(PublishedNumber number) => number.Value switch
    {
        { } v => Count((long)Math.Round(v)) + (number.Partial ? " *" : ""),
        null => number.Flag switch
        {
            "A" => "secret (A)",
            "D" => "secret (D)",
            "C" => "secret",
            "ND" => "n.d.",
            "N" => "non publié",
            _ => "—",
        },
    };

    /// <summary>"+4,2 % sur un an", or the absolute change when the year before was zero; null when either is unknown.</summary>
    public static string? ChangeText(PublishedNumber now, PublishedNumber before) =>
        Change.Between(now.Value is { } n ? (long)n : null, before.Value is { } b ? (long)b : null) is { } change
            ? change.Percent is { } percent
                ? $"{(percent >= 0 ? "+" : "")}{percent.ToString("0.0", French)} % sur un an"
                : $"{(change.Absolute >= 0 ? "+" : "")}{Count(change.Absolute)} sur un an"
            : null;

    public static string Count(long value) => value.ToString("N0", French);

    public static string Decimal(double value) => value.ToString("0.0#", French);

    public static string Percent(double share) => (share * 100).ToString("0.0", French) + " %";

    public static string MonthName(DateOnly date) => date.ToString("MMMM", French);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", French);
}
