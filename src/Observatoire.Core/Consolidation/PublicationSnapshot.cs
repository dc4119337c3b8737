using System.Collections.Concurrent;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// One year's figures frozen at one version of the data, and the suppression plans made on them. Everything
/// published from a snapshot (values, statuses, plans) describes the same instant, so the equations a reader can
/// write between published figures are those the plans protected.
/// </summary>
public sealed class PublicationSnapshot
{
    private readonly Consolidator _consolidator;
    private readonly SecrecyPlanner _planner;
    private readonly Task? _gate;
    private readonly PlanningEvents _events;

    /// <summary>Plans made at once in the process: half the processors, so queries and ingest keep the rest.</summary>
    private static readonly SemaphoreSlim Planners = new(Math.Max(1, Environment.ProcessorCount / 2));
    private readonly ConcurrentDictionary<(Period Period, DistinctCounts Distinct), Lazy<IReadOnlyDictionary<AreaRef, AreaFigures>>> _hierarchies = new();
    private readonly ConcurrentDictionary<string, PlanAttempt> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _planStarts = new(StringComparer.Ordinal);
    private readonly long _createdAt = System.Diagnostics.Stopwatch.GetTimestamp();
    private volatile bool _abandoned;

    /// <param name="year">The year published from this snapshot.</param>
    /// <param name="consolidator">A consolidator over a frozen cube (<see cref="Consolidator.Frozen"/>).</param>
    /// <param name="planner">The planner of every indicator of the year.</param>
    /// <param name="gate">Tests only: plans start when it completes.</param>
    /// <param name="events">Told of each plan made or failed (logs, metrics); how soon a failed plan is retried.</param>
    public PublicationSnapshot(int year, Consolidator consolidator, SecrecyPlanner planner, Task? gate = null, PlanningEvents? events = null)
    {
        _gate = gate;
        _events = events ?? new PlanningEvents();
        ArgumentNullException.ThrowIfNull(consolidator);
        ArgumentNullException.ThrowIfNull(planner);
        Year = year;
        _consolidator = consolidator;
        _planner = planner;
        Version = consolidator.Cube.Version;
    }

    public int Year { get; }

    /// <summary>The version of the data the snapshot holds.</summary>
    public long Version { get; }

    /// <summary>Indicators whose plan has been asked on this snapshot.</summary>
    public IEnumerable<string> Indicators => _plans.Keys;

    /// <summary>
    /// No new reader will come to this snapshot (its figures as of an instant were dropped from memory): plans not yet
    /// begun that no reader waits for end at once, cancelled, without being reported as failed, rather than keep the
    /// planners busy for nothing. A reader who still holds the figures (an export, a report, an edition being published)
    /// and waits for a plan (<see cref="AwaitPlan"/>) gets it made: dropping figures from memory never changes what a
    /// reader of them is given.
    /// </summary>
    public void Abandon() => _abandoned = true;

    /// <summary>The plans still being made on this snapshot.</summary>
    public Task[] PendingPlans() =>
        [.. _plans.Values.Where(p => p.Task.IsValueCreated && !p.Task.Value.IsCompleted).Select(p => (Task)p.Task.Value)];

    /// <summary>The figures of every department, region and the nation for a period of the year, as frozen.</summary>
    public IReadOnlyDictionary<AreaRef, AreaFigures> Hierarchy(Period period, DistinctCounts distinct) =>
        _hierarchies.GetOrAdd((period, distinct), key => new(() => _consolidator.ForHierarchy(key.Period, key.Distinct))).Value;

    /// <summary>
    /// The plan of an indicator, made once per snapshot on a thread of its own. A plan that fails (whatever the cause)
    /// is reported to <see cref="PlanningEvents.Failed"/> and kept as failed for <see cref="PlanningEvents.RetryAfter"/>;
    /// the first call after that starts it again.
    /// </summary>
    public Task<IndicatorSecrecy> PlanAsync(Indicator indicator) => Current(indicator).Task.Value;

    /// <summary>
    /// Waits at most <paramref name="wait"/> (<see cref="Timeout.InfiniteTimeSpan"/>: until it ends) for the plan of an
    /// indicator, started if need be; true when it ended in time, <paramref name="plan"/> then telling how. While a
    /// reader waits, the plan is made even if the snapshot is abandoned (<see cref="Abandon"/>).
    /// </summary>
    public bool AwaitPlan(Indicator indicator, TimeSpan wait, out Task<IndicatorSecrecy> plan)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var attempt = Current(indicator, start: false);
            Interlocked.Increment(ref attempt.Waiters);
            bool ended;
            try
            {
                plan = attempt.Task.Value;
                var left = wait - clock.Elapsed;
                ended = ReaderWait.Settle(wait == Timeout.InfiniteTimeSpan ? wait : left, plan);
            }
            finally
            {
                Interlocked.Decrement(ref attempt.Waiters);
            }

