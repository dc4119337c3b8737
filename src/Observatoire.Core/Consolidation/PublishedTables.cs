using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// A snapshot and the plan of one indicator made on it: what a published figure of that indicator comes from. The
/// plan is null while the first plan of the indicator's year is still being made, or when it could not be made
/// (<paramref name="Failed"/>): nothing below the national level may then be published.
/// </summary>
public sealed record PublishedTable(PublicationSnapshot Snapshot, IndicatorSecrecy? Secrecy, bool Failed = false)
{
    public bool Pending => Secrecy is null;

    /// <summary>
    /// The status of a figure of the table. National figures are free: every plan treats them as known to every reader
    /// (never suppressed, by rule or as secondary cells), so publishing them without a plan tells nothing a plan would
    /// hide. Below the nation, a table without plan withholds every figure: as pending while the plan is made, as
    /// withheld when it failed.
    /// </summary>
    public CellConfidentiality StatusOf(AreaRef area, Period period, CellDefinition cell, DistinctCounts distinct = DistinctCounts.Exact)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (area.Level == AreaLevel.National)
        {
            return CellConfidentiality.Free;
        }

        return Secrecy?.StatusOf(area, period, cell, distinct) ?? (Failed ? CellConfidentiality.Withheld : CellConfidentiality.Pending);
    }
}

/// <summary>
/// Decides which snapshot publishes an indicator of a year. After a change of the year's data a new snapshot is
/// taken and its plans are made in the background; a reader gets the new snapshot when its plan is ready within
/// <c>wait</c>, and otherwise the last snapshot whose plan is complete, so a query never waits for more than that
/// while grids arrive, and published figures are at most one planning behind. At most one snapshot per year is
/// being planned at a time: planning cost stays bounded under sustained ingest. The first plan of an indicator,
/// with no earlier one to serve, is waited for in full by a reader that asks so (exports, reports); any other
/// reader gets a table without plan after the wait, whose figures below the nation are withheld. Planning fails
/// closed: a plan that fails, whatever the cause, leaves the reader the last complete table of the indicator, or
/// without one a table whose figures below the nation are all withheld; it is tried again after
/// <see cref="PlanningEvents.RetryAfter"/> or on new data. A reader never gets the planner's error.
/// </summary>
public sealed class PublishedTables
{
    private readonly Func<Consolidator> _current;
    private readonly SecrecyPlanner _planner;
    private readonly TimeSpan _wait;
    private readonly int _years;
    private readonly PlanningEvents? _events;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, YearState> _byYear = [];
    private long _uses;

    /// <param name="current">The live consolidator (it changes when the registry does).</param>
    /// <param name="planner">The suppression planner.</param>
    /// <param name="wait">How long a reader waits for a fresh plan before being served the previous one.</param>
    /// <param name="years">Years kept in memory, least recently used dropped.</param>
    /// <param name="events">Told of each plan made or failed (logs, metrics); how soon a failed plan is retried.</param>
    public PublishedTables(Func<Consolidator> current, SecrecyPlanner planner, TimeSpan wait, int years, PlanningEvents? events = null)
    {
        _events = events;
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentOutOfRangeException.ThrowIfLessThan(years, 1);
        _current = current;
        _planner = planner;
        _wait = wait;
        _years = years;
    }

    /// <summary>Tests only: plans of snapshots taken from now on start when this completes.</summary>
    internal Task? PlanningGate { get; set; }

    /// <summary>The newest snapshot of a year (perhaps still being planned), or null.</summary>
    internal PublicationSnapshot? Latest(int year)
    {
        lock (_lock)
        {
            return _byYear.TryGetValue(year, out var state) ? state.Latest : null;
        }
    }

    /// <summary>
    /// Starts planning every indicator of a year in the background (at start-up, for the years analysts read first),
    /// so that the first reader does not wait for them; later changes keep them planned.
    /// </summary>
    public void Warm(int year)
    {
        lock (_lock)
        {
            var state = State(year);
            var consolidator = _current();
            if (state.Latest is null || state.Consolidator != consolidator || consolidator.Cube.VersionOf(year) > state.Latest.Version)
            {
                if (state.Latest?.PendingPlans().Length is null or 0)
                {
                    Renew(state, consolidator, year);
                }
            }

            foreach (var indicator in consolidator.SchemaFor(Periods.Period.OfYear(year)).Indicators)
            {
                _ = state.Latest!.PlanAsync(indicator);
            }
        }
    }

