using System.Globalization;
using Observatoire.Benchmarks.Consolidation;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Benchmarks.Growth;

/// <summary>
/// How the queries' cost grows with history: the consolidation benchmark's synthetic world (<see cref="ConsolidationBenchmark.BuildCube"/>)
/// for each number of years, and the same three queries as its live tables (a national year, one department's year, the
/// national monthly series over every year), each cold (a fresh <see cref="HierarchyCache"/>: the first computation of
/// its periods, what a server pays for a period nobody asked for since it started), cached, and while grids arrive; each
/// next to its baseline, a plain loop over the cells of the same grids, measured in the same world.
/// </summary>
internal static class QueryGrowth
{
    private const int ColdRuns = 9;

    public sealed record Row(int Years, string Query, int Grids, double LoopP50, double ColdP50, double ColdMax, double CachedP50, double CachedP99, double LiveP50, double LiveP99, double GridsPerSecond);

    public static List<Row> Run(IReadOnlyList<int> sizes, int targetPosts)
    {
        var catalog = SchemaCatalog.LoadEmbedded();
        var schema = catalog.Latest;
        var registry = ConsolidationBenchmark.BuildRegistry(targetPosts);
        const int lastYear = 2025;
        var rows = new List<Row>();
        Console.WriteLine($"Query growth — {registry.Posts.Count} posts, {string.Join(", ", sizes)} years of grids ending in {lastYear}; cold: p50 and max of {ColdRuns} first computations; cached and while grids arrive: p50 / p99 of {ConsolidationBenchmark.LiveRuns}");
        // The smallest world first without a record: the JIT's tiers settle before anything is kept.
        foreach (var (years, kept) in sizes.Take(1).Select(s => (s, false)).Concat(sizes.Select(s => (s, true))))
        {
            var firstYear = lastYear - years + 1;
            var cube = ConsolidationBenchmark.BuildCube(registry, schema, firstYear, years);
            var consolidator = new Consolidator(catalog, registry, cube);
            var year = Period.OfYear(lastYear);
            var months = Enumerable.Range(0, years * 12).Select(i => Period.Month(firstYear, 1).Shift(i)).ToList();
            var department = new AreaRef(AreaLevel.Department, "59");
            var grids = registry.Posts.Keys.SelectMany(cube.GridsOf).ToList();
            var ofYear = grids.Where(g => year.Contains(g.Period)).ToList();
            (string Name, Func<HierarchyCache, long> Query, List<CubeGrid> Grids)[] queries =
            [
                ("national year", cache => cache.Get(consolidator, year, Consolidator.DistinctCounts.Exact, out _)[AreaRef.National].GridsUsed, ofYear),
                ("one department's year", cache => cache.Get(consolidator, year, Consolidator.DistinctCounts.Exact, out _)[department].GridsUsed, ofYear),
                ("national monthly series, every year", cache => months.Sum(m => cache.Get(consolidator, m, Consolidator.DistinctCounts.Exact, out _)[AreaRef.National].GridsUsed), grids),
            ];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {years} years ({firstYear}-{lastYear}): {cube.Count:N0} grids{(kept ? "" : " (warm-up, not kept)")}"));
            foreach (var (name, query, over) in queries)
            {
                var loop = ConsolidationBenchmark.Percentiles(() => ConsolidationBenchmark.Sum(over), ConsolidationBenchmark.LiveRuns);
                query(new HierarchyCache(256)); // compiled before the cold runs are timed
                var cold = ConsolidationBenchmark.Percentiles(() => query(new HierarchyCache(256)), ColdRuns);
                var cache = new HierarchyCache(256);
                var live = () => query(cache);
                live();
                var cached = ConsolidationBenchmark.Percentiles(live, ConsolidationBenchmark.LiveRuns);
                var during = ConsolidationBenchmark.WhileGridsArrive(cube, live, over);
                if (kept)
                {
                    rows.Add(new Row(years, name, over.Count, loop.P50, cold.P50, cold.P99, cached.P50, cached.P99, during.P50, during.P99, during.GridsPerSecond));
                }
            }
        }

        Console.WriteLine();
        Print(rows);
        return rows;
    }

    /// <summary>One row per query and data size, grouped by query so that a reader sees each cost grow with history.</summary>
    private static void Print(List<Row> rows)
    {
        string F(double ms) => ConsolidationBenchmark.Format(ms);
        Console.WriteLine($"| {"query",-36} | {"years",5} | {"grids",7} | {"loop p50",9} | {"cold p50",9} | {"cold max",9} | {"cold ÷ loop",11} | {"cached p50",10} | {"p99",8} | {"arriving p50",12} | {"p99",8} | {"p99 ÷ loop",10} |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows.OrderBy(r => r.Query == "national year" ? 0 : r.Query == "one department's year" ? 1 : 2).ThenBy(r => r.Years))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Query,-36} | {r.Years,5} | {r.Grids,7:N0} | {F(r.LoopP50),9} | {F(r.ColdP50),9} | {F(r.ColdMax),9} | {r.ColdP50 / r.LoopP50,11:N1} | {F(r.CachedP50),10} | {F(r.CachedP99),8} | {F(r.LiveP50),12} | {F(r.LiveP99),8} | {r.LiveP99 / r.LoopP50,10:N2} |"));
        }

        Console.WriteLine($"(grids arriving while queried: {rows.Min(r => r.GridsPerSecond):N0} to {rows.Max(r => r.GridsPerSecond):N0} a second; GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")})");
    }
}
