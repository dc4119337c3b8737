using System.Globalization;
using Microsoft.EntityFrameworkCore;
using System.Diagnostics;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

/// <summary>
/// Secrecy planning of a national year: every department, region, month, quarter and the year, one indicator at
/// a time, on grids with small consistent counts (a post's monthly total of a few persons split over the
/// breakdowns), where many departmental cells are below the threshold.
/// </summary>
internal static class SecrecyScenario
{
    public static void Run(SchemaCatalog catalog, RegistrySnapshot registry, int year, string? only, string? database = null, bool profile = false)
    {
        var schema = catalog.Latest;
        var cube = new GridCube();
        if (database is not null)
        {
            registry = LoadDatabase(catalog, database, cube);
        }
        else
        {
            Synthesize(schema, registry, year, cube);
        }

        var consolidator = new Consolidator(catalog, registry, cube);
        var hierarchies = new Dictionary<(Period, Consolidator.DistinctCounts), IReadOnlyDictionary<AreaRef, AreaFigures>>();
        var watch = Stopwatch.StartNew();
        foreach (var (period, distinct) in HierarchyDisclosure.Slots(year).Distinct())
        {
            hierarchies[(period, distinct)] = consolidator.ForHierarchy(period, distinct);
        }

        Console.WriteLine();
        Console.WriteLine($"Secrecy planning of {year} (k = 5, protection range 2): {HierarchyDisclosure.SlotCount} time slots, consolidated in {watch.Elapsed.TotalMilliseconds:N0} ms");
        Console.WriteLine($"{"indicator",-28} {"cells",8} {"primary",8} {"second.",8} {"value %",8} {"LP",5} {"narrow/0",8} {"at limit",8} {"plan",10}");
        // SECRECY_REPAIR_BUDGET: the second pass's budget (SecrecyOptions.MaxRepairVariables), to measure its effect;
        // SECRECY_FLAGS=published: plan against a reader told which hidden cells are primary (Consolidation:PublishPrimaryFlag).
        var planner = new SecrecyPlanner(new SecrecyOptions
        {
            PrimaryFlagPublished = Environment.GetEnvironmentVariable("SECRECY_FLAGS") == "published",
            MaxRepairVariables = long.TryParse(Environment.GetEnvironmentVariable("SECRECY_REPAIR_BUDGET"), CultureInfo.InvariantCulture, out var budget) ? budget : new SecrecyOptions().MaxRepairVariables,
        });
        var total = 0.0;
        foreach (var indicator in schema.Indicators.Where(i => only is null || i.Code == only))
        {
            watch.Restart();
            var cpu = Environment.CpuUsage.TotalTime;
            var secrecy = HierarchyDisclosure.Protect((p, d) => hierarchies[(p, d)], registry, indicator, year, planner);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            var cpuTime = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds;
            total += elapsed;
            var loss = secrecy.Plan.Loss;
            // SECRECY_DIAG=limit: a few cells with no range at the table's limit; any other value: not at the limit.
            if (Environment.GetEnvironmentVariable("SECRECY_DIAG") is { } diag)
            {
                var tb = secrecy.Table;
                foreach (var u in secrecy.Plan.Narrowed.Where(n => n.Range == 0 && n.AtTableLimit == (diag == "limit")).Select(n => n.Cell).Take(6))
                {
                    var (g, t, c) = tb.Coordinates(u);
                    Console.WriteLine($"unprotected g={g} t={t} c={c} v={tb.Values[u]} depthG={tb.Geography.Depth(g)}");
                    var fam = tb.Geography.ParentFamilyOf(g);
                    Console.WriteLine("  siblings: " + string.Join(' ', tb.Geography.Families[fam].Children.Select(x => $"{x}:{tb.Values[tb.Index(x, t, c)]}{tb.Kinds[tb.Index(x, t, c)].ToString()[0]}")) + $" parent {tb.Values[tb.Index(tb.Geography.Families[fam].Parent, t, c)]}");
                    var tf = tb.TimeOf[c].ParentFamilyOf(t);
                    if (tf >= 0) Console.WriteLine("  time: " + string.Join(' ', tb.TimeOf[c].Families[tf].Children.Select(x => $"{x}:{tb.Values[tb.Index(g, x, c)]}{tb.Kinds[tb.Index(g, x, c)].ToString()[0]}")) + $" parent {tb.Values[tb.Index(g, tb.TimeOf[c].Families[tf].Parent, c)]}");
                    Console.WriteLine("  cells: " + string.Join(' ', Enumerable.Range(0, tb.Cells.Count).Select(x => $"{x}:{tb.Values[tb.Index(g, t, x)]}")));
                    Console.WriteLine("  rels: " + string.Join(' ', tb.RelationsOf(u).Select(r => tb.Relations[r].Kind)));
                }
            }

            Console.WriteLine($"{indicator.Code,-28} {secrecy.Table.Size,8:N0} {loss.PrimaryCells,8:N0} {loss.SecondaryCells,8:N0} {loss.SecondaryValueShare,8:P1} {secrecy.Plan.LinearProgramCertificates,5} {secrecy.Plan.Narrowed.Count,4}/{secrecy.Plan.Narrowed.Count(n => n.Range == 0),-3} {secrecy.Plan.Narrowed.Count(n => n.AtTableLimit),8:N0} {elapsed,7:N0} ms (CPU {cpuTime:N0} ms)");
            if (profile)
            {
                var table = secrecy.Table;
                var groups = secrecy.Plan.Narrowed
                    .GroupBy(n => (Slot: table.Coordinates(n.Cell).Time, Level: table.Geography.Depth(table.Coordinates(n.Cell).Area), None: n.Range < 1e-9, Limit: n.AtTableLimit))
                    .OrderByDescending(g => g.Count())
                    .Take(12);
                var narrowed = secrecy.Plan.Narrowed;
                Console.WriteLine($"{string.Empty,-28} below range: {narrowed.Count(n => n.AtTableLimit):N0} at the table's limit ({narrowed.Count(n => n.AtTableLimit && n.Range < 1e-9):N0} with no range), {narrowed.Count(n => !n.AtTableLimit):N0} not at the limit ({narrowed.Count(n => !n.AtTableLimit && n.Range < 1e-9):N0} with no range)");
                Console.WriteLine($"{string.Empty,-28} below range by (slot, area depth, no range, at table limit): {string.Join(", ", groups.Select(g => $"{g.Key} {g.Count()}"))}");
                var phases = secrecy.Plan.Profile;
                Console.WriteLine($"{string.Empty,-28} primary cells: {phases.Reused:N0} reused, {phases.ByHypercube:N0} by hypercubes, {phases.ByLinearProgram:N0} by linear programs (largest {phases.LargestProgram:N0} variables, {phases.SmallSufficed:N0} directions by the small program, {phases.WholeTimeAndCells:N0} over whole time and cells, {phases.WholeReached:N0} of which moved the cell, in {phases.WholePrograms.TotalMilliseconds:N0} ms; {phases.Pinned:N0} programs not built, the cell pinned in their sub-table); bounds {phases.Bounds.TotalMilliseconds:N0} ms, hypercubes {phases.Hypercubes.TotalMilliseconds:N0} ms, linear programs {phases.LinearPrograms.TotalMilliseconds:N0} ms");
                Console.WriteLine($"{string.Empty,-28} second pass: {phases.Repaired:N0} cells widened by {phases.RepairPrograms:N0} programs (by sub-table: {string.Join(" / ", phases.RepairProgramsByScope)}; directions widened: {string.Join(" / ", phases.RepairWidenedByScope)}), {phases.RepairOverBudget:N0} cells left over budget, {phases.RepairTooLarge:N0} programs too large for the budget left, in {phases.Repair.TotalMilliseconds:N0} ms (sign tests {phases.RepairSignTests.TotalMilliseconds:N0} ms, programs {phases.RepairLinearPrograms.TotalMilliseconds:N0} ms)");
            }
        }

        Console.WriteLine($"{"every indicator of the year",-28} {string.Empty,48} {total,7:N0} ms");
    }

