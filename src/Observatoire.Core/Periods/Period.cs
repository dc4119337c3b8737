using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Observatoire.Core.Periods;

/// <summary>The length of a reporting period.</summary>
public enum PeriodKind
{
    Month = 1,
    Quarter = 2,
    Year = 3,
}

/// <summary>A reporting period: a month ("2025-03"), a quarter ("2025-T1") or a year ("2025").</summary>
public readonly partial record struct Period : IComparable<Period>
{
    private Period(PeriodKind kind, int year, int index)
    {
        Kind = kind;
        Year = year;
        Index = index;
    }

    public PeriodKind Kind { get; }

    public int Year { get; }

    /// <summary>Month 1-12, quarter 1-4, or 1 for a year.</summary>
    public int Index { get; }

    public static Period Month(int year, int month) =>
        month is >= 1 and <= 12 && year is >= 1900 and <= 9999
            ? new Period(PeriodKind.Month, year, month)
            : throw new ArgumentOutOfRangeException(nameof(month));

    public static Period Quarter(int year, int quarter) =>
        quarter is >= 1 and <= 4 && year is >= 1900 and <= 9999
            ? new Period(PeriodKind.Quarter, year, quarter)
            : throw new ArgumentOutOfRangeException(nameof(quarter));

    public static Period OfYear(int year) =>
        year is >= 1900 and <= 9999 ? new Period(PeriodKind.Year, year, 1) : throw new ArgumentOutOfRangeException(nameof(year));

    /// <summary>First day of the period.</summary>
    public DateOnly Start => Kind switch
    {
        PeriodKind.Month => new DateOnly(Year, Index, 1),
        PeriodKind.Quarter => new DateOnly(Year, (Index - 1) * 3 + 1, 1),
        _ => new DateOnly(Year, 1, 1),
    };

    /// <summary>Last day of the period.</summary>
    /// <remarks>Computed without adding months, so that December 9999 has an end too.</remarks>
    public DateOnly End
    {
        get
        {
            var lastMonth = LastMonthOrdinal % 12 + 1;
            return new DateOnly(Year, lastMonth, DateTime.DaysInMonth(Year, lastMonth));
        }
    }

    /// <summary>Month number 0.. counted from year 0, handy for ordering and arithmetic (never touches a calendar).</summary>
    public int FirstMonthOrdinal => Year * 12 + Kind switch
    {
        PeriodKind.Month => Index - 1,
        PeriodKind.Quarter => (Index - 1) * 3,
        _ => 0,
    };

    public int LastMonthOrdinal => FirstMonthOrdinal + Kind switch
    {
        PeriodKind.Month => 0,
        PeriodKind.Quarter => 2,
        _ => 11,
    };

    public int MonthCount => LastMonthOrdinal - FirstMonthOrdinal + 1;

    /// <summary>True when <paramref name="other"/> lies entirely within this period.</summary>
    public bool Contains(Period other) =>
        other.FirstMonthOrdinal >= FirstMonthOrdinal && other.LastMonthOrdinal <= LastMonthOrdinal;

    /// <summary>The periods of a shorter kind that tile this one, in order (empty when the kind is longer).</summary>
    public IReadOnlyList<Period> Split(PeriodKind kind)
    {
        if (kind > Kind)
        {
            return [];
        }

        if (kind == Kind)
        {
            return [this];
        }

        var result = new List<Period>();
        for (var ordinal = FirstMonthOrdinal; ordinal <= LastMonthOrdinal; ordinal += kind == PeriodKind.Month ? 1 : 3)
        {
            var year = ordinal / 12;
            var month = ordinal % 12 + 1;
            result.Add(kind == PeriodKind.Month ? Month(year, month) : Quarter(year, (month - 1) / 3 + 1));
        }

        return result;
    }

    /// <summary>The period of the same kind just before this one.</summary>
    public Period Previous() => Shift(-1);

    /// <summary>The period of the same kind one year earlier.</summary>
    public Period YearEarlier() => new(Kind, Year - 1, Index);

    public Period Shift(int steps)
    {
        var perYear = Kind switch { PeriodKind.Month => 12, PeriodKind.Quarter => 4, _ => 1 };
        var n = Year * perYear + Index - 1 + steps;
        return new Period(Kind, n / perYear, n % perYear + 1);
    }

    /// <summary>The period of the given kind that contains the given day.</summary>
    public static Period Containing(DateOnly day, PeriodKind kind) => kind switch
    {
        PeriodKind.Month => Month(day.Year, day.Month),
        PeriodKind.Quarter => Quarter(day.Year, (day.Month - 1) / 3 + 1),
        _ => OfYear(day.Year),
    };

    public int CompareTo(Period other)
    {
        var byStart = FirstMonthOrdinal.CompareTo(other.FirstMonthOrdinal);
        return byStart != 0 ? byStart : other.Kind.CompareTo(Kind);
    }

    public override string ToString() => Kind switch
    {
        PeriodKind.Month => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Index:D2}"),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-T{Index}"),
        _ => Year.ToString("D4", CultureInfo.InvariantCulture),
    };

    /// <summary>French label: "mars 2025", "1er trimestre 2025", "2025".</summary>
    public string Label => Kind switch
    {
        PeriodKind.Month => Start.ToString("MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR")),
        PeriodKind.Quarter => $"{(Index == 1 ? "1er" : Index + "e")} trimestre {Year}",
        _ => Year.ToString(CultureInfo.InvariantCulture),
    };

    public static Period Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"Période invalide « {text} » : attendu AAAA, AAAA-Tn ou AAAA-MM.");

    public static bool TryParse([NotNullWhen(true)] string? text, out Period period)
    {
        period = default;
        if (text is null)
        {
            return false;
        }

        var match = PeriodPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (year < 1900)
        {
            return false;
        }

        if (match.Groups["m"].Success)
        {
            var month = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12)
            {
                return false;
            }

            period = Month(year, month);
        }
        else if (match.Groups["q"].Success)
        {
            period = Quarter(year, int.Parse(match.Groups["q"].Value, CultureInfo.InvariantCulture));
        }
        else
        {
            period = OfYear(year);
        }

        return true;
    }

    public static bool operator <(Period left, Period right) => left.CompareTo(right) < 0;

    public static bool operator >(Period left, Period right) => left.CompareTo(right) > 0;

    public static bool operator <=(Period left, Period right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Period left, Period right) => left.CompareTo(right) >= 0;

    // ASCII digits only (\d would take Arabic-Indic or fullwidth digits), and \z: "$" would accept a final newline.
    [GeneratedRegex(@"^(?<y>[0-9]{4})(?:-(?:T(?<q>[1-4])|(?<m>[0-9]{2})))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodPattern();
}
