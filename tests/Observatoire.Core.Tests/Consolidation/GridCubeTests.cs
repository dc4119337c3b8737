using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Tests.Consolidation;

/// <summary>A post's grids in the cube: found by period, listed in period order, and a list once read never changes.</summary>
public sealed class GridCubeTests
{
    [Fact]
    public void A_posts_grids_are_those_applied_last_in_period_order_whatever_the_order_of_arrival()
    {
        var random = new Random(20261202);
        var periods = Enumerable.Range(2016, 10)
            .SelectMany(y => Enumerable.Range(1, 12).Select(m => Period.Month(y, m))
                .Concat(Enumerable.Range(1, 4).Select(q => Period.Quarter(y, q)))
                .Append(Period.OfYear(y)))
            .ToArray();
        var cube = new GridCube();
        var expected = new SortedDictionary<Period, int>();
        for (var i = 0; i < 2_000; i++)
        {
            var period = periods[random.Next(periods.Length)];
            var revision = expected.GetValueOrDefault(period) + 1;
            cube.Apply(Grid("P-1", period, revision));
            expected[period] = revision;

            if (i % 97 == 0)
            {
                var probe = periods[random.Next(periods.Length)];
                Assert.Equal(expected.TryGetValue(probe, out var r) ? r : null, cube.Find("P-1", probe)?.Revision);
            }
        }

        Assert.Equal(expected.Select(e => (e.Key, e.Value)), cube.GridsOf("P-1").Select(g => (g.Period, g.Revision)));
        Assert.Empty(cube.GridsOf("P-2"));
        Assert.Null(cube.Find("P-2", periods[0]));
    }

    [Fact]
    public void A_list_of_grids_once_read_is_not_changed_by_later_grids()
    {
        var cube = new GridCube();
        cube.Apply(Grid("P-1", Period.Month(2025, 3), 1));
        cube.Apply(Grid("P-1", Period.Month(2025, 5), 1));
        var read = cube.GridsOf("P-1");
        var frozen = cube.Freeze();

        cube.Apply(Grid("P-1", Period.Month(2025, 4), 1));
        cube.Apply(Grid("P-1", Period.Month(2025, 3), 2));

        Assert.Equal([(Period.Month(2025, 3), 1), (Period.Month(2025, 5), 1)], read.Select(g => (g.Period, g.Revision)));
        Assert.Equal(2, frozen.GridsOf("P-1").Count());
        Assert.Equal(
            [(Period.Month(2025, 3), 2), (Period.Month(2025, 4), 1), (Period.Month(2025, 5), 1)],
            cube.GridsOf("P-1").Select(g => (g.Period, g.Revision)));
        Assert.IsNotType<CubeGrid[]>(read);
    }

    private static CubeGrid Grid(string post, Period period, int revision) =>
        new(post, period, "2025.1", [revision], revision, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
}
