using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Tests.Consolidation;

/// <summary>
/// The test's own copy of a post's current grid for a period: the values of the highest revision
/// applied, and the reception time of the first revision.
/// </summary>
internal sealed record RawGrid(string PostId, Period Period, string SchemaVersion, int[] Cells, int Revision, DateTime FirstReceivedUtc, DateTime ReceivedUtc);

/// <summary>
/// A seeded random registry and two years (2024-2025) of valid grids, applied to a production
/// <see cref="GridCube"/> while the test keeps its own list of what the cube should hold.
/// </summary>
internal sealed class RandomWorld
{
    public const string SchemaVersion = "2025.1";

    public static readonly SchemaCatalog Catalog = SchemaCatalog.LoadEmbedded();

    public static readonly GridSchema Schema = Catalog.Find(SchemaVersion)!;

    /// <summary>Every month, quarter and year of 2024 and 2025.</summary>
    public static readonly IReadOnlyList<Period> AllPeriods = BuildPeriods();

    private RandomWorld(int seed)
    {
        Seed = seed;
    }

    public int Seed { get; }

    public List<RegionInfo> Regions { get; } = [];

    public List<DepartmentInfo> Departments { get; } = [];

    public List<PostInfo> Posts { get; } = [];

    /// <summary>The final state of every (post, period) grid, as the test computed it.</summary>
    public List<RawGrid> Grids { get; } = [];

    /// <summary>Every <see cref="CubeGrid"/> handed to the cube, in order (revisions, replays and stale ones included).</summary>
    public List<CubeGrid> Applied { get; } = [];

    public RegistrySnapshot Registry { get; private set; } = null!;

    public GridCube Cube { get; } = new();

    /// <summary>A random "today" inside the two years, for completeness.</summary>
    public DateOnly Today { get; private set; }

    public Consolidator NewConsolidator() => new(Catalog, Registry, Cube);

    public static RandomWorld Generate(int seed)
    {
        var world = new RandomWorld(seed);
        var rng = new Random(seed);
        world.BuildRegistry(rng);
        world.BuildGrids(rng);
        world.Today = new DateOnly(2024, 2, 1).AddDays(rng.Next(0, 760));
        return world;
    }

    private void BuildRegistry(Random rng)
    {
        // Regions with 2-4 departments, one region whose single department has no post, one region without department.
        var regionCount = rng.Next(4, 7);
        var postDepartments = new List<string>();
        for (var r = 0; r < regionCount; r++)
        {
            var regionCode = (11 + r * 7).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            Regions.Add(new RegionInfo(regionCode, $"Région {regionCode}", 1_000_000 + rng.Next(0, 5_000_000)));
            var departmentCount = r == regionCount - 1 ? 1 : rng.Next(2, 5);
            for (var d = 0; d < departmentCount; d++)
            {
                var code = (Departments.Count + 1).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
                Departments.Add(new DepartmentInfo(code, $"Département {code}", regionCode, 100_000 + rng.Next(0, 900_000), 45 + rng.NextDouble(), 2 + rng.NextDouble()));
                if (r != regionCount - 1)
                {
                    postDepartments.Add(code);
                }
            }
        }

        Regions.Add(new RegionInfo("99", "Région sans département", 0));

        var postCount = rng.Next(30, 61);
        for (var i = 0; i < postCount; i++)
        {
            var department = Pick(rng, postDepartments);
            var frequency = rng.NextDouble() switch
            {
                < 0.55 => ReportingFrequency.Month,
                < 0.82 => ReportingFrequency.Quarter,
                _ => ReportingFrequency.Year,
            };

            // Most posts are open before and after the two years; some open or close inside them.
            var activeFrom = rng.NextDouble() < 0.7 ? new DateOnly(2019, 9, 1).AddDays(rng.Next(0, 1000)) : new DateOnly(2024, 1, 1).AddDays(rng.Next(0, 700));
            DateOnly? activeTo = rng.NextDouble() < 0.2 ? activeFrom.AddDays(rng.Next(20, 700)) : null;
            if (activeTo is { } to && to < new DateOnly(2024, 1, 15))
            {
                activeTo = new DateOnly(2024, 1, 15).AddDays(rng.Next(0, 600));
            }

            var id = $"P-{department}-{i:D3}";
            var locations = new List<PostLocation>();
            var registered = department;
            var shape = rng.NextDouble();
            if (shape < 0.72)
            {
                locations.Add(new PostLocation(department, activeFrom, null));
            }
            else if (shape < 0.9)
            {
                // Moves once, to another department (maybe of another region); some moves fall on a tie.
                var other = Pick(rng, postDepartments.Where(d => d != department).ToList());
                var move = rng.Next(0, 4) switch
                {
                    0 => new DateOnly(2024, 7, 2), // 2024 splits 183 / 183 days
                    1 => new DateOnly(2025, 4, 16), // April 2025 splits 15 / 15 days
                    _ => new DateOnly(2024, 1, 10).AddDays(rng.Next(0, 700)),
                };
                if (move <= activeFrom)
                {
                    move = activeFrom.AddDays(rng.Next(1, 200));
                }

                locations.Add(new PostLocation(department, activeFrom, move.AddDays(-1)));
                locations.Add(new PostLocation(other, move, null));
                registered = other;
            }
            else if (shape < 0.96)
            {
                // Assignment history starts late: before it, the registered department applies.
                var other = Pick(rng, postDepartments.Where(d => d != department).ToList());
                locations.Add(new PostLocation(other, new DateOnly(2025, 1, 1).AddDays(rng.Next(0, 200)), null));
            }

            // else: no assignment history at all.
            if (locations.Count > 1 && rng.Next(0, 2) == 0)
            {
                locations.Reverse(); // the history is not necessarily listed in order
            }

            Posts.Add(new PostInfo(
                id,
                $"ISCG {id}",
                registered,
                (Zone)rng.Next(1, 4),
                Math.Round(0.5 + rng.Next(0, 6) / 10.0, 1),
                frequency,
                activeFrom,
                activeTo,
                locations));
        }

        Registry = new RegistrySnapshot(Regions, Departments, Posts);
    }

