using System.Diagnostics;
using RegionInfo = Observatoire.Core.Consolidation.RegionInfo;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;
using Observatoire.Data;

namespace Observatoire.Benchmarks.Consolidation;

/// <summary>
/// Ten years of grids for 600 posts (the ANISCG target), in memory as the server holds them, then the
/// queries analysts and report jobs make. Machines here are noisy: every figure is a median over
/// repeated runs, and each is also given as a ratio to a baseline measured in the same run (one plain
/// pass over every cell of every grid: the least work any consolidation of everything must do).
/// </summary>
internal static class ConsolidationBenchmark
{
    private const int Runs = 15;

    public static void Run(int years, int targetPosts)
    {
        var catalog = SchemaCatalog.LoadEmbedded();
        var schema = catalog.Latest;
        var registry = BuildRegistry(targetPosts);
        var cube = new GridCube();
        var random = new Random(20251123);
        var lastYear = 2025;
        var firstYear = lastYear - years + 1;
        foreach (var post in registry.Posts.Values)
        {
            foreach (var period in Enumerable.Range(firstYear, years).Select(Period.OfYear))
            {
                foreach (var sub in period.Split(post.ReportingKind))
                {
                    if (random.NextDouble() < 0.03)
                    {
                        continue; // a missing grid
                    }

                    var cells = new int[schema.Layout.Count];
                    for (var i = 0; i < cells.Length; i++)
                    {
                        cells[i] = random.Next(0, 60);
                    }

                    var at = sub.End.AddDays(random.Next(1, 30)).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                    cube.Apply(new CubeGrid(post.Id, sub, schema.Version, cells, 1, at, at));
                }
            }
        }

        var consolidator = new Consolidator(catalog, registry, cube);
        Console.WriteLine($"Consolidation — {registry.Posts.Count} posts, {years} years ({firstYear}-{lastYear}), {cube.Count:N0} grids of {schema.Layout.Count} cells, {Environment.ProcessorCount} cores");
        Console.WriteLine();

        var year = Period.OfYear(lastYear);
        var baseline = Measure(() =>
        {
            long sum = 0;
            foreach (var post in registry.Posts.Keys)
            {
                foreach (var grid in cube.GridsOf(post))
                {
                    foreach (var value in grid.Cells)
                    {
                        sum += value;
                    }
                }
            }

            return sum;
        });

        var results = new List<(string Name, double Median)>
        {
            ("baseline: one pass over every cell of every grid", baseline),
            ("national figures, one year", Measure(() => consolidator.ForArea(AreaRef.National, year).GridsUsed)),
            ("national figures for each of the ten years", Measure(() => Enumerable.Range(firstYear, years).Sum(y => consolidator.ForArea(AreaRef.National, Period.OfYear(y)).GridsUsed))),
            ("national monthly series over ten years (120 points)", Measure(() => Enumerable.Range(0, years * 12).Sum(i => consolidator.ForArea(AreaRef.National, Period.Month(firstYear, 1).Shift(i)).GridsUsed))),
            ("department, one quarter", Measure(() => consolidator.ForArea(new AreaRef(AreaLevel.Department, "59"), Period.Quarter(lastYear, 2)).GridsUsed)),
            ("whole hierarchy (101 departments, 18 regions, nation), one year", Measure(() => consolidator.ForHierarchy(year).Count)),
        };

        Console.WriteLine($"{"measure",-72} {"median",12} {"× baseline",12}");
        foreach (var (name, median) in results)
        {
            Console.WriteLine($"{name,-72} {Format(median),12} {median / baseline,12:N1}");
        }
    }

    internal static double Measure(Func<long> work)
    {
        work(); // warm up (JIT, caches)
        var times = new double[Runs];
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(work());
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return times[Runs / 2];
    }

    internal static string Format(double milliseconds) => milliseconds < 1 ? $"{milliseconds * 1000:N0} µs" : $"{milliseconds:N1} ms";

    // The reference departments with the embedded registry, grown to the target by cloning posts in
    // proportion to population, as the programme will grow.
    internal static RegistrySnapshot BuildRegistry(int targetPosts)
    {
        var departments = ReferenceData.LoadDepartments();
        var posts = ReferenceData.LoadEmbeddedPosts().Where(p => p.ActiveTo is null).ToList();
        var all = posts.Select(p => (p.Id, p.Name, p.DepartmentCode, p.Zone, p.Fte, p.Frequency)).ToList();
        for (var i = 0; all.Count < targetPosts; i++)
        {
            var model = posts[i % posts.Count];
            all.Add(($"{model.Id}-b{i}", model.Name + " (bis)", model.DepartmentCode, model.Zone, model.Fte, model.Frequency));
        }

        var from = new DateOnly(2010, 1, 1);
        return new RegistrySnapshot(
            ReferenceData.Regions(departments).Select(r => new RegionInfo(r.Code, r.Name, r.Population)),
            departments.Select(d => new DepartmentInfo(d.Code, d.Name, d.RegionCode, d.Population, d.Latitude, d.Longitude)),
            all.Select(p => new PostInfo(p.Id, p.Name, p.DepartmentCode, p.Zone, p.Fte, p.Frequency, from, null, [new PostLocation(p.DepartmentCode, from, null)])));
    }
}