    /// <summary>These tables will not be read again: the plans of their snapshots that have not begun are cancelled (<see cref="PublicationSnapshot.Abandon"/>).</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            foreach (var state in _byYear.Values)
            {
                state.Latest?.Abandon();
            }
        }
    }

    /// <summary>The snapshot and plan that publish <paramref name="indicator"/> for <paramref name="year"/>.</summary>
    /// <param name="waitForPlan">Wait for the first plan in full rather than get a table without plan.</param>
    public PublishedTable For(int year, Indicator indicator, bool waitForPlan = true)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        PublicationSnapshot latest;
        PublishedTable? ready;
        for (var attempt = 0; ; attempt++)
        {
            Task[] pending = [];
            var left = _wait;
            lock (_lock)
            {
                var state = State(year);
                var consolidator = _current();
                var stale = state.Latest is null
                    || state.Consolidator != consolidator
                    || consolidator.Cube.VersionOf(year) > state.Latest.Version;
                if (stale && state.Latest is { } planning && (pending = planning.PendingPlans()).Length > 0 && attempt == 0)
                {
                    left = ReaderWait.Within(planning.WaitLeft(_wait), _wait);
                    // One snapshot per year is planned at a time: give the one in progress the reader's wait first.
                }
                else
                {
                    if (stale && pending.Length == 0)
                    {
                        Renew(state, consolidator, year);
                    }

                    latest = state.Latest!;
                    ready = state.Ready.GetValueOrDefault(indicator.Code);
                    break;
                }
            }

            ReaderWait.Settle(left, pending);
        }

        // Awaited, not just read: a plan a reader waits for is made even on a snapshot dropped meanwhile (Abandon).
        Task<IndicatorSecrecy> task;
        if (ready is not null && ready.Snapshot != latest && !latest.AwaitPlan(indicator, ReaderWait.Within(latest.WaitLeft(_wait, indicator.Code), _wait), out _))
        {
            return ready;
        }

        if (ready is null && !waitForPlan && !latest.AwaitPlan(indicator, ReaderWait.Within(latest.WaitLeft(_wait, indicator.Code), _wait), out _))
        {
            return new PublishedTable(latest, null);
        }

        latest.AwaitPlan(indicator, Timeout.InfiniteTimeSpan, out task);
        if (!task.IsCompletedSuccessfully)
        {
            // Fail closed: the last complete table (values and plan of one instant), or nothing below the nation.
            return ready ?? new PublishedTable(latest, null, Failed: true);
        }

        var table = new PublishedTable(latest, task.Result);
        lock (_lock)
        {
            var state = State(year);
            if (!state.Ready.TryGetValue(indicator.Code, out var current) || current.Snapshot.Version <= latest.Version)
            {
                state.Ready[indicator.Code] = table;
            }
        }

        return table;
    }

    private void Renew(YearState state, Consolidator consolidator, int year)
    {
        state.Consolidator = consolidator;
        var previous = state.Latest;
        state.Latest = new PublicationSnapshot(year, consolidator.Frozen(), _planner, PlanningGate, _events);

        // Keep the plans that were in use warm: they are made in the background on the new snapshot.
        var indicators = consolidator.SchemaFor(Periods.Period.OfYear(year)).Indicators;
        foreach (var code in previous?.Indicators ?? [])
        {
            if (indicators.FirstOrDefault(i => i.Code == code) is { } used)
            {
                _ = state.Latest.PlanAsync(used);
            }
        }
    }

    private YearState State(int year)
    {
        if (!_byYear.TryGetValue(year, out var state))
        {
            if (_byYear.Count >= _years)
            {
                _byYear.Remove(_byYear.MinBy(y => y.Value.LastUse).Key);
            }

            state = _byYear[year] = new YearState();
        }

        state.LastUse = ++_uses;
        return state;
    }

    private sealed class YearState
    {
        public Consolidator? Consolidator { get; set; }

        public PublicationSnapshot? Latest { get; set; }

        public Dictionary<string, PublishedTable> Ready { get; } = new(StringComparer.Ordinal);

        public long LastUse { get; set; }
    }
}