            // Cancelled just before this reader came (abandoned, no one waiting then): the next attempt sees it waiting.
            if (!(ended && attempt.Cancelled))
            {
                return ended;
            }

            if (wait != Timeout.InfiniteTimeSpan && clock.Elapsed >= wait)
            {
                return false;
            }
        }
    }

    /// <summary>The attempt a reader of the indicator's plan is given: the current one, or a new one when it failed long enough ago or was cancelled.</summary>
    private PlanAttempt Current(Indicator indicator, bool start = true)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        _planStarts.TryAdd(indicator.Code, System.Diagnostics.Stopwatch.GetTimestamp());
        var plan = Attempt(indicator);
        if (plan.Task.IsValueCreated
            && plan.Task.Value is { IsCompleted: true, IsCompletedSuccessfully: false }
            && (plan.Cancelled || System.Diagnostics.Stopwatch.GetElapsedTime(plan.FailedAt) >= _events.RetryAfter)
            && _plans.TryRemove(new KeyValuePair<string, PlanAttempt>(indicator.Code, plan)))
        {
            // The failure is old enough, or the plan was cancelled before a reader came: this caller starts it again.
            plan = Attempt(indicator);
        }

        if (start)
        {
            _ = plan.Task.Value;
        }

        return plan;
    }

    private PlanAttempt Attempt(Indicator indicator) => _plans.GetOrAdd(indicator.Code, _ => new PlanAttempt(this, indicator));

    private IndicatorSecrecy Plan(Indicator indicator, PlanAttempt attempt)
    {
        try
        {
            _gate?.Wait();
            ThrowIfAbandoned(attempt);
            Planners.Wait();
            try
            {
                ThrowIfAbandoned(attempt);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                _events.Starting?.Invoke(Year, indicator);
                var secrecy = HierarchyDisclosure.Protect(Hierarchy, _consolidator.Registry, indicator, Year, _planner);
                _events.Planned?.Invoke(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                if (secrecy.Plan.Profile.RepairOverBudget > 0)
                {
                    _events.RepairOverBudget?.Invoke(Year, indicator.Code, secrecy.Plan.Profile.RepairOverBudget);
                }

                return secrecy;
            }
            finally
            {
                Planners.Release();
            }
        }
        catch (Exception e)
        {
            // Set before the task completes: whoever sees it failed sees when.
            attempt.FailedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            if (!_abandoned)
            {
                _events.Failed?.Invoke(new PlanFailure(Year, indicator.Code, Version, e));
            }

            throw;
        }
    }

    private void ThrowIfAbandoned(PlanAttempt attempt)
    {
        if (_abandoned && Volatile.Read(ref attempt.Waiters) == 0)
        {
            attempt.Cancelled = true;
            throw new OperationCanceledException($"Plan de {Year} abandonné : ces chiffres ne sont plus en mémoire.");
        }
    }

    /// <summary>
    /// What is left of a reader's wait for this snapshot's plan of an indicator (or, without one, for the snapshot):
    /// the wait runs from when the plan was first asked, so the many figures of one query, and the queries after it,
    /// do not each wait again for the same plan.
    /// </summary>
    public TimeSpan WaitLeft(TimeSpan wait, string? indicator = null)
    {
        var since = indicator is not null && _planStarts.TryGetValue(indicator, out var started) ? started : _createdAt;
        var left = wait - System.Diagnostics.Stopwatch.GetElapsedTime(since);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>The plan of an indicator if it is ready.</summary>
    public IndicatorSecrecy? ReadyPlan(string indicator) =>
        _plans.TryGetValue(indicator, out var plan) && plan.Task.IsValueCreated && plan.Task.Value.IsCompletedSuccessfully ? plan.Task.Value.Result : null;

    /// <summary>One attempt at an indicator's plan: started at its first use, on a thread of its own.</summary>
    private sealed class PlanAttempt
    {
        public PlanAttempt(PublicationSnapshot snapshot, Indicator indicator) =>
            Task = new(() => System.Threading.Tasks.Task.Factory.StartNew(
                () => snapshot.Plan(indicator, this),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default));

        public Lazy<Task<IndicatorSecrecy>> Task { get; }

        /// <summary>When the attempt failed (a timestamp), valid once its task has failed.</summary>
        public long FailedAt { get; set; }

        /// <summary>Readers waiting for the attempt now (<see cref="AwaitPlan"/>): while there are some, it is not cancelled.</summary>
        public int Waiters;

        /// <summary>Whether the attempt was cancelled, its snapshot abandoned and no reader waiting: the next reader starts another.</summary>
        public volatile bool Cancelled;
    }
}
