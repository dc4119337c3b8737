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

    /// <param name="liveOnly">Only the live tables, cached and while grids arrive (the <c>queries</c> scenario).</param>
    public static void Run(int years, int targetPosts, bool liveOnly = false)
    {
        var catalog = SchemaCatalog.LoadEmbedded();
        var schema = catalog.Latest;
        var registry = BuildRegistry(targetPosts);
        var lastYear = 2025;
        var firstYear = lastYear - years + 1;
        var cube = BuildCube(registry, schema, firstYear, years);

        var consolidator = new Consolidator(catalog, registry, cube);
        Console.WriteLine($"Consolidation — {registry.Posts.Count} posts, {years} years ({firstYear}-{lastYear}), {cube.Count:N0} grids of {schema.Layout.Count} cells, {Environment.ProcessorCount} cores");
        Console.WriteLine();

        if (liveOnly)
        {
            LiveQueries(consolidator, registry, schema, firstYear, lastYear);
            return;
        }

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

        Console.WriteLine();
        LiveQueries(consolidator, registry, schema, firstYear, lastYear);
    }

    /// <summary>
    /// The synthetic world: each post's grids of <paramref name="years"/> years from <paramref name="firstYear"/> (one per
    /// sub-period of its reporting frequency, 3 % missing), every cell a random count below 60, in memory as the server holds them.
    /// </summary>
    internal static GridCube BuildCube(RegistrySnapshot registry, GridSchema schema, int firstYear, int years)
    {
        var cube = new GridCube();
        var random = new Random(20251123);
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

        return cube;
    }

    /// <summary>
    /// The server's live tables (<see cref="HierarchyCache"/>) read as analysts do, cached and while grids arrive: a
    /// writer thread applies new revisions of random grids of the ten years as fast as it can (each one a change the
    /// next read must show), and each query's p50 and p99 are compared with a plain loop over the same values.
    /// </summary>
    private static void LiveQueries(Consolidator consolidator, RegistrySnapshot registry, GridSchema schema, int firstYear, int lastYear)
    {
        var cube = consolidator.Cube;
        var cache = new HierarchyCache(256);
        var year = Period.OfYear(lastYear);
        var months = Enumerable.Range(0, (lastYear - firstYear + 1) * 12).Select(i => Period.Month(firstYear, 1).Shift(i)).ToList();
        var department = new AreaRef(AreaLevel.Department, "59");
        var grids = registry.Posts.Keys.SelectMany(cube.GridsOf).ToList();
        var ofYear = grids.Where(g => year.Contains(g.Period)).ToList();
        // The grids arriving are new revisions of the queried period's grids: each query finds its tables stale.
        (string Name, Func<long> Query, Func<long> Loop, List<CubeGrid> Arriving)[] queries =
        [
            ("national figures, one year", () => cache.Get(consolidator, year, Consolidator.DistinctCounts.Exact, out _)[AreaRef.National].GridsUsed, () => Sum(ofYear), ofYear),
            ("one department, one year", () => cache.Get(consolidator, year, Consolidator.DistinctCounts.Exact, out _)[department].GridsUsed, () => Sum(ofYear), ofYear),
            ("national monthly series over ten years (120 points)", () => months.Sum(m => cache.Get(consolidator, m, Consolidator.DistinctCounts.Exact, out _)[AreaRef.National].GridsUsed), () => Sum(grids), grids),
        ];

        Console.WriteLine($"Live tables — p50 / p99 of {LiveRuns} queries (after {WarmUpRuns} unmeasured ones while grids arrive), and the p50 of a plain loop over the same grids' cells (the baseline)");
        Console.WriteLine($"{"query",-56} {"loop p50",10} {"cached p50",11} {"p99",9} {"ingest p50",11} {"p99",9} {"p99 × loop",11}");
        foreach (var (name, query, loop, arriving) in queries)
        {
            var baseline = Percentiles(loop, LiveRuns);
            query();
            var cached = Percentiles(query, LiveRuns);
            var during = WhileGridsArrive(cube, query, arriving);
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{name,-56} {Format(baseline.P50),10} {Format(cached.P50),11} {Format(cached.P99),9} {Format(during.P50),11} {Format(during.P99),9} {during.P99 / baseline.P50,11:N1}   ({during.GridsPerSecond:N0} grids/s arriving)"));
            Console.WriteLine(Diagnose(during.Samples));
        }

        Console.WriteLine();
        Console.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, {System.Runtime.GCSettings.LatencyMode}");
    }

    /// <summary>The baseline of the live tables: a plain loop over the cells of the same grids.</summary>
    internal static long Sum(List<CubeGrid> grids)
    {
        long sum = 0;
        foreach (var grid in grids)
        {
            foreach (var value in grid.Cells)
            {
                sum += value;
            }
        }

        return sum;
    }

    /// <summary>
    /// A query's p50 and p99 while a writer thread applies new revisions of <paramref name="arriving"/> grids (at most about a
    /// thousand a second), each query 2 ms after the previous one so that it finds its tables stale; after
    /// <see cref="WarmUpRuns"/> unmeasured queries (the update path compiled, as in a server that has been answering).
    /// </summary>
    internal static LiveResult WhileGridsArrive(GridCube cube, Func<long> query, List<CubeGrid> arriving)
    {
        using var stop = new CancellationTokenSource();
        var applied = 0;
        var writer = Task.Run(() =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                var grid = arriving[random.Next(arriving.Count)];
                var current = cube.Find(grid.PostId, grid.Period)!;
                var cells = (int[])current.Cells.Clone();
                cells[random.Next(cells.Length)] += 1;
                cube.Apply(current with { Cells = cells, Revision = current.Revision + 1, ReceivedUtc = current.ReceivedUtc.AddSeconds(1) });
                Interlocked.Increment(ref applied);
                Thread.Sleep(1); // at most about a thousand grids a second: a busy reporting deadline
            }
        });
        while (Volatile.Read(ref applied) < 50)
        {
            Thread.Sleep(1);
        }

        // The server answers many queries under ingest: its update path is compiled (tier 1) before these are read.
        for (var i = 0; i < WarmUpRuns; i++)
        {
            Thread.Sleep(2);
            query();
        }

        // Queries spaced out so that grids land between any two of them: each one finds its tables stale.
        var watch = Stopwatch.StartNew();
        var start = Volatile.Read(ref applied);
        var samples = new List<Sample>(LiveRuns);
        var during = Percentiles(() =>
        {
            Thread.Sleep(2);
            var collections = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
            var paused = GC.GetTotalPauseDuration();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var cpu = ThreadCpu();
            var contended = Monitor.LockContentionCount;
            var started = Stopwatch.GetTimestamp();
            query();
            var elapsed = Stopwatch.GetTimestamp() - started;
            samples.Add(new Sample(
                samples.Count,
                Stopwatch.GetElapsedTime(0, elapsed).TotalMilliseconds,
                (ThreadCpu() - cpu).TotalMilliseconds,
                Monitor.LockContentionCount - contended,
                GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - collections,
                (GC.GetTotalPauseDuration() - paused).TotalMilliseconds,
                GC.GetAllocatedBytesForCurrentThread() - allocated));
            return elapsed;
        }, LiveRuns, measured: true);
        var rate = (Volatile.Read(ref applied) - start) / watch.Elapsed.TotalSeconds;
        stop.Cancel();
        writer.Wait();
        return new LiveResult(during.P50, during.P99, rate, samples);
    }

    internal const int LiveRuns = 200;

    internal const int WarmUpRuns = 50;

    internal sealed record LiveResult(double P50, double P99, double GridsPerSecond, List<Sample> Samples);

    internal readonly record struct Sample(int Index, double Milliseconds, double CpuMilliseconds, long Contentions, int Collections, double PausedMilliseconds, long Allocated);

    /// <summary>The CPU time of the calling thread (Linux; zero elsewhere): wall time minus this is waiting, for a core, a lock or the GC.</summary>
    private static TimeSpan ThreadCpu()
    {
        if (!OperatingSystem.IsLinux() || clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var time) != 0)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100));
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out Timespec time);

    /// <summary>Where the slow queries' time went: the slowest 5%, with the collections and GC pauses inside them.</summary>
    private static string Diagnose(List<Sample> samples)
    {
        var slow = samples.OrderByDescending(s => s.Milliseconds).Take(Math.Max(1, samples.Count / 20)).ToList();
        var cpu = samples.Select(s => s.CpuMilliseconds).Order().ToArray();
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"    slowest {slow.Count}: {string.Join(", ", slow.Select(s => $"#{s.Index} {s.Milliseconds:N1} ms ({s.CpuMilliseconds:N1} ms CPU, {s.Contentions} lock waits, {s.Collections} GC, {s.PausedMilliseconds:N1} ms paused)"))}; "
            + $"thread CPU p50 {cpu[cpu.Length / 2]:N2} ms, p99 {cpu[(int)Math.Ceiling(cpu.Length * 0.99) - 1]:N2} ms; "
            + $"queries with a GC: {samples.Count(s => s.Collections > 0)}/{samples.Count}, with a lock wait (any thread): {samples.Count(s => s.Contentions > 0)}; allocated per query p50 {samples.Select(s => s.Allocated).Order().ElementAt(samples.Count / 2) / 1024:N0} KB");
    }

    /// <param name="measured">The work returns its own duration in stopwatch ticks (to leave out a pause it makes first).</param>
    internal static (double P50, double P99) Percentiles(Func<long> work, int runs, bool measured = false)
    {
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = work();
            times[i] = measured ? Stopwatch.GetElapsedTime(0, result).TotalMilliseconds : watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[runs / 2], times[(int)Math.Ceiling(runs * 0.99) - 1]);
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
        return new RegistrySnapshot(
            ReferenceData.Regions(departments).Select(r => new RegionInfo(r.Code, r.Name, r.Population)),
            departments.Select(d => new DepartmentInfo(d.Code, d.Name, d.RegionCode, d.Population, d.Latitude, d.Longitude)),
            BuildPosts(targetPosts).Select(p => new PostInfo(p.Id, p.Name, p.DepartmentCode, p.Zone, p.Fte, p.Frequency, p.ActiveFrom, null, [new PostLocation(p.DepartmentCode, p.ActiveFrom, null)])));
    }

    /// <summary>The posts of <see cref="BuildRegistry"/>, all active since 2010 (what a server is seeded with to hold the same world).</summary>
    internal static List<PostRecord> BuildPosts(int targetPosts)
    {
        var posts = ReferenceData.LoadEmbeddedPosts().Where(p => p.ActiveTo is null).ToList();
        var from = new DateOnly(2010, 1, 1);
        var all = posts.Select(p => p with { ActiveFrom = from }).ToList();
        for (var i = 0; all.Count < targetPosts; i++)
        {
            var model = posts[i % posts.Count];
            all.Add(model with { Id = $"{model.Id}-b{i}", Name = model.Name + " (bis)", ActiveFrom = from });
        }

        return all;
    }
}
