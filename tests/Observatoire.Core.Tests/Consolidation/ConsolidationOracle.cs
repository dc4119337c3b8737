using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Tests.Consolidation;

/// <summary>What one post contributes to a period, according to the written rules.</summary>
internal sealed class PostOutcome(PostInfo post)
{
    public PostInfo Post { get; } = post;

    public bool Expected { get; set; }

    public bool Incompatible { get; set; }

    public List<RawGrid> Used { get; } = [];

    public List<MissingGrid> Missing { get; } = [];
}

/// <summary>The figures an area should show, computed by plain loops over the raw grids.</summary>
internal sealed class ExpectedFigures(int cellCount)
{
    public long[] Values { get; } = new long[cellCount];

    public bool[] Derivable { get; } = Enumerable.Repeat(true, cellCount).ToArray();

    public int ExpectedPosts { get; set; }

    public int ContributingPosts { get; set; }

    public int IncompatiblePosts { get; set; }

    public int GridsUsed { get; set; }

    public List<MissingGrid> Missing { get; } = [];

    /// <summary>Year figures: posts that sent their yearly bilan.</summary>
    public int YearlyBilans { get; set; }

    /// <summary>Year figures: posts that owe their yearly bilan.</summary>
    public List<MissingGrid> MissingBilans { get; } = [];

    public bool[] IsDistinctCell { get; init; } = [];

    public double Fte { get; set; }

    public DateTime? DataAsOf { get; set; }

    public SortedSet<string> SchemaVersions { get; } = new(StringComparer.Ordinal);

    public bool HasData => ExpectedPosts > 0 || GridsUsed > 0;

    public FigureStatus StatusOf(int cell)
    {
        // No grid at all is no data, even when grids were expected: never a zero that nobody reported.
        if (GridsUsed == 0)
        {
            return FigureStatus.NoData;
        }

        if (!Derivable[cell])
        {
            return FigureStatus.NotDerivable;
        }

        // Distinct persons of a year come only from bilans: none received, nothing to say; some missing, partial.
        if (IsDistinctCell[cell] && MissingBilans.Count > 0)
        {
            return YearlyBilans == 0 ? FigureStatus.NotDerivable : FigureStatus.Partial;
        }

        return Missing.Count > 0 || IncompatiblePosts > 0 ? FigureStatus.Partial : FigureStatus.Complete;
    }

    public long? ValueOf(int cell) => StatusOf(cell) is FigureStatus.NoData or FigureStatus.NotDerivable ? null : Values[cell];
}

/// <summary>Expected completeness counts.</summary>
internal sealed record ExpectedCounts(int Expected, int Received, int OnTime, int Late, int Missing)
{
    public static readonly ExpectedCounts Zero = new(0, 0, 0, 0, 0);

    public ExpectedCounts Plus(ExpectedCounts other) =>
        new(Expected + other.Expected, Received + other.Received, OnTime + other.OnTime, Late + other.Late, Missing + other.Missing);

    public bool Matches(CompletenessCounts c) =>
        c.Expected == Expected && c.Received == Received && c.OnTime == OnTime && c.Late == Late && c.Missing == Missing;

    public override string ToString() => $"expected {Expected}, received {Received}, on time {OnTime}, late {Late}, missing {Missing}";
}

/// <summary>One post's expected grids in a completeness query.</summary>
internal sealed class ExpectedPostCompleteness(string postId)
{
    public string PostId { get; } = postId;

    public ExpectedCounts Counts { get; set; } = ExpectedCounts.Zero;

    public List<Period> MissingPeriods { get; } = [];

    public List<Period> LatePeriods { get; } = [];
}

/// <summary>
/// An independent implementation of the consolidation and completeness rules, written from the
/// specification only: plain loops over the registry lists and the test's own copy of the grids.
/// </summary>
internal sealed class ConsolidationOracle
{
    private readonly IReadOnlyList<PostInfo> _posts;
    private readonly Dictionary<string, string> _regionOfDepartment = new(StringComparer.Ordinal);
    private readonly Dictionary<(string PostId, Period Period), RawGrid> _grids = [];
    private readonly GridSchema _schema;
    private readonly Dictionary<(string PostId, Period Period), string> _locationCache = [];

    public ConsolidationOracle(GridSchema schema, IReadOnlyList<DepartmentInfo> departments, IReadOnlyList<PostInfo> posts, IEnumerable<RawGrid> grids)
    {
        _schema = schema;
        _posts = posts;
        foreach (var department in departments)
        {
            _regionOfDepartment[department.Code] = department.RegionCode;
        }

        foreach (var grid in grids)
        {
            _grids.Add((grid.PostId, grid.Period), grid); // throws on a duplicate: the test's copy holds one grid per post and period
        }
    }

