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
    private readonly Action<TimeSpan>? _planned;

    /// <summary>Plans made at once in the process: half the processors, so queries and ingest keep the rest.</summary>
    private static readonly SemaphoreSlim Planners = new(Math.Max(1, Environment.ProcessorCount / 2));
    private readonly ConcurrentDictionary<(Period Period, DistinctCounts Distinct), Lazy<IReadOnlyDictionary<AreaRef, AreaFigures>>> _hierarchies = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<IndicatorSecrecy>>> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _planStarts = new(StringComparer.Ordinal);
    private readonly long _createdAt = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <param name="year">The year published from this snapshot.</param>
    /// <param name="consolidator">A consolidator over a frozen cube (<see cref="Consolidator.Frozen"/>).</param>
    /// <param name="planner">The planner of every indicator of the year.</param>
    /// <param name="gate">Tests only: plans start when it completes.</param>
    /// <param name="planned">Told how long each plan took (metrics).</param>
    public PublicationSnapshot(int year, Consolidator consolidator, SecrecyPlanner planner, Task? gate = null, Action<TimeSpan>? planned = null)
    {
        _gate = gate;
        _planned = planned;
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

    /// <summary>The plans still being made on this snapshot.</summary>
    public Task[] PendingPlans() =>
        [.. _plans.Values.Where(p => p.IsValueCreated && !p.Value.IsCompleted).Select(p => (Task)p.Value)];

    /// <summary>The figures of every department, region and the nation for a period of the year, as frozen.</summary>
    public IReadOnlyDictionary<AreaRef, AreaFigures> Hierarchy(Period period, DistinctCounts distinct) =>
        _hierarchies.GetOrAdd((period, distinct), key => new(() => _consolidator.ForHierarchy(key.Period, key.Distinct))).Value;

    /// <summary>The plan of an indicator, made once per snapshot on a thread of its own.</summary>
    public Task<IndicatorSecrecy> PlanAsync(Indicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        _planStarts.TryAdd(indicator.Code, System.Diagnostics.Stopwatch.GetTimestamp());
        var plan = _plans.GetOrAdd(indicator.Code, _ => new(() => Task.Factory.StartNew(
            () =>
            {
                _gate?.Wait();
                Planners.Wait();
                try
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    var secrecy = HierarchyDisclosure.Protect(Hierarchy, _consolidator.Registry, indicator, Year, _planner);
                    _planned?.Invoke(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                    return secrecy;
                }
                finally
                {
                    Planners.Release();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));
        var task = plan.Value;
        if (task.IsFaulted)
        {
            // A failed plan is not kept: the next caller tries again.
            _plans.TryRemove(new KeyValuePair<string, Lazy<Task<IndicatorSecrecy>>>(indicator.Code, plan));
        }

        return task;
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
        _plans.TryGetValue(indicator, out var plan) && plan.IsValueCreated && plan.Value.IsCompletedSuccessfully ? plan.Value.Result : null;
}