    private void BuildGrids(Random rng)
    {
        foreach (var post in Posts)
        {
            var ownKind = post.Frequency.PeriodKind();
            foreach (var period in AllPeriods.Where(p => p.Kind == ownKind && IsActive(post, p)))
            {
                if (rng.NextDouble() < 0.1)
                {
                    continue; // not received
                }

                File(rng, post, period);

                // Some posts also hold grids of another frequency for the same time.
                if (ownKind == PeriodKind.Quarter && rng.NextDouble() < 0.15)
                {
                    foreach (var month in MonthsOf(period).Where(m => IsActive(post, m) && rng.NextDouble() < 0.8))
                    {
                        File(rng, post, month);
                    }
                }

                if (ownKind == PeriodKind.Year && rng.NextDouble() < 0.3)
                {
                    foreach (var quarter in QuartersOf(period).Where(q => IsActive(post, q) && rng.NextDouble() < 0.5))
                    {
                        File(rng, post, quarter);
                    }
                }
            }

            if (ownKind != PeriodKind.Year)
            {
                // Most posts also send their yearly bilan, whatever their frequency; some never do.
                foreach (var year in AllPeriods.Where(p => p.Kind == PeriodKind.Year && IsActive(post, p)))
                {
                    if (rng.NextDouble() < 0.6)
                    {
                        File(rng, post, year);
                    }
                }
            }

            if (ownKind == PeriodKind.Month)
            {
                // A monthly post sometimes also files a quarter grid, with or without its months.
                foreach (var quarter in AllPeriods.Where(p => p.Kind == PeriodKind.Quarter && IsActive(post, p)))
                {
                    if (rng.NextDouble() < 0.12)
                    {
                        File(rng, post, quarter);
                    }
                }
            }
        }
    }

    private void File(Random rng, PostInfo post, Period period)
    {
        var first = ReceptionTime(rng, period);
        var grid = new CubeGrid(post.Id, period, SchemaVersion, ValidCells(rng), 1, first, first);
        Apply(grid);
        var current = grid;
        var roll = rng.NextDouble();
        if (roll < 0.15)
        {
            // A correction: new values, received later; timeliness still judged on the first revision.
            var later = first.AddDays(rng.Next(1, 60)).AddHours(rng.Next(0, 24));
            current = new CubeGrid(post.Id, period, SchemaVersion, ValidCells(rng), 2, later, later);
            Apply(current);
            if (rng.NextDouble() < 0.4)
            {
                Apply(grid); // the stale first revision arrives again: ignored
            }
        }
        else if (roll < 0.22)
        {
            Apply(grid); // the same revision applied twice
        }

        Grids.Add(new RawGrid(post.Id, period, SchemaVersion, current.Cells, current.Revision, first, current.ReceivedUtc));
    }

