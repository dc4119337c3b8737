using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Tests.Consolidation;

/// <summary>
/// The live hierarchy cache, kept up to date grid by grid, against the independent oracle: queries interleaved
/// with the arrival of every grid (revisions, stale and repeated ones included) answer what the grids received so
/// far give, for every area and every month, quarter and year.
/// </summary>
public class HierarchyCacheTests
{
    public static TheoryData<int> Seeds => [1, 42, 31337];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Queries_interleaved_with_arriving_grids_match_the_independent_computation_from_the_grids_received_so_far(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var cube = new GridCube();
        var consolidator = new Consolidator(RandomWorld.Catalog, world.Registry, cube);
        var cache = new HierarchyCache(capacity: 64);
        var received = new Dictionary<(string, Period), RawGrid>();
        var rng = new Random(seed);
        var d = new Discrepancies($"seed {seed}");
        var hits = 0;
        var checkpoints = 0;

        var next = rng.Next(1, 40);
        for (var i = 0; i < world.Applied.Count; i++)
        {
            var grid = world.Applied[i] with { Cells = (int[])world.Applied[i].Cells.Clone() };
            cube.Apply(grid);
            Receive(received, grid);
            if (i + 1 < next && i + 1 < world.Applied.Count)
            {
                continue;
            }

            // Most checkpoints read a few periods (the others' tables fall behind by many grids), some read them all.
            next = i + 1 + rng.Next(1, 40);
            checkpoints++;
            var oracle = new ConsolidationOracle(RandomWorld.Schema, world.Departments, world.Posts, received.Values);
            var periods = rng.Next(0, 4) == 0 || i + 1 == world.Applied.Count
                ? RandomWorld.AllPeriods
                : [.. RandomWorld.AllPeriods.OrderBy(_ => rng.Next()).Take(4)];
            foreach (var period in periods)
            {
                var hierarchy = cache.Get(consolidator, period, Consolidator.DistinctCounts.Exact, out var hit);
                hits += hit ? 1 : 0;
                foreach (var area in ConsolidationAgainstOracleTests.Areas(world))
                {
                    FigureComparison.Compare(oracle.ForArea(area, period), hierarchy[area], area, period, d);
                }
            }
        }

        d.AssertNone();
        Assert.True(checkpoints > 20, $"{checkpoints} checkpoints");
        Assert.True(hits > 0, "no query found its table current");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void An_updated_table_is_identical_to_one_computed_afresh_including_the_order_of_missing_grids(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var cube = new GridCube();
        var consolidator = new Consolidator(RandomWorld.Catalog, world.Registry, cube);
        var cache = new HierarchyCache(capacity: 64);
        var half = world.Applied.Count / 2;
        foreach (var grid in world.Applied.Take(half))
        {
            cube.Apply(grid);
        }

        foreach (var period in RandomWorld.AllPeriods)
        {
            cache.Get(consolidator, period, Consolidator.DistinctCounts.Cumulated, out _);
        }

        foreach (var grid in world.Applied.Skip(half))
        {
            cube.Apply(grid);
        }

        var d = new Discrepancies($"seed {seed}");
        foreach (var period in RandomWorld.AllPeriods)
        {
            var updated = cache.Get(consolidator, period, Consolidator.DistinctCounts.Cumulated, out var hit);
            d.Check(!hit, $"[{period}]", "hit", false, hit);
            var afresh = consolidator.ForHierarchy(period, Consolidator.DistinctCounts.Cumulated);
            foreach (var (area, figures) in afresh)
            {
                var where = $"[{area} {period}]";
                FigureComparison.CompareProduction(figures, updated[area], where, d);
                d.Check(figures.Values.SequenceEqual(updated[area].Values), where, "Values", "same", "other");
                d.Check(figures.Fte.Equals(updated[area].Fte), where, "Fte bits", figures.Fte, updated[area].Fte);
                d.Check(figures.Missing.SequenceEqual(updated[area].Missing), where, "Missing order", FigureComparison.Describe(figures.Missing), FigureComparison.Describe(updated[area].Missing));
            }
        }

        d.AssertNone();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Tables_updated_by_difference_stay_identical_to_fresh_ones_through_lowered_values_older_receptions_other_schemas_and_new_tilings(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var consolidator = world.NewConsolidator();
        var cache = new HierarchyCache(capacity: 256);
        var rng = new Random(seed);
        var d = new Discrepancies($"seed {seed}");
        foreach (var period in RandomWorld.AllPeriods)
        {
            cache.Get(consolidator, period, Consolidator.DistinctCounts.Exact, out _);
            cache.Get(consolidator, period, Consolidator.DistinctCounts.Cumulated, out _);
        }

        var kinds = new int[Enum.GetValues<Arrival>().Length];
        var updates = 0;
        for (var round = 0; round < 150; round++)
        {
            for (var n = rng.Next(1, 4); n > 0; n--)
            {
                var kind = Hostile(world, rng);
                kinds[(int)kind]++;
            }

            foreach (var period in RandomWorld.AllPeriods.OrderBy(_ => rng.Next()).Take(6))
            {
                var distinct = rng.Next(0, 2) == 0 ? Consolidator.DistinctCounts.Exact : Consolidator.DistinctCounts.Cumulated;
                var updated = cache.Get(consolidator, period, distinct, out var hit);
                updates += hit ? 0 : 1;
                CompareIdentical(consolidator.ForHierarchy(period, distinct), updated, $"round {round} {distinct}", d);
            }
        }

        d.AssertNone();
        Assert.All(kinds, count => Assert.True(count > 5, $"arrivals by kind: {string.Join(", ", kinds)}"));
        Assert.True(updates > 100, $"{updates} updates");
    }

    [Fact]
    public void A_reader_holding_a_table_keeps_its_figures_while_the_next_one_is_updated()
    {
        var world = RandomWorld.Generate(99);
        var consolidator = world.NewConsolidator();
        var cache = new HierarchyCache(capacity: 8);
        var year = Period.OfYear(2025);
        var held = cache.Get(consolidator, year, Consolidator.DistinctCounts.Exact, out _);
        var asItWas = consolidator.Frozen().ForHierarchy(year);

        var rng = new Random(99);
        for (var i = 0; i < 20; i++)
        {
            var grid = world.Grids.Where(g => year.Contains(g.Period)).ElementAt(rng.Next(0, 20));
            var current = world.Cube.Find(grid.PostId, grid.Period)!;
            world.Cube.Apply(current with { Cells = [.. current.Cells.Select(c => c + 7)], Revision = current.Revision + 1, ReceivedUtc = current.ReceivedUtc.AddDays(1) });
        }

        var now = cache.Get(consolidator, year, Consolidator.DistinctCounts.Exact, out var hit);

        Assert.False(hit);
        Assert.NotEqual(held[AreaRef.National].Values, now[AreaRef.National].Values);
        var d = new Discrepancies("held table");
        CompareIdentical(asItWas, held, "held", d);
        CompareIdentical(consolidator.ForHierarchy(year), now, "now", d);
        d.AssertNone();
    }

    [Fact]
    public void A_grid_changes_the_tables_of_its_period_and_the_periods_above_it_only()
    {
        var world = RandomWorld.Generate(7);
        var consolidator = world.NewConsolidator();
        var cache = new HierarchyCache(capacity: 64);
        foreach (var period in RandomWorld.AllPeriods)
        {
            cache.Get(consolidator, period, Consolidator.DistinctCounts.Exact, out _);
        }

        var model = world.Grids.First(g => g.Period == Period.Month(2025, 5));
        world.Cube.Apply(new CubeGrid(model.PostId, model.Period, model.SchemaVersion, (int[])model.Cells.Clone(), model.Revision + 1, model.FirstReceivedUtc, model.ReceivedUtc.AddDays(1)));

        Period[] touched = [Period.Month(2025, 5), Period.Quarter(2025, 2), Period.OfYear(2025)];
        foreach (var period in RandomWorld.AllPeriods)
        {
            cache.Get(consolidator, period, Consolidator.DistinctCounts.Exact, out var hit);
            Assert.Equal(!touched.Contains(period), hit);
            Assert.True(cache.Get(consolidator, period, Consolidator.DistinctCounts.Exact, out var again) is not null && again, $"{period} is current after its update");
        }
    }

    [Fact]
    public void A_new_registry_rebuilds_the_tables_in_full()
    {
        var world = RandomWorld.Generate(2024);
        var cache = new HierarchyCache(capacity: 8);
        var period = Period.OfYear(2025);
        cache.Get(world.NewConsolidator(), period, Consolidator.DistinctCounts.Exact, out _);

        // Half the posts leave the registry: a new consolidator over the same cube.
        var registry = new RegistrySnapshot(world.Regions, world.Departments, world.Posts.Where((_, i) => i % 2 == 0));
        var smaller = new Consolidator(RandomWorld.Catalog, registry, world.Cube);
        var answer = cache.Get(smaller, period, Consolidator.DistinctCounts.Exact, out var hit);

        Assert.False(hit);
        var d = new Discrepancies("new registry");
        foreach (var (area, figures) in smaller.ForHierarchy(period))
        {
            FigureComparison.CompareProduction(figures, answer[area], $"[{area}]", d);
        }

        d.AssertNone();
    }

    [Fact]
    public async Task Queries_racing_with_arriving_grids_answer_every_grid_once_the_arrivals_stop()
    {
        var world = RandomWorld.Generate(31337);
        var cube = new GridCube();
        var consolidator = new Consolidator(RandomWorld.Catalog, world.Registry, cube);
        var cache = new HierarchyCache(capacity: 64);
        using var done = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            var rng = new Random(r);
            while (!done.IsCancellationRequested)
            {
                cache.Get(consolidator, RandomWorld.AllPeriods[rng.Next(RandomWorld.AllPeriods.Count)], Consolidator.DistinctCounts.Exact, out _);
            }
        })).ToList();