    /// <summary>The grids and registry of a real database (e.g. one filled by <c>observatoire simulate</c>), read only.</summary>
    private static RegistrySnapshot LoadDatabase(SchemaCatalog catalog, string database, GridCube cube)
    {
        using var db = new Observatoire.Data.ObservatoireDbContext(
            new DbContextOptionsBuilder<Observatoire.Data.ObservatoireDbContext>().UseSqlite($"Data Source={database};Mode=ReadOnly").Options);
        var registry = Observatoire.Data.ConsolidationLoader.LoadRegistryAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        Observatoire.Data.ConsolidationLoader.LoadCubeAsync(db, catalog, cube, CancellationToken.None).GetAwaiter().GetResult();
        return registry;
    }

    /// <summary>A harsh synthetic year: every post's grids of small counts, 3 % missing.</summary>
    private static void Synthesize(GridSchema schema, RegistrySnapshot registry, int year, GridCube cube)
    {
        var random = new Random(20261201);
        foreach (var post in registry.Posts.Values)
        {
            foreach (var sub in Period.OfYear(year).Split(post.ReportingKind))
            {
                if (random.NextDouble() < 0.03)
                {
                    continue;
                }

                var at = sub.End.AddDays(random.Next(1, 30)).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                cube.Apply(new CubeGrid(post.Id, sub, schema.Version, SmallGrid(schema, random, sub.MonthCount), 1, at, at));
            }
        }
    }

    /// <summary>A valid grid of small counts: each total a few persons per month, split at random over each breakdown.</summary>
    private static int[] SmallGrid(GridSchema schema, Random random, int months)
    {
        var cells = new int[schema.Layout.Count];
        foreach (var indicator in schema.Indicators)
        {
            var total = random.Next(0, 7 * months);
            if (indicator.HasTotal)
            {
                cells[schema.Layout.IndexOf(indicator.Code)] = total;
            }

            foreach (var breakdown in indicator.Breakdowns)
            {
                var parts = schema.Layout.CellsOf(indicator, breakdown).Select(c => c.Index).ToArray();
                var left = breakdown.SumsToTotal ? total : random.Next(0, 4 * months);
                for (var unit = 0; unit < left; unit++)
                {
                    cells[parts[random.Next(parts.Length)]]++;
                }
            }
        }

        return cells;
    }
}