    public static ConsolidationOracle For(RandomWorld world) => new(RandomWorld.Schema, world.Departments, world.Posts, world.Grids);

    // ---------------------------------------------------------------- rule 1 and rule 2

    public static bool IsActive(PostInfo post, Period period)
    {
        if (post.ActiveFrom > period.End)
        {
            return false;
        }

        return post.ActiveTo is null || post.ActiveTo.Value >= period.Start;
    }

    /// <summary>The department covering the most days of the period (ties: the later one), else the registered one.</summary>
    public static string DepartmentOf(PostInfo post, Period period)
    {
        string? best = null;
        var bestDays = 0;
        var bestStart = DateOnly.MinValue;
        foreach (var location in post.Locations)
        {
            // Count the days one by one: slow, but obviously right.
            var days = 0;
            for (var day = period.Start; day <= period.End; day = day.AddDays(1))
            {
                if (day >= location.From && (location.To is null || day <= location.To.Value))
                {
                    days++;
                }
            }

            if (days == 0)
            {
                continue;
            }

            if (best is null || days > bestDays || (days == bestDays && location.From > bestStart))
            {
                best = location.DepartmentCode;
                bestDays = days;
                bestStart = location.From;
            }
        }

        return best ?? post.DepartmentCode;
    }

    public bool InArea(AreaRef area, PostInfo post, Period period)
    {
        if (!_locationCache.TryGetValue((post.Id, period), out var department))
        {
            department = DepartmentOf(post, period);
            _locationCache[(post.Id, period)] = department;
        }

        switch (area.Level)
        {
            case AreaLevel.National:
                return true;
            case AreaLevel.Post:
                return post.Id == area.Code;
            case AreaLevel.Department:
                return department == area.Code;
            default:
                return _regionOfDepartment.TryGetValue(department, out var region) && region == area.Code;
        }
    }

    // ---------------------------------------------------------------- rules 3, 4 and 7

    private static int Rank(PeriodKind kind) => kind switch
    {
        PeriodKind.Month => 1,
        PeriodKind.Quarter => 2,
        _ => 3,
    };

    private static PeriodKind OwnKind(PostInfo post) => post.Frequency switch
    {
        ReportingFrequency.Month => PeriodKind.Month,
        ReportingFrequency.Quarter => PeriodKind.Quarter,
        _ => PeriodKind.Year,
    };

    /// <summary>Which grids a post's figure for the period comes from, what is missing, or that it is incompatible.</summary>
    public PostOutcome Resolve(PostInfo post, Period period)
    {
        var outcome = new PostOutcome(post);
        if (!IsActive(post, period))
        {
            return outcome;
        }

        outcome.Expected = true;
        Tile(post, period, outcome);
        return outcome;
    }

    private void Tile(PostInfo post, Period period, PostOutcome outcome)
    {
        if (_grids.TryGetValue((post.Id, period), out var exact))
        {
            outcome.Used.Add(exact);
            return;
        }

        var own = OwnKind(post);
        if (Rank(period.Kind) == Rank(own))
        {
            outcome.Missing.Add(new MissingGrid(post.Id, period));
            return;
        }

        if (Rank(period.Kind) < Rank(own))
        {
            outcome.Incompatible = true;
            return;
        }

        var parts = period.Kind == PeriodKind.Year ? RandomWorld.QuartersOf(period) : RandomWorld.MonthsOf(period);
        foreach (var part in parts)
        {
            if (IsActive(post, part))
            {
                Tile(post, part, outcome);
            }
        }
    }

    /// <summary>A post's own figure: SUM adds up, LAST takes the last grid, NONE only from one grid of exactly the period.</summary>
    public (long[] Values, bool[] Derivable) ValuesOf(PostOutcome outcome, Period period)
    {
        var cells = _schema.Layout.Cells;
        var values = new long[cells.Count];
        var derivable = new bool[cells.Count];
        RawGrid? last = null;
        foreach (var grid in outcome.Used)
        {
            if (last is null || grid.Period.Start > last.Period.Start)
            {
                last = grid;
            }
        }

        var fromExactGrid = outcome.Used.Count == 1 && outcome.Used[0].Period == period;
        for (var c = 0; c < cells.Count; c++)
        {
            derivable[c] = true;
            switch (cells[c].Aggregation)
            {
                case Aggregation.Sum:
                    foreach (var grid in outcome.Used)
                    {
                        values[c] += grid.Cells[c];
                    }

                    break;
                case Aggregation.Last:
                    values[c] = last?.Cells[c] ?? 0;
                    break;
                default:
                    if (fromExactGrid)
                    {
                        values[c] = outcome.Used[0].Cells[c];
                    }
                    else
                    {
                        derivable[c] = false;
                    }

                    break;
            }
        }

        return (values, derivable);
    }

