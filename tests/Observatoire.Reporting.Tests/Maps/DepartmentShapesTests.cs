using Observatoire.Reporting.Maps;
using Observatoire.Reporting.Tests.Charts;

namespace Observatoire.Reporting.Tests.Maps;

public sealed class DepartmentShapesTests
{
    [Fact]
    public void Every_metropolitan_department_of_the_registry_has_a_shape_and_no_other()
    {
        var metropolitan = Departements.All.Select(d => d.Code).Where(c => c.Length == 2).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(96, metropolitan.Length);
        Assert.Equal(metropolitan, DepartmentShapes.ByCode.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Shapes_lie_in_the_view_box_and_are_placed_as_on_a_map()
    {
        foreach (var shape in DepartmentShapes.ByCode.Values)
        {
            Assert.NotEmpty(shape.Rings);
            Assert.All(shape.Rings.SelectMany(r => r), p =>
            {
                Assert.InRange(p.X, 0, DepartmentShapes.ViewBoxWidth);
                Assert.InRange(p.Y, 0, DepartmentShapes.ViewBoxHeight);
            });
        }
        // North is up (y downwards), west is left: Nord above Pyrénées-Orientales, Finistère left of Bas-Rhin.
        Assert.True(Centre("59").Y < Centre("66").Y);
        Assert.True(Centre("29").X < Centre("67").X);
        // Paris lies inside the ring of its three neighbours.
        var paris = Centre("75");
        foreach (var neighbour in new[] { "92", "93", "94" })
            Assert.True(Distance(paris, Centre(neighbour)) < 15, neighbour);
        // Islands are separate rings: Morbihan (Belle-Île…) and Charente-Maritime (Ré, Oléron) have several.
        Assert.True(DepartmentShapes.ByCode["56"].Rings.Count > 1);
        Assert.True(DepartmentShapes.ByCode["17"].Rings.Count > 1);
        Assert.Equal("Ain", DepartmentShapes.ByCode["01"].Name);
    }

    [Fact]
    public void A_relative_move_after_a_closed_ring_starts_from_that_ring_s_first_point()
    {
        var rings = DepartmentShapes.ParsePath("m 1,1 2,0 0,2 z m 10,10 1,0 0,1 z");
        Assert.Equal(2, rings.Count);
        Assert.Equal([(1d, 1d), (3d, 1d), (3d, 3d)], rings[0]);
        Assert.Equal([(11d, 11d), (12d, 11d), (12d, 12d)], rings[1]);
    }

    [Fact]
    public void A_malformed_path_is_refused_not_guessed()
    {
        Assert.Throws<FormatException>(() => DepartmentShapes.ParsePath("m 1 2 3"));
    }

    private static (double X, double Y) Centre(string code)
    {
        var points = DepartmentShapes.ByCode[code].Rings.OrderByDescending(r => r.Count).First();
        return (points.Average(p => p.X), points.Average(p => p.Y));
    }

    private static double Distance((double X, double Y) a, (double X, double Y) b) =>
        Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
}