        foreach (var grid in world.Applied)
        {
            cube.Apply(grid);
        }

        await done.CancelAsync();
        await Task.WhenAll(readers);

        var oracle = ConsolidationOracle.For(world);
        var d = new Discrepancies("race");
        foreach (var period in RandomWorld.AllPeriods)
        {
            var hierarchy = cache.Get(consolidator, period, Consolidator.DistinctCounts.Exact, out _);
            foreach (var area in ConsolidationAgainstOracleTests.Areas(world))
            {
                FigureComparison.Compare(oracle.ForArea(area, period), hierarchy[area], area, period, d);
            }
        }

        d.AssertNone();
    }

    /// <summary>What arrives after the world's grids, to move every field of a figure both ways.</summary>
    private enum Arrival
    {
        /// <summary>A revision with lower values.</summary>
        Lowered,

        /// <summary>A revision received before the current one (the newest reception time may go down).</summary>
        OlderReception,

        /// <summary>A revision in a schema version the catalog does not know (the version set changes, cells are not derivable).</summary>
        OtherSchema,

        /// <summary>A grid where none was: a missing grid received, a finer or coarser grid that changes a post's tiling, a grid outside a post's dates.</summary>
        NewGrid,

        /// <summary>An older revision arriving again: ignored.</summary>
        Stale,
    }

    private static Arrival Hostile(RandomWorld world, Random rng)
    {
        var kind = (Arrival)rng.Next(0, Enum.GetValues<Arrival>().Length);
        var cells = Enumerable.Range(0, RandomWorld.Schema.Layout.Count).Select(_ => rng.Next(0, 40)).ToArray();
        if (kind == Arrival.NewGrid)
        {
            var post = world.Posts[rng.Next(world.Posts.Count)];
            var period = RandomWorld.AllPeriods[rng.Next(RandomWorld.AllPeriods.Count)];
            if (world.Cube.Find(post.Id, period) is null)
            {
                var at = period.End.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(rng.Next(1, 60));
                world.Cube.Apply(new CubeGrid(post.Id, period, RandomWorld.SchemaVersion, cells, 1, at, at));
                return kind;
            }

            kind = Arrival.Lowered;
        }

        var model = world.Grids[rng.Next(world.Grids.Count)];
        var current = world.Cube.Find(model.PostId, model.Period)!;
        var next = kind switch
        {
            Arrival.Lowered => current with { SchemaVersion = RandomWorld.SchemaVersion, Cells = [.. current.Cells.Select(c => rng.Next(0, c + 1))], ReceivedUtc = current.ReceivedUtc.AddHours(1) },
            Arrival.OlderReception => current with { SchemaVersion = RandomWorld.SchemaVersion, Cells = cells, ReceivedUtc = current.ReceivedUtc.AddDays(-rng.Next(1, 400)) },
            Arrival.OtherSchema => current with { SchemaVersion = "2024.9", Cells = cells, ReceivedUtc = current.ReceivedUtc.AddHours(1) },
            _ => current with { Cells = cells, Revision = current.Revision - 1 },
        };
        world.Cube.Apply(next with { Revision = kind == Arrival.Stale ? current.Revision - 1 : current.Revision + 1 });
        return kind;
    }

    /// <summary>Every field of every area, bit for bit and in order: an updated table must be the table computed afresh.</summary>
    private static void CompareIdentical(IReadOnlyDictionary<AreaRef, AreaFigures> fresh, IReadOnlyDictionary<AreaRef, AreaFigures> updated, string label, Discrepancies d)
    {
        d.Check(fresh.Keys.SequenceEqual(updated.Keys), label, "areas", string.Join(",", fresh.Keys), string.Join(",", updated.Keys));
        foreach (var (area, figures) in fresh)
        {
            var other = updated[area];
            var where = $"[{label} {area} {figures.Period}]";
            FigureComparison.CompareProduction(figures, other, where, d);
            d.Check(figures.Values.SequenceEqual(other.Values), where, "Values", "same", "other");
            d.Check(figures.Derivable.SequenceEqual(other.Derivable), where, "Derivable", "same", "other");
            d.Check(figures.Fte.Equals(other.Fte), where, "Fte bits", figures.Fte, other.Fte);
            d.Check(figures.Missing.SequenceEqual(other.Missing), where, "Missing order", FigureComparison.Describe(figures.Missing), FigureComparison.Describe(other.Missing));
            d.Check(figures.MissingBilans.SequenceEqual(other.MissingBilans), where, "MissingBilans order", FigureComparison.Describe(figures.MissingBilans), FigureComparison.Describe(other.MissingBilans));
            d.Check(figures.SchemaVersions.SequenceEqual(other.SchemaVersions), where, "SchemaVersions", string.Join(",", figures.SchemaVersions), string.Join(",", other.SchemaVersions));
        }
    }

    /// <summary>The current grid of each post and period as the rules define it: the highest revision, first received at its first revision's time.</summary>
    private static void Receive(Dictionary<(string, Period), RawGrid> received, CubeGrid grid)
    {
        var key = (grid.PostId, grid.Period);
        if (received.TryGetValue(key, out var held))
        {
            if (held.Revision > grid.Revision)
            {
                return;
            }

            received[key] = new RawGrid(grid.PostId, grid.Period, grid.SchemaVersion, grid.Cells, grid.Revision, held.FirstReceivedUtc < grid.FirstReceivedUtc ? held.FirstReceivedUtc : grid.FirstReceivedUtc, grid.ReceivedUtc);
            return;
        }

        received[key] = new RawGrid(grid.PostId, grid.Period, grid.SchemaVersion, grid.Cells, grid.Revision, grid.FirstReceivedUtc, grid.ReceivedUtc);
    }
}