    private void Apply(CubeGrid grid)
    {
        // The cube gets its own copy of the cells, so nothing the cube does can change the test's copy.
        var copy = grid with { Cells = (int[])grid.Cells.Clone() };
        Applied.Add(copy);
        Cube.Apply(copy);
    }

    private static DateTime ReceptionTime(Random rng, Period period)
    {
        // Around the 15-day deadline, including its last day late in the evening and the day after.
        var delay = rng.Next(0, 10) switch
        {
            0 => 15,
            1 => 16,
            2 => rng.Next(17, 90),
            _ => rng.Next(0, 15),
        };
        var time = new TimeOnly(rng.Next(0, 24), rng.Next(0, 60));
        return period.End.AddDays(delay).ToDateTime(time, DateTimeKind.Utc);
    }

    /// <summary>A random grid that satisfies every rule of the schema.</summary>
    public static int[] ValidCells(Random rng)
    {
        var layout = Schema.Layout;
        var cells = new int[layout.Count];
        var recues = rng.Next(0, 10) == 0 ? 0 : rng.Next(1, 90);
        foreach (var indicator in Schema.Indicators)
        {
            var total = indicator.Code switch
            {
                "personnes_recues" => recues,
                "personnes_nouvelles" => rng.Next(0, recues + 1),
                "entretiens" => recues + rng.Next(0, 80),
                _ => rng.Next(0, 40),
            };
            if (indicator.HasTotal)
            {
                cells[layout.IndexOf(indicator.Code)] = total;
            }

            foreach (var breakdown in indicator.Breakdowns)
            {
                var indices = layout.CellsOf(indicator, breakdown).Select(c => c.Index).ToArray();
                if (breakdown.SumsToTotal)
                {
                    for (var unit = 0; unit < total; unit++)
                    {
                        // Skewed towards the first options, like real data.
                        var k = Math.Min(rng.Next(0, indices.Length), rng.Next(0, indices.Length));
                        cells[indices[k]]++;
                    }
                }
                else
                {
                    foreach (var index in indices)
                    {
                        cells[index] = rng.Next(0, 3) == 0 ? 0 : rng.Next(0, 25);
                    }
                }
            }
        }

        var ip = layout.IndexOf("informations_preoccupantes");
        var mineur = layout.IndexOf("problematiques[problematique=mineur_en_danger]");
        if (cells[ip] > 0 && cells[mineur] == 0)
        {
            cells[mineur] = 1 + rng.Next(0, 5);
        }

        var vector = cells.Select(c => (long)c).ToArray();
        foreach (var rule in Schema.Rules)
        {
            if (!rule.Expression.Evaluate(vector).Ok)
            {
                throw new InvalidOperationException($"The generator built a grid breaking {rule.Code}.");
            }
        }

        return cells;
    }

    private static bool IsActive(PostInfo post, Period period) =>
        post.ActiveFrom <= period.End && (post.ActiveTo is null || post.ActiveTo.Value >= period.Start);

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(0, items.Count)];

    private static List<Period> BuildPeriods()
    {
        var periods = new List<Period>();
        foreach (var year in new[] { 2024, 2025 })
        {
            for (var m = 1; m <= 12; m++)
            {
                periods.Add(Period.Month(year, m));
            }

            for (var q = 1; q <= 4; q++)
            {
                periods.Add(Period.Quarter(year, q));
            }

            periods.Add(Period.OfYear(year));
        }

        return periods;
    }

    /// <summary>The three months of a quarter, written out without <see cref="Period.Split"/>.</summary>
    public static IEnumerable<Period> MonthsOf(Period quarter)
    {
        for (var m = 1; m <= 3; m++)
        {
            yield return Period.Month(quarter.Year, (quarter.Index - 1) * 3 + m);
        }
    }

    public static IEnumerable<Period> QuartersOf(Period year)
    {
        for (var q = 1; q <= 4; q++)
        {
            yield return Period.Quarter(year.Year, q);
        }
    }
}