    // ---------------------------------------------------------------- rules 5 and 6

    public ExpectedFigures ForArea(AreaRef area, Period period)
    {
        var figures = new ExpectedFigures(_schema.Layout.Count)
        {
            IsDistinctCell = [.. _schema.Layout.Cells.Select(c => c.Aggregation == Aggregation.None)],
        };
        var bilansOwed = period.Kind == PeriodKind.Year && _schema.YearlyBilan is not null;
        foreach (var post in _posts)
        {
            if (!IsActive(post, period) || !InArea(area, post, period))
            {
                continue;
            }

            var outcome = Resolve(post, period);
            figures.ExpectedPosts++;
            figures.Fte += post.Fte;
            var sentBilan = false;
            if (bilansOwed)
            {
                sentBilan = _grids.ContainsKey((post.Id, period));
                if (sentBilan)
                {
                    figures.YearlyBilans++;
                }
                else
                {
                    figures.MissingBilans.Add(new MissingGrid(post.Id, period));
                }
            }

            if (outcome.Incompatible)
            {
                figures.IncompatiblePosts++;
                continue;
            }

            figures.Missing.AddRange(outcome.Missing);
            if (outcome.Used.Count == 0)
            {
                continue; // a post without any grid does not block distinct-person cells
            }

            figures.ContributingPosts++;
            figures.GridsUsed += outcome.Used.Count;
            var (values, derivable) = ValuesOf(outcome, period);
            for (var c = 0; c < values.Length; c++)
            {
                if (bilansOwed && !sentBilan && figures.IsDistinctCell[c] && area.Level != AreaLevel.Post)
                {
                    continue; // a post that owes its bilan is left out of its area's distinct persons of the year
                }

                figures.Values[c] += values[c];
                figures.Derivable[c] = figures.Derivable[c] && derivable[c];
            }

            foreach (var grid in outcome.Used)
            {
                figures.SchemaVersions.Add(grid.SchemaVersion);
                if (figures.DataAsOf is null || grid.ReceivedUtc > figures.DataAsOf)
                {
                    figures.DataAsOf = grid.ReceivedUtc;
                }
            }
        }

        return figures;
    }

    // ---------------------------------------------------------------- rule 9

    /// <summary>The periods of the given kind inside the period (none when the kind is longer).</summary>
    public static List<Period> SubPeriods(Period period, PeriodKind kind)
    {
        var result = new List<Period>();
        if (Rank(kind) > Rank(period.Kind))
        {
            return result;
        }

        if (kind == period.Kind)
        {
            result.Add(period);
            return result;
        }

        if (kind == PeriodKind.Quarter)
        {
            result.AddRange(RandomWorld.QuartersOf(period));
            return result;
        }

        var quarters = period.Kind == PeriodKind.Year ? RandomWorld.QuartersOf(period).ToList() : [period];
        foreach (var quarter in quarters)
        {
            result.AddRange(RandomWorld.MonthsOf(quarter));
        }

        return result;
    }

    /// <summary>Every post's expected, received, on-time, late and missing grids in the area (posts with nothing expected left out).</summary>
    public List<ExpectedPostCompleteness> CompletenessByPost(AreaRef area, Period period, DateOnly today, int deadlineDays)
    {
        var result = new List<ExpectedPostCompleteness>();
        foreach (var post in _posts)
        {
            var entry = new ExpectedPostCompleteness(post.Id);
            foreach (var sub in SubPeriods(period, OwnKind(post)))
            {
                if (!(sub.End < today) || !IsActive(post, sub) || !InArea(area, post, sub))
                {
                    continue;
                }

                if (_grids.TryGetValue((post.Id, sub), out var grid))
                {
                    var onTime = DateOnly.FromDateTime(grid.FirstReceivedUtc) <= sub.End.AddDays(deadlineDays);
                    entry.Counts = entry.Counts.Plus(onTime ? new ExpectedCounts(1, 1, 1, 0, 0) : new ExpectedCounts(1, 1, 0, 1, 0));
                    if (!onTime)
                    {
                        entry.LatePeriods.Add(sub);
                    }
                }
                else
                {
                    entry.Counts = entry.Counts.Plus(new ExpectedCounts(1, 0, 0, 0, 1));
                    entry.MissingPeriods.Add(sub);
                }
            }

            if (entry.Counts.Expected > 0)
            {
                result.Add(entry);
            }
        }

        return result;
    }

    public ExpectedCounts Completeness(AreaRef area, Period period, DateOnly today, int deadlineDays)
    {
        var total = ExpectedCounts.Zero;
        foreach (var entry in CompletenessByPost(area, period, today, deadlineDays))
        {
            total = total.Plus(entry.Counts);
        }

        return total;
    }
}
