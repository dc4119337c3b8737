using System.Collections.Concurrent;
using Observatoire.Core.Periods;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// The live hierarchies (departments, regions, nation) of the periods read lately, kept up to date as grids arrive
/// rather than emptied: a table is current while no grid inside its period changed (<see cref="GridCube.VersionOf(Period)"/>);
/// otherwise only the posts whose grids changed are consolidated again, and the areas they count in move by the
/// difference (<see cref="Consolidator.Update"/>), in a new table: readers of the previous one never wait for it. A
/// change of registry (a new consolidator) or a change log that no longer reaches back to the table rebuilds it in full.
/// Every answer equals <see cref="Consolidator.ForHierarchy"/> at the cube's version when it was read, or a later one.
/// </summary>
public sealed class HierarchyCache
{
    private readonly int _capacity;
    private readonly ConcurrentDictionary<(Period Period, DistinctCounts Distinct), Entry> _entries = new();
    private long _uses;
    private int _count;

    /// <param name="capacity">Periods kept, least recently used dropped beyond.</param>
    public HierarchyCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count => _entries.Count;

    /// <summary>The hierarchy of a period as <paramref name="consolidator"/>'s cube holds it now.</summary>
    /// <param name="hit">True when the cached table was current (nothing consolidated).</param>
    public IReadOnlyDictionary<AreaRef, AreaFigures> Get(Consolidator consolidator, Period period, DistinctCounts distinct, out bool hit)
    {
        ArgumentNullException.ThrowIfNull(consolidator);
        if (!_entries.TryGetValue((period, distinct), out var entry))
        {
            // Counted here rather than with ConcurrentDictionary.Count, which takes every lock of the dictionary.
            var created = new Entry();
            entry = _entries.GetOrAdd((period, distinct), created);
            if (ReferenceEquals(entry, created) && Interlocked.Increment(ref _count) > _capacity)
            {
                Evict();
            }
        }

        entry.LastUse = Interlocked.Increment(ref _uses);

        var cube = consolidator.Cube;
        if (Volatile.Read(ref entry.State) is { } current && current.Table.Source == consolidator && cube.VersionOf(period) <= current.Version)
        {
            hit = true;
            return current.Table.Areas;
        }

        hit = false;
        lock (entry.Lock)
        {
            // Another reader may have brought it up to date meanwhile.
            var state = entry.State;
            if (state is not null && state.Table.Source == consolidator && cube.VersionOf(period) <= state.Version)
            {
                return state.Table.Areas;
            }

            var changed = new HashSet<string>(StringComparer.Ordinal);
            if (state is not null && state.Table.Source == consolidator && cube.TryChangesSince(state.Version, period, changed, out var now))
            {
                // Grids applied after `now` are in the log after it: the next reader consolidates their posts again.
                state = new State(now, changed.Count == 0 ? state.Table : consolidator.Update(state.Table, changed));
            }
            else
            {
                // Read before consolidating: a grid applied meanwhile is after it, hence taken again next time.
                var version = cube.Version;
                state = new State(version, consolidator.HierarchyTable(period, distinct));
            }

            Volatile.Write(ref entry.State, state);
            return state.Table.Areas;
        }
    }

    private void Evict()
    {
        foreach (var (key, _) in _entries.OrderBy(e => e.Value.LastUse).Take(_entries.Count - _capacity).ToList())
        {
            if (_entries.TryRemove(key, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    private sealed record State(long Version, HierarchyTable Table);

    private sealed class Entry
    {
        public readonly Lock Lock = new();
        public State? State;
        public long LastUse;
    }
}
