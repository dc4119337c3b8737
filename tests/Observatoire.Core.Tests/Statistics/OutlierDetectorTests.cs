using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Statistics;
using Observatoire.Core.Tests.Consolidation;

namespace Observatoire.Core.Tests.Statistics;

public class OutlierDetectorTests
{
    private static readonly int Entretiens = RandomWorld.Schema.Layout.IndexOf("entretiens");

    /// <summary>Department 01 with six monthly posts; P-1 files nine months of 2025, the others March only.</summary>
    private static Consolidator World(int marchOfPost1, int marchOfPost6)
    {
        var cube = new GridCube();
        var posts = Enumerable.Range(1, 6)
            .Select(i => new PostInfo($"P-{i}", $"P-{i}", "01", Zone.Police, 1, ReportingFrequency.Month, new DateOnly(2020, 1, 1), null, [new PostLocation("01", new DateOnly(2020, 1, 1), null)]))
            .ToList();
        int[] history = [28, 30, 31, 29, 30, 32, 30, 29];
        for (var month = 1; month <= 9; month++)
        {
            Add(cube, "P-1", $"2025-{month:D2}", month == 9 ? marchOfPost1 : history[month - 1]);
        }

        foreach (var i in Enumerable.Range(2, 5))
        {
            Add(cube, $"P-{i}", "2025-09", i == 6 ? marchOfPost6 : 28 + i);
        }

        var registry = new RegistrySnapshot(
            [new RegionInfo("84", "Auvergne-Rhône-Alpes", 8_000_000)],
            [new DepartmentInfo("01", "Ain", "84", 650_000, 46, 5), new DepartmentInfo("38", "Isère", "84", 1_270_000, 45, 5)],
            posts);
        return new Consolidator(RandomWorld.Catalog, registry, cube);
    }

    private static void Add(GridCube cube, string post, string period, int entretiens)
    {
        var cells = new int[RandomWorld.Schema.Layout.Count];
        cells[Entretiens] = entretiens;
        var at = Period.Parse(period).End.AddDays(3).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        cube.Apply(new CubeGrid(post, Period.Parse(period), RandomWorld.SchemaVersion, cells, 1, at, at));
    }

    private static IReadOnlyList<OutlierFinding> Find(Consolidator world, AreaRef area, string? period = "2025-09") =>
        OutlierDetector.Find(world, area, period is null ? null : Period.Parse(period), s => [s.Layout.Cells[Entretiens]]);

    [Fact]
    public void A_grid_far_from_the_posts_own_history_is_flagged_against_it()
    {
        var finding = Assert.Single(Find(World(marchOfPost1: 300, marchOfPost6: 33), new AreaRef(AreaLevel.Post, "P-1")));
        Assert.Equal(OutlierDetector.History, finding.Reference);
        Assert.Equal(300, finding.Grid.Cells[Entretiens]);
        Assert.Equal(8, finding.Score.ReferenceCount);
        Assert.Empty(Find(World(marchOfPost1: 31, marchOfPost6: 33), new AreaRef(AreaLevel.Post, "P-1")));
    }

    [Fact]
    public void A_post_far_from_its_departments_posts_is_flagged_only_within_the_area_and_period_asked()
    {
        var world = World(marchOfPost1: 31, marchOfPost6: 400);
        var finding = Assert.Single(Find(world, new AreaRef(AreaLevel.Department, "01")));
        Assert.Equal(("P-6", OutlierDetector.Department, "01"), (finding.Post.Id, finding.Reference, finding.DepartmentCode));
        Assert.Empty(Find(world, new AreaRef(AreaLevel.Department, "38")));
        Assert.Empty(Find(world, AreaRef.National, "2025-08"));
        Assert.Single(Find(world, AreaRef.National, null));
    }
}
